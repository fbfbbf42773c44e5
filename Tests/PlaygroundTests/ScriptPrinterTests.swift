import Testing
@testable import PaxosChecker
import PaxosCore
import PaxosSimulation
@testable import PaxosPlayground

/// The one script writer and the one reader agree: every line ``ScriptPrinter`` prints, ``CommandParser``
/// parses back to the command it printed; an action's line to a command that performs that action; a
/// set-up's lines, run in a fresh session, to that set-up. Random values come from a fixed seed, so a
/// failure names the value and replays.
@Suite struct ScriptPrinterTests {
    static let seed: UInt64 = 0x5C41_9716
    static let rounds = 2_000

    // MARK: - Exact lines

    @Test func eachActionKindPrintsItsLine() {
        let (n1, n2, n3) = (ReplicaID(1), ReplicaID(2), ReplicaID(3))
        let expected: [(Action, String)] = [
            (.deliver(12), "deliver 12"),
            (.drop(3), "drop 3"),
            (.duplicate(4), "duplicate 4"),
            (.tick, "tick"),
            (.crash(n2), "crash n2"),
            (.restart(n3), "restart n3"),
            (.submit([RedoRecord(key: "x", value: "1"), RedoRecord(key: "y", value: "")]), "submit x=1 y="),
            (.partition([[n1], [n2, n3]]), "partition n1 | n2 n3"),
            (.heal, "heal"),
            (.cut(from: n1, to: n2), "cut n1 n2"),
            (.uncut(from: n2, to: n1), "uncut n2 n1"),
            (.timeout(n3), "timeout n3"),
        ]
        #expect(Set(expected.map { Self.kind(of: $0.0) }).count == Self.actionKinds.count)
        for (action, line) in expected {
            #expect(ScriptPrinter.line(Command(action)) == line)
        }
    }

    @Test func eachCheckerStepPrintsItsLine() {
        let expected: [(CheckerAction, String)] = [
            (.deliver(7), "deliver 7"),
            (.drop(8), "drop 8"),
            (.duplicate(9), "duplicate 9"),
            (.tick, "tick"),
            (.timeout(ReplicaID(2)), "timeout n2"),
            (.crash(ReplicaID(1)), "crash n1"),
            (.restart(ReplicaID(1)), "restart n1"),
            (.submit([RedoRecord(key: "k", value: "v")]), "submit k=v"),
        ]
        for (step, line) in expected {
            #expect(ScriptPrinter.line(Command(step)) == line)
        }
    }

