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
    var preset: CheckPreset?
    @Option(parsing: .unconditional, help: "Replicas in the cluster (default: 3).")
    var replicas: Int?
    @Option(help: "The replica that leads ballot 1 at the start (nK), or 'none' for a first election (default: n1).")
    var leader: String?
    @Option(parsing: .unconditional, help: "Transactions committed on every replica before the search starts (submit x=k and run, for k = 1 to N), so that every run begins with that log; needs a leader (classroom: 1, tiny: 0).")
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
    @Option(parsing: .unconditional, help: "Proposals in flight at once, as set window does (default: 4; classroom: 1).")
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
    var breaks: String?
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
    var without: String?
    @Option(help: "Where to write a counterexample script (default counterexample.pxs, or counterexample-2.pxs and on when a file of that name is not an earlier counterexample).")
    var script: String?
    @Option(parsing: .unconditional, help: "Seed (randomized elections draw their timeouts from it).")
    var seed: UInt64 = 1
    @Flag(name: .customLong("no-color"), help: "No colours.")
    var noColor = false
    @Flag(help: "Print the report only: no progress line and no flow of the counterexample.")
    var quiet = false

    func bounds() throws -> CheckerConfiguration {
        try checkLimit(threads, .checkThreads, "--threads")
        if let maxStates { try checkLimit(maxStates, .checkStates, "--max-states") }
        if let maxDepth { try checkLimit(maxDepth, .checkDepth, "--max-depth") }
        if let maxSeconds, !(maxSeconds > 0 && maxSeconds <= Double(Limits.checkSecondsMax)) {
            throw ValidationError("--max-seconds takes more than 0 and at most \(Limits.checkSecondsMax) seconds (got \(maxSeconds))")
        }
        var c = CheckerConfiguration()
        c.registry = Playground.registry
        let given: [Any?] = [replicas, leader, committed, transactions, elections, candidates, drops, duplicates, crashes, restarts,
                             ticks, timeouts, suspicion, electionsPerReplica, batch, window]
        let replicas = replicas ?? 3
        let leader = leader ?? "n1"
        c.replicas = replicas
        if leader == "none" {
            c.initialLeader = nil
        } else {
            guard let id = ReplicaID(parsing: leader) else {
                throw ValidationError("--leader takes a replica such as n1, or none; not '\(leader)'")
            }
            c.initialLeader = id
        }
        // The budgets as the REPL's `check` takes them (one `CheckBudgets.apply`); after the leader, since a
        // preset commits its first transactions only under one.
        var budgets = CheckBudgets(preset: preset ?? (given.allSatisfy { $0 == nil } ? CheckPreset.standard : CheckPreset.base))
        for (name, value) in [("committed", committed), ("transactions", transactions), ("elections", elections),
                              ("ticks", ticks), ("timeouts", timeouts), ("drops", drops), ("duplicates", duplicates),
                              ("crashes", crashes), ("restarts", restarts)] {
            if let value { budgets[name] = value }  // timeouts after ticks: given both, timeouts counts
        }
        budgets.suspicion = suspicion
        budgets.apply(to: &c)
        if let candidates {
            var ids: [ReplicaID] = []
            for word in candidates.split(separator: ",") {
                guard let id = ReplicaID(parsing: word) else {
                    throw ValidationError("--candidates takes replicas such as n2,n3; '\(word)' is not one")
                }
                ids.append(id)
            }
            c.candidates = ids
        }
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
        for word in (breaks ?? "").split(separator: ",") {
            guard let bug = ProtocolBreak(name: String(word)) else {
                let names = ProtocolBreak.allCases.map(\.name).joined(separator: ", ")
                throw ValidationError("--break takes protocol bugs from \(names); '\(word)' is not one")
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
        for word in (without ?? "").split(separator: ",") {
            if word == "progress" {
                c.progress = false
                continue
            }
            guard let reduction = CheckerConfiguration.Reductions.named.first(where: { $0.key == word })?.value else {
                let names = CheckerConfiguration.Reductions.named.map(\.key).joined(separator: ", ")
                throw ValidationError("--without takes progress or reductions from \(names); '\(word)' is not one")
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
                print("wrote the counterexample as a script: \(written.path)\(written.note) (replay: paxos-playground run \(written.path))")
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
