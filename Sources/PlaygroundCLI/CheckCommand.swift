import ArgumentParser
import Foundation
import PaxosChecker
import PaxosCore
import PaxosPlayground
import PaxosSimulation

/// `paxos-playground check`: the exhaustive model check of a bounded configuration.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore every run of the real core within bounds; prove invariants 1-5 and progress, or find the shortest violation.",
        discussion: """
            Progress (Docs/Progress.md): from every state reached, once the faults stop, the cluster converges \
            within K ticks and commits a new transaction (--without progress skips it). \
            Exit 0: verified within the bounds; 1: a violation (its shortest path is printed as a flow and written \
            as a script that `paxos-playground run` replays); 2: bad options; 3: a limit stopped the search \
            (nothing is proved).
            """)

    @Option(help: "Named bounds: \(CheckPreset.listing). With no preset and no bound option, check runs \(CheckPreset.standard.rawValue); with bound options and no preset, the bounds not given are \(CheckPreset.base.rawValue)'s. An option given with a preset overrides that bound.")
    var preset: [CheckPreset] = []
    @Option(parsing: .unconditional, help: "Replicas in the cluster (default: 3).")
    var replicas: Int?
    @Option(help: "The replica that leads ballot 1 at the start (nK), or 'none' for a first election (default: n1).")
    var leader: String?
    @Option(parsing: .unconditional, help: "Transactions committed on every replica before the search starts (submit x=k and run, for k = 1 to N), so that every run begins with that log; needs a leader (classroom and thorough: 1, tiny: 0).")
    var committed: Int?
    @Option(parsing: .unconditional, help: "Client transactions that may be submitted within the search (transaction k sets x=k, numbered after those committed first; tiny: 1).")
    var transactions: Int?
    @Option(parsing: .unconditional, help: "Candidacies (new ballots) allowed in one run (tiny: 1).")
    var elections: Int?
    @Option(help: "Replicas that may stand, e.g. n2,n3 (default: any).")
    var candidates: String?
    @Option(parsing: .unconditional, help: "Messages that may be dropped (tiny: 0).")
    var drops: Int?
    @Option(parsing: .unconditional, help: "Messages that may be duplicated (tiny: 0).")
    var duplicates: Int?
    @Option(parsing: .unconditional, help: "Crashes allowed (each crashed replica may also restart, up to --restarts; tiny: 0).")
    var crashes: Int?
    @Option(parsing: .unconditional, help: "Restarts allowed (tiny: 0).")
    var restarts: Int?
    @Option(parsing: .unconditional, help: "Global ticks allowed (time as the tick command advances it; the election timeout is 1 tick here; tiny: 2).")
    var ticks: Int?
    @Option(parsing: .unconditional, help: "Abstract time instead of ticks: this many election timers may fire, each at any moment (script: timeout nK).")
    var timeouts: Int?
    @Option(help: "When an election timer may fire under --timeouts: any (at any moment, also against a live leader: tiny, thorough) or leader-down (only at a replica whose leader is down or that follows none: classroom).")
    var suspicion: CheckerConfiguration.Suspicion?
    @Option(parsing: .unconditional, help: "Transactions per proposal, as set batch does (default: 1).")
    var batch: Int?
    @Option(parsing: .unconditional, help: "Proposals in flight at once, as set window does (default: 4).")
    var window: Int?
    @Option(name: .customLong("elections-per-replica"), parsing: .unconditional, help: "At most this many candidacies per replica.")
    var electionsPerReplica: Int?
    @Option(help: "Election policy.")
    var election = PriorityElection.name
    @Option(help: "Commit policy.")
    var commit = SyncCommit.name
    @Option(help: "on, or off (the unsafe teaching setting).")
    var recovery = "on"
    @Option(name: .customLong("break"),
            help: "Switch deliberate protocol bugs on, for a break-it exercise, e.g. no-catch-up (of \(ProtocolBreak.allCases.map(\.name).joined(separator: ", "))).")
    var breaks: [String] = []
    @Option(help: "Search order: bfs (shortest counterexamples) or dfs.")
    var order = "bfs"
    @Option(parsing: .unconditional, help: "Search threads (default: every core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .customLong("max-states"), parsing: .unconditional, help: "Stop after this many distinct states.")
    var maxStates: Int?
    @Option(name: .customLong("max-seconds"), parsing: .unconditional, help: "Stop after this many seconds.")
    var maxSeconds: Double?
    @Option(name: .customLong("max-depth"), parsing: .unconditional, help: "Explore runs of at most this many steps.")
    var maxDepth: Int?
    @Flag(name: .customLong("no-reductions"), help: "Explore without reductions (sleep sets, symmetry, dead letters, ignored messages, drops as delays), to compare.")
    var noReductions = false
    @Option(help: "Skip the progress check, or explore without these reductions, e.g. progress or drops-as-delays,sleep-sets (of progress, \(CheckerConfiguration.Reductions.named.map(\.key).joined(separator: ", "))).")
    var without: [String] = []
    @Option(help: "Where to write a counterexample script (default counterexample.pxs, or counterexample-2.pxs and on when a file of that name is not an earlier counterexample).")
    var script: String?
    @Option(parsing: .unconditional, help: "Seed (randomized elections draw their timeouts from it).")
    var seed: UInt64 = 1
    @Flag(name: .customLong("no-color"), help: "No colours.")
    var noColor = false
    @Flag(help: "Print the report only: no progress line and no flow of the counterexample.")
    var quiet = false

    /// The bounds the options give. Every number is checked here against the bound the REPL's `check` and
    /// `set` hold it to (``CheckBudgets/bound(_:)``, ``Limits/Bound``), with the line that names the option:
    /// whatever `check` accepts, the counterexample script it writes replays (`set batch 2000` would not).
    func bounds() throws -> CheckerConfiguration {
        try checkLimit(threads, .checkThreads, "--threads")
        if let maxStates { try checkLimit(maxStates, .checkStates, "--max-states") }
        if let maxDepth { try checkLimit(maxDepth, .checkDepth, "--max-depth") }
        if let maxSeconds, !(maxSeconds > 0 && maxSeconds <= Double(Limits.checkSecondsMax)) {
            throw ValidationError("--max-seconds takes more than 0 and at most \(Limits.checkSecondsMax) seconds (got \(secondsAsTyped(maxSeconds)))")
        }
        if let replicas { try checkLimit(replicas, .replicas, "--replicas") }
        let budgetOptions = [("committed", committed), ("transactions", transactions), ("elections", elections),
                             ("ticks", ticks), ("timeouts", timeouts), ("drops", drops), ("duplicates", duplicates),
                             ("crashes", crashes), ("restarts", restarts)]
        for (name, value) in budgetOptions {
            if let value { try checkLimit(value, CheckBudgets.bound(name), "--\(name)") }
        }
        if ticks != nil, timeouts != nil {
            throw ValidationError("--ticks and --timeouts are two ways time passes: give one (--ticks N global ticks, or --timeouts N election timers)")
        }
        if let batch { try checkLimit(batch, .batch, "--batch") }
        if let window { try checkLimit(window, .window, "--window") }
        if let electionsPerReplica {
            if electionsPerReplica == 0 {
                throw ValidationError("--elections-per-replica takes at least 1 election (got 0); --elections 0 allows none")
            }
            try checkLimit(electionsPerReplica, .checkElectionsPerReplica, "--elections-per-replica")
        }
        var c = CheckerConfiguration()
        c.registry = Playground.registry
        // Suspicion is not a budget (it says when a timer may fire, not how much may happen): alone, as in the
        // REPL's `check suspicion …`, it leaves the standard preset in place.
        let given: [Any?] = [replicas, leader, committed, transactions, elections, candidates, drops, duplicates, crashes, restarts,
                             ticks, timeouts, electionsPerReplica, batch, window]
        let replicas = replicas ?? 3
        let leader = leader ?? "n1"
        c.replicas = replicas
        if leader == "none" {
            c.initialLeader = nil
            if let committed, committed > 0 {
                throw ValidationError("--committed \(committed) needs a leader at the start: give --leader n1 (or another), or --committed 0")
            }
        } else {
            guard let id = ReplicaID(parsing: leader), (1...replicas).contains(id.number) else {
                throw ValidationError("--leader takes a replica from n1 to n\(replicas), or none (got '\(leader)')")
            }
            c.initialLeader = id
        }
        // The budgets as the REPL's `check` takes them (one `CheckBudgets.apply`); after the leader, since a
        // preset commits its first transactions only under one.
        // One preset, as the REPL's `check` takes (ArgumentParser would let the last of several win).
        if preset.count > 1 {
            let names = preset.map(\.rawValue)
            throw ValidationError(Set(names).count == 1
                ? "--preset takes one preset ('\(names[0])' is given \(names.count) times)"
                : "--preset takes one preset: \(names.map { "'\($0)'" }.joined(separator: " or ")), not several")
        }
        var budgets = CheckBudgets(preset: preset.first ?? (given.allSatisfy { $0 == nil } ? CheckPreset.standard : CheckPreset.base))
        for (name, value) in budgetOptions {
            if let value { budgets[name] = value }
        }
        budgets.suspicion = suspicion
        budgets.apply(to: &c)
        if c.suspicion == .leaderDown, case .ticks(let n) = c.time, n > 0 {
            throw ValidationError("--suspicion leader-down needs abstract time, --timeouts N: under global ticks (--ticks) a tick advances every timer, the leader's followers' too")
        }
        if let candidates { c.candidates = try Self.candidates(candidates, replicas: replicas) }
        c.electionsPerReplica = electionsPerReplica
        if let batch { c.batchSize = batch }
        if let window { c.window = window }
        c.election = election
        c.commit = commit
        switch recovery {
        case "on": c.recovery = true
        case "off": c.recovery = false
        default: throw ValidationError("--recovery takes on or off, not '\(recovery)'")
        }
        let bugNames = ProtocolBreak.allCases.map(\.name)
        for word in try Self.names(breaks, option: "--break", takes: "protocol bugs from \(bugNames.joined(separator: ", "))") {
            guard let bug = ProtocolBreak(name: word) else {
                throw ValidationError("--break takes protocol bugs from \(bugNames.joined(separator: ", ")); '\(word)' is not one")
            }
            c.breaks.insert(bug)
        }
        guard let order = CheckerConfiguration.SearchOrder(rawValue: order) else {
            throw ValidationError("--order takes bfs or dfs, not '\(order)'")
        }
        c.order = order
        c.threads = threads
        c.stateLimit = maxStates
        c.timeLimitSeconds = maxSeconds
        c.maxDepth = maxDepth
        c.reductions = noReductions ? [] : .all
        let reductionNames = "progress or reductions from " + CheckerConfiguration.Reductions.named.map(\.key).joined(separator: ", ")
        for word in try Self.names(without, option: "--without", takes: reductionNames) {
            if word == "progress" {
                c.progress = false
                continue
            }
            guard let reduction = CheckerConfiguration.Reductions.named.first(where: { $0.key == word })?.value else {
                throw ValidationError("--without takes \(reductionNames); '\(word)' is not one")
            }
            c.reductions.remove(reduction)
        }
        c.seed = seed
        do {
            try c.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return c
    }

    /// The words of a comma-separated option (`--break`, `--without`), each once, over every time it is given
    /// (`--without progress --without symmetry` is `--without progress,symmetry`); an empty list or an empty
    /// word (`a,,b`, a trailing comma) is refused with the line that says what the option takes.
    static func names(_ values: [String], option: String, takes: String) throws -> [String] {
        guard !values.isEmpty else { return [] }
        let value = values.joined(separator: ",")
        let words = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !words.contains(where: \.isEmpty) else {
            throw ValidationError("\(option) takes \(takes), separated by commas (got '\(InputText.escaped(value))')")
        }
        for (index, word) in words.enumerated() where words[..<index].contains(word) {
            throw ValidationError("\(option) names \(InputText.escaped(word)) twice: give each once (got '\(InputText.escaped(value))')")
        }
        return words
    }

    /// `--candidates nA,nB`: distinct replicas of the cluster, at least one.
    static func candidates(_ value: String, replicas: Int) throws -> [ReplicaID] {
        let example = replicas >= 3 ? "n2,n3" : replicas == 2 ? "n1,n2" : "n1"
        let refusal = ValidationError("--candidates takes distinct replicas from n1 to n\(replicas), separated by commas, such as \(example) (got '\(InputText.escaped(value))')")
        var ids: [ReplicaID] = []
        for word in value.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = ReplicaID(parsing: word), (1...replicas).contains(id.number), !ids.contains(id) else { throw refusal }
            ids.append(id)
        }
        return ids
    }

    /// The progress line, redrawn in place on the terminal.
    @Sendable static func showProgress(_ progress: CheckProgress) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + progress.line).utf8))
    }

    func run() throws {
        let bounds = try bounds()
        if let script { try checkOutputPath(script, option: "--script") }
        let checker: ModelChecker
        do {
            checker = try ModelChecker(bounds)
        } catch {
            throw ValidationError(error.description)
        }
        let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
        let showsProgress = !quiet && isatty(STDERR_FILENO) == 1
        print("checking: \(checker.configuration.summary)")
        // Ctrl-C stops the search with its report (incomplete, exit 3), as a limit does.
        Interrupts.catchThem()
        var interruptible = checker.configuration
        interruptible.interrupted = Interrupts.requested
        let report = try ModelChecker(interruptible).run(progress: showsProgress ? Self.showProgress : nil)
        if showsProgress { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        if let counterexample = report.counterexample {
            if !quiet {
                print(counterexample.flowHeading)
                for line in FlowRenderer(color: color).render(counterexample.events) { print(line) }
            }
            let text = checker.script(for: counterexample)
            do {
                let written: (path: String, note: String)
                if let script {
                    try OutputFile.write(text, to: script)
                    written = (script, "")
                } else {
                    written = try OutputFile.writeUnclaimed("counterexample.pxs", marker: Session.checkScriptMarker) { _ in text }
                }
                print("wrote the counterexample as a script: \(written.path)\(written.note) (replay: \(Session.replayCommand(written.path, seed: seed)))")
            } catch {
                printError(InputText.escaped(error.description))
            }
        }
        for line in report.lines { print(line) }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}

extension CheckPreset: ExpressibleByArgument {}
extension CheckerConfiguration.Suspicion: ExpressibleByArgument {}