    @Test func aSetUpPrintsWhatDiffersFromTheDefaults() {
        let plain = ClusterSetup(election: "priority", commit: "sync", config: ClusterConfig(replicaCount: 3), leader: ReplicaID(1))
        #expect(ScriptPrinter.lines(for: plain) == ["election priority", "commit sync", "cluster 3", "cluster 3 leader n1"])

        var config = ClusterConfig(replicaCount: 5)
        config.priorities = [5, 4, 9, 2, -1]
        config.batchSize = 3
        config.window = 2
        config.heartbeatIntervalTicks = 1000
        config.electionTimeoutTicks = 1
        config.recovery = false
        let changed = ClusterSetup(election: "randomized", commit: "async", config: config, leader: nil)
        #expect(ScriptPrinter.lines(for: changed) == [
            "election randomized", "commit async", "cluster 5", "priority n3 9", "priority n5 -1", "set batch 3",
            "set window 2", "set heartbeat 1000", "set timeout 1", "set recovery off", "cluster 5",
        ])
    }

    @Test func aFailedContinuationPrintsWhatItRan() {
        let keepsFlowing = FailedContinuation(timing: [.heartbeat(1), .timeout(3)], faultsStop: [.heal, .restart(ReplicaID(2))],
                                              ticks: 7, transaction: nil, events: [], failure: .messagesKeepFlowing(tick: 7))
        #expect(ScriptPrinter.commands(for: keepsFlowing).map(ScriptPrinter.line)
            == ["set heartbeat 1", "set timeout 3", "heal", "restart n2", "run for 7", "expect converged"])

        let notApplied = FailedContinuation(timing: [], faultsStop: [], ticks: 5, transaction: RedoRecord(key: "progress", value: "1"),
                                            events: [], failure: .transactionNotApplied(ReplicaID(3)))
        #expect(ScriptPrinter.commands(for: notApplied).map(ScriptPrinter.line)
            == ["run for 5", "submit progress=1", "run", "expect data n3 progress=1", "expect converged"])
    }

    @Test func aCounterexampleCommentsItsSteps() {
        let counterexample = Counterexample(actions: [.deliver(3), .tick, .timeout(ReplicaID(2))],
                                            labels: ["propose n1 → n2", "", "n2's election timer fires"],
                                            events: [], violations: [])
        #expect(counterexample.actionLines == ["deliver 3         # propose n1 → n2", "tick",
                                               "timeout n2        # n2's election timer fires"])
        #expect(counterexample.script(setup: ["cluster 3 leader n1"], header: ["found"])
            == "# found\ncluster 3 leader n1\ndeliver 3         # propose n1 → n2\ntick\ntimeout n2        # n2's election timer fires\nexpect invariants\n")
    }

    @Test func defaultArgumentsAreLeftOut() {
        #expect(ScriptPrinter.line(.tick(1)) == "tick")
        #expect(ScriptPrinter.line(.tick(4)) == "tick 4")
        #expect(ScriptPrinter.line(.step(1)) == "step")
        #expect(ScriptPrinter.line(.undo(2)) == "undo 2")
        #expect(ScriptPrinter.line(.run(.quiet)) == "run")
        #expect(ScriptPrinter.line(.run(.ticks(0))) == "run for 0")
        #expect(ScriptPrinter.line(.run(.applied(ReplicaID(2), 4))) == "run until applied n2 4")
        #expect(ScriptPrinter.line(.help(nil)) == "help")
        #expect(ScriptPrinter.line(.cluster(replicas: 3, leader: nil)) == "cluster 3")
    }

    // MARK: - Printed, then parsed back

    /// Every command, of every kind, parses back from its line to itself.
    @Test func everyCommandParsesBackFromItsLine() throws {
        var random = SplitMix64(seed: Self.seed)
        var kinds: Set<String> = []
        for _ in 0..<Self.rounds {
            let command = Self.command(&random)
            kinds.insert(Self.kind(of: command))
            let line = ScriptPrinter.line(command)
            #expect(try CommandParser.parse(line) == command, "\(line)")
        }
        #expect(kinds.count == Self.commandKinds.count, "not generated: \(Set(Self.commandKinds).subtracting(kinds).sorted())")
    }

    /// Every action's line parses to a command that performs that very action.
    @Test func everyActionParsesBackFromItsLine() throws {
        var random = SplitMix64(seed: Self.seed &+ 1)
        var kinds: Set<String> = []
        for _ in 0..<Self.rounds {
            let action = Self.action(&random)
            kinds.insert(Self.kind(of: action))
            let line = ScriptPrinter.line(Command(action))
            #expect(try CommandParser.parse(line).flatMap(Self.action(of:)) == action, "\(line)")
        }
        #expect(kinds.count == Self.actionKinds.count)
    }

    /// A counterexample's script (its steps with their comments, and a continuation's lines) parses back
    /// to its steps and continuation.
    @Test func everyCounterexampleScriptParsesBack() throws {
        var random = SplitMix64(seed: Self.seed &+ 2)
        for _ in 0..<200 {
            let steps = (0..<(1 + random.next(below: 12))).map { _ in Self.step(&random) }
            let labels = steps.map { _ in random.next(below: 2) == 0 ? "" : "propose n1 → n\(1 + random.next(below: 9)) #\(random.next(below: 99))" }
            let continuation = random.next(below: 2) == 0 ? nil : Self.continuation(&random)
            let counterexample = Counterexample(actions: steps, labels: labels, events: [], violations: [], continuation: continuation)
            let script = counterexample.script(setup: [], header: ["a header"])
            let parsed = try script.split(separator: "\n").compactMap { try CommandParser.parse(String($0)) }
            let expected = steps.map(Command.init) + (continuation.map(ScriptPrinter.commands(for:)) ?? [.expect(.invariants)])
            #expect(parsed == expected, "\(script)")
        }
    }

    /// A set-up's lines, run in a fresh session, start a cluster with that very set-up.
    @Test func everySetUpRunsBackToItself() throws {
        var random = SplitMix64(seed: Self.seed &+ 3)
        let registry = SessionOptions().registry
        for _ in 0..<300 {
            let replicas = 1 + random.next(below: 9)
            var config = ClusterConfig(replicaCount: replicas)
            if random.next(below: 2) == 0 { config.priorities = config.priorities.map { random.next(below: 3) == 0 ? random.next(below: 21) - 10 : $0 } }
            if random.next(below: 2) == 0 { config.batchSize = 1 + random.next(below: 8) }
            if random.next(below: 2) == 0 { config.window = 1 + random.next(below: 8) }
            if random.next(below: 2) == 0 { config.heartbeatIntervalTicks = 1 + random.next(below: 2000) }
            if random.next(below: 2) == 0 { config.electionTimeoutTicks = 1 + random.next(below: 20) }
            if random.next(below: 2) == 0 { config.recovery.toggle() }
            for bug in ProtocolBreak.allCases where random.next(below: 6) == 0 { config.breaks.insert(bug) }
            let setup = ClusterSetup(election: Self.pick(registry.elections.map(\.name), &random),
                                     commit: Self.pick(registry.commits.map(\.name), &random), config: config,
                                     leader: random.next(below: 2) == 0 ? nil : ReplicaID(1 + random.next(below: replicas)))
            let lines = ScriptPrinter.lines(for: setup)
            let session = Session(write: { _ in })
            for line in lines { #expect(session.execute(line) == .ok, "\(line)") }
            #expect(session.journal == [.start(setup)], "\(lines)")
        }
    }

    // MARK: - Kinds: an exhaustive switch, so a new case must be generated here too

    static let actionKinds = ["deliver", "drop", "duplicate", "tick", "crash", "restart", "submit", "partition", "heal",
                              "cut", "uncut", "timeout"]

    static func kind(of action: Action) -> String {
        switch action {
        case .deliver: "deliver"
        case .drop: "drop"
        case .duplicate: "duplicate"
        case .tick: "tick"
        case .crash: "crash"
        case .restart: "restart"
        case .submit: "submit"
        case .partition: "partition"
        case .heal: "heal"
        case .cut: "cut"
        case .uncut: "uncut"
        case .timeout: "timeout"
        }
    }

    /// The action a parsed command performs, for the commands that are one action.
    static func action(of command: Command) -> Action? {
        switch command {
        case .deliver(let id): .deliver(id)
        case .drop(let id): .drop(id)
        case .duplicate(let id): .duplicate(id)
        case .tick(1): .tick
        case .crash(let id): .crash(id)
        case .restart(let id): .restart(id)
        case .submit(let records): .submit(records)
        case .partition(let groups): .partition(groups)
        case .heal: .heal
        case .cut(let from, let to): .cut(from: from, to: to)
        case .uncut(let from, let to): .uncut(from: from, to: to)
        case .timeout(let id): .timeout(id)
        default: nil
        }
    }

    static let commandKinds = [
        "cluster", "election", "commit", "policies", "priority", "set", "submit", "pending", "step", "deliver", "drop",
        "duplicate", "apply", "tick", "timeout", "run", "crash", "restart", "partition", "heal", "cut", "uncut", "show",
        "log", "data", "slots", "explore", "check", "breaks", "quiz", "compare", "undo", "history", "explain", "expect", "view", "lanes", "export", "help", "web", "quit",
    ]

    static func kind(of command: Command) -> String {
        switch command {
        case .cluster: "cluster"
        case .election: "election"
        case .commit: "commit"
        case .policies: "policies"
        case .priority: "priority"
        case .set: "set"
        case .submit: "submit"
        case .pending: "pending"
        case .step: "step"
        case .deliver: "deliver"
        case .drop: "drop"
        case .duplicate: "duplicate"
        case .apply: "apply"
        case .tick: "tick"
        case .timeout: "timeout"
        case .run: "run"
        case .crash: "crash"
        case .restart: "restart"
        case .partition: "partition"
        case .heal: "heal"
        case .cut: "cut"
        case .uncut: "uncut"
        case .show: "show"
        case .log: "log"
        case .data: "data"
        case .slots: "slots"
        case .explore: "explore"
        case .check: "check"
        case .breaks: "breaks"
        case .quiz: "quiz"
        case .compare: "compare"
        case .undo: "undo"
        case .history: "history"
        case .explain: "explain"
        case .expect: "expect"
        case .view: "view"
        case .lanes: "lanes"
        case .export: "export"
        case .help: "help"
        case .web: "web"
        case .quit: "quit"
        }
    }

    // MARK: - Generators

    static func pick<T>(_ values: [T], _ random: inout SplitMix64) -> T {
        values[random.next(below: values.count)]
    }

    static func number(_ range: ClosedRange<Int>, _ random: inout SplitMix64) -> Int {
        range.lowerBound + random.next(below: range.upperBound - range.lowerBound + 1)
    }

    static func replica(_ random: inout SplitMix64) -> ReplicaID {
        ReplicaID(number(1...9, &random))
    }

    /// A word of the language: no blank, `#`, `|` or `=`.
    static func word(_ random: inout SplitMix64, alphabet: String = "abcdefghijklmnopqrstuvwxyz-0123456789.") -> String {
        let letters = Array(alphabet)
        return String((0..<number(1...8, &random)).map { _ in letters[random.next(below: letters.count)] })
    }

    static func record(_ random: inout SplitMix64) -> RedoRecord {
        RedoRecord(key: word(&random), value: random.next(below: 4) == 0 ? "" : word(&random))
    }

    static func records(_ random: inout SplitMix64) -> [RedoRecord] {
        (0..<number(1...3, &random)).map { _ in record(&random) }
    }

    static func groups(_ random: inout SplitMix64) -> [[ReplicaID]] {
        (0..<number(2...3, &random)).map { _ in (0..<number(1...3, &random)).map { _ in replica(&random) } }
    }

    static func action(_ random: inout SplitMix64) -> Action {
        switch random.next(below: actionKinds.count) {
        case 0: .deliver(number(1...500, &random))
        case 1: .drop(number(1...500, &random))
        case 2: .duplicate(number(1...500, &random))
        case 3: .tick
        case 4: .crash(replica(&random))
        case 5: .restart(replica(&random))
        case 6: .submit(records(&random))
        case 7: .partition(groups(&random))
        case 8: .heal
        case 9: .cut(from: replica(&random), to: replica(&random))
        case 10: .uncut(from: replica(&random), to: replica(&random))
        default: .timeout(replica(&random))
        }
    }

    static func step(_ random: inout SplitMix64) -> CheckerAction {
        switch random.next(below: 8) {
        case 0: .deliver(number(1...500, &random))
        case 1: .drop(number(1...500, &random))
        case 2: .duplicate(number(1...500, &random))
        case 3: .tick
        case 4: .timeout(replica(&random))
        case 5: .crash(replica(&random))
        case 6: .restart(replica(&random))
        default: .submit(records(&random))
        }
    }

    static func continuation(_ random: inout SplitMix64) -> FailedContinuation {
        let timing: [TimingChange] = [.heartbeat(number(1...5, &random)), .timeout(number(2...9, &random))]
            .filter { _ in random.next(below: 2) == 0 }
        let faultsStop: [Action] = (random.next(below: 2) == 0 ? [.heal] : []) + (0..<random.next(below: 3)).map { _ in .restart(replica(&random)) }
        let ticks = number(0...60, &random)
        let missing = replica(&random)
        let failure: ProgressFailure = switch random.next(below: 3) {
        case 0: .messagesKeepFlowing(tick: ticks)
        case 1: .notConverged(tick: ticks, bound: ticks, .noLeader)
        default: .transactionNotApplied(missing)
        }
        let transaction = if case .transactionNotApplied = failure { Optional(ProgressContinuation.finalRecord) } else { RedoRecord?.none }
        return FailedContinuation(timing: timing, faultsStop: faultsStop, ticks: ticks, transaction: transaction,
                                  events: [], failure: failure)
    }

    static func setting(_ random: inout SplitMix64) -> Setting {
        switch random.next(below: 7) {
        case 0: .batch(number(1...64, &random))
        case 1: .window(number(1...64, &random))
        case 2: .heartbeat(number(1...5000, &random))
        case 3: .timeout(number(1...5000, &random))
        case 4: .breakOn(pick(ProtocolBreak.allCases, &random))
        case 5: .breaksOff
        default: .recovery(random.next(below: 2) == 0)
        }
    }

    static func condition(_ random: inout SplitMix64) -> RunCondition {
        switch random.next(below: 6) {
        case 0: .quiet
        case 1: .leader
        case 2: .committed(number(0...99, &random))
        case 3: .applied(replica(&random), number(0...99, &random))
        case 4: .converged
        default: .ticks(number(0...100_000, &random))
        }
    }

    static func expectation(_ random: inout SplitMix64) -> PaxosPlayground.Expectation {
        switch random.next(below: 6) {
        case 0: .leader(replica(&random))
        case 1: .committed(number(0...99, &random))
        case 2: .applied(replica(&random), number(0...99, &random))
        case 3:
            .data(replica(&random), key: word(&random), value: random.next(below: 4) == 0 ? "" : word(&random))
        case 4: .invariants
        default: .converged
        }
    }

    static func command(_ random: inout SplitMix64) -> Command {
        switch commandKinds[random.next(below: commandKinds.count)] {
        case "cluster":
            let replicas = number(1...9, &random)
            return .cluster(replicas: replicas, leader: random.next(below: 2) == 0 ? nil : ReplicaID(number(1...replicas, &random)))
        case "election": return .election(word(&random))
        case "commit": return .commit(word(&random))
        case "policies": return .policies
        case "priority":
            return .priority(replica(&random), random.next(below: 10) == 0 ? -Limits.priorityMax : number(-1000...1000, &random))
        case "set": return .set(setting(&random))
        case "submit": return .submit(records(&random))
        case "pending": return .pending
        case "step": return .step(number(1...20, &random))
        case "deliver": return .deliver(number(1...500, &random))
        case "drop": return .drop(number(1...500, &random))
        case "duplicate": return .duplicate(number(1...500, &random))
        case "apply": return .apply(replica(&random))
        case "tick": return .tick(number(1...20, &random))
        case "timeout": return .timeout(replica(&random))
        case "run": return .run(condition(&random))
        case "crash": return .crash(replica(&random))
        case "restart": return .restart(replica(&random))
        case "partition": return .partition(groups(&random))
        case "heal": return .heal
        case "cut": return .cut(replica(&random), replica(&random))
        case "uncut": return .uncut(replica(&random), replica(&random))
        case "show": return .show
        case "log": return .log(replica(&random))
        case "data": return .data(replica(&random))
        case "slots": return .slots
        case "explore": return .explore(number(1...20, &random))
        case "check":
            var budgets = CheckBudgets(preset: random.next(below: 2) == 0 ? nil : CheckPreset.allCases[random.next(below: 3)])
            for name in CheckBudgets.names where random.next(below: 2) == 0 {
                budgets[name] = number(name == "window" ? 1...4 : 0...4, &random)
            }
            if random.next(below: 2) == 0 {
                budgets.suspicion = CheckerConfiguration.Suspicion.allCases[random.next(below: 2)]
            }
            return .check(budgets)
        case "breaks": return .breaks
        case "quiz": return .quiz(random.next(below: 2) == 0)
        case "compare": return .compare(word(&random), word(&random))
        case "undo": return .undo(number(1...9, &random))
        case "history": return .history
        case "explain": return .explain
        case "expect": return .expect(expectation(&random))
        case "view":
            switch random.next(below: 3) {
            case 0: return .view(.full)
            case 1: return .view(.compact)
            default:
                let phases = Phase.allCases.filter { _ in random.next(below: 2) == 0 }
                return .view(.phases(phases.isEmpty ? [.vote] : phases))
            }
        case "lanes": return .lanes(number(1...Limits.lanesEventsMax, &random))
        case "export": return .export(pick(ExportFormat.allCases, &random), word(&random) + "/" + word(&random))
        case "help": return .help(random.next(below: 3) == 0 ? nil : pick(commandKinds, &random))
        case "web":
            switch random.next(below: 4) {
            case 0: return .web(.status)
            case 1: return .web(.off)
            case 2: return .web(.on(port: nil))
            default: return .web(.on(port: number(0...65_535, &random)))
            }
        default: return .quit
        }
    }
}
