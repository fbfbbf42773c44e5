import ArgumentParser
import Foundation
import PaxosCore
import PaxosPlayground
import PaxosSimulation

/// `paxos-playground bench`: simulated redo-log replication, swept over replicas, batch and window.
///
/// Each configuration runs in a child process (the command re-invokes itself with the hidden `--single`),
/// so its peak resident memory (VmHWM) is its own. The run has invariant checks off
/// (`checksInvariants = false`) and builds no trace events (`performQuietly`): the numbers are the
/// protocol's, through the same core calls as every other run. See Docs/Performance.md.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulated throughput benchmark: redo-log replication swept over replicas, batch and window.",
        discussion: """
            Build it in release mode: swift run -c release paxos-playground bench. Each configuration runs in \
            its own child process so its peak resident memory is its own. Delivery is FIFO, with no faults; \
            invariant checks are off and no trace events are built (--traced builds them).
            """)

    // The sweep's options are optional, so that one given with --interactive (which does not read it) is
    // refused, not ignored; their defaults are the `Sweep` values below.
    @Option(name: .customLong("transactions"), parsing: .unconditional, help: "Client transactions per configuration (default: 1000000).")
    var transactionsGiven: Int?

    @Option(name: .customLong("replicas"), parsing: .unconditional, help: "Replica counts to sweep, comma-separated (default: 3,5,7).")
    var replicasGiven: IntList?

    @Option(name: .customLong("batch"), parsing: .unconditional, help: "Batch sizes (transactions per proposal) to sweep, comma-separated (default: 1,8,64).")
    var batchGiven: IntList?

    @Option(name: .customLong("window"), parsing: .unconditional, help: "Windows (proposals in flight) to sweep, comma-separated (default: 1,4,16).")
    var windowGiven: IntList?

    @Option(parsing: .unconditional, help: "Seed of the simulation.")
    var seed: UInt64 = 1

    @Option(name: .customLong("commit"), help: "Commit policy: sync, async, or a registered plugin (default: sync).")
    var commitGiven: String?

    @Flag(help: "Also push the same number of message values through the fastest queue (a Deque of envelopes) with no protocol work, and print the protocol's overhead as a ratio.")
    var baseline = false

    @Flag(name: .customLong("memory-check"), help: "Also run each configuration with a tenth of the transactions and print the ratio of the peak resident memories.")
    var memoryCheck = false

    @Flag(help: "Build every trace event (perform instead of performQuietly): the cost of the trace.")
    var traced = false

    @Flag(help: "Check the invariants after every step (checksInvariants = true; off by default).")
    var invariants = false

    @Option(parsing: .unconditional, help: "Runs of each configuration (and of its baseline); the fastest counts.")
    var `repeat` = 1

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Flag(help: .hidden)
    var single = false

    @Flag(help: "Time each REPL command on a long session instead (with --steps, --only, --repeat and --seed only; see Docs/Performance.md, Interactive speed).")
    var interactive = false

    @Option(name: .customLong("steps"), parsing: .unconditional, help: "With --interactive: the steps of the session the commands are timed on (default: 30000).")
    var stepsGiven: Int?

    @Option(help: "With --interactive: only the commands whose name contains this.")
    var only: String?

    var transactions: Int { transactionsGiven ?? 1_000_000 }
    var replicas: IntList { replicasGiven ?? IntList([3, 5, 7]) }
    var batch: IntList { batchGiven ?? IntList([1, 8, 64]) }
    var window: IntList { windowGiven ?? IntList([1, 4, 16]) }
    var commit: String { commitGiven ?? SyncCommit.name }
    var steps: Int { stepsGiven ?? 30_000 }

    /// The options given that the mode chosen does not read: the sweep's with `--interactive`, the
    /// interactive ones without it. Each combination is refused with one line, never ignored.
    func checkTheModesOptions() throws {
        let sweepOnly: [(String, Bool)] = [
            ("--transactions", transactionsGiven != nil), ("--replicas", replicasGiven != nil), ("--batch", batchGiven != nil),
            ("--window", windowGiven != nil), ("--commit", commitGiven != nil), ("--baseline", baseline),
            ("--memory-check", memoryCheck), ("--traced", traced), ("--invariants", invariants), ("--json", json),
        ]
        if interactive {
            let given = sweepOnly.filter(\.1).map(\.0)
            guard given.isEmpty else {
                throw ValidationError("\(Self.listed(given)) \(given.count == 1 ? "belongs" : "belong") to the throughput sweep, not to --interactive (which takes --steps, --only, --repeat and --seed, and prints text only): drop \(given.count == 1 ? "it" : "them"), or drop --interactive")
            }
        } else if !single {
            let given = [("--steps", stepsGiven != nil), ("--only", only != nil)].filter(\.1).map(\.0)
            guard given.isEmpty else {
                throw ValidationError("\(Self.listed(given)) \(given.count == 1 ? "works" : "work") with --interactive only (timing REPL commands): add --interactive, or drop \(given.count == 1 ? "it" : "them") for the throughput sweep")
            }
        }
    }

    /// `--a`, `--a and --b`, `--a, --b and --c`.
    static func listed(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }

    func validate() throws {
        try checkTheModesOptions()
        try checkLimit(transactions, .benchTransactions, "--transactions")
        try checkLimit(`repeat`, .benchRepeat, "--repeat")
        try checkLimit(steps, .benchSessionSteps, "--steps")
        if let only { try InteractiveBench.checkOnly(only) }
        for (option, list, bound) in [("--replicas", replicas, Limits.Bound.replicas), ("--batch", batch, .batch),
                                      ("--window", window, .window)] {
            try checkLimit(list.values.count, .benchSweep, option)
            for value in list.values { try checkLimit(value, bound, option) }
        }
        guard Playground.registry.commit(named: commit) != nil else {
            throw ValidationError("unknown commit policy '\(commit)': registered are \(Playground.registry.commits.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        if interactive {
            return try InteractiveBench(steps: steps, seed: seed, repeats: `repeat`, only: only).run()
        }
        if single {
            guard let r = replicas.values.first, let b = batch.values.first, let w = window.values.first else {
                throw ValidationError("--single needs one replica count, batch and window")
            }
            let result = try measure(replicas: r, batch: b, window: w, transactions: transactions)
            print(try String(decoding: JSONEncoder().encode(result), as: UTF8.self))
            return
        }
        var results: [BenchResult] = []
        if !json { print(header) }
        for r in replicas.values {
            for b in batch.values {
                for w in window.values {
                    var result = try child(replicas: r, batch: b, window: w, transactions: transactions, baseline: baseline)
                    if memoryCheck {
                        let small = try child(replicas: r, batch: b, window: w, transactions: max(1, transactions / 10), baseline: false)
                        result.tenthPeakRSSKiB = small.peakRSSKiB
                    }
                    if !json { print(BenchTable.row(result, baseline: baseline, memoryCheck: memoryCheck, first: results.isEmpty)) }
                    results.append(result)
                }
            }
        }
        if json {
            let report = BenchReport(machine: Machine.current, transactions: transactions, commit: commit, seed: seed,
                                     checksInvariants: invariants, traceEvents: traced, results: results)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(BenchTable.footer(results, baseline: baseline, memoryCheck: memoryCheck))
        }
    }

    private var header: String {
        let m = Machine.current
        return """
            paxos-playground bench: \(BenchTable.grouped(transactions)) \(inflected("transaction", transactions)) per configuration, FIFO delivery, \
            no faults, commit \(commit), seed \(seed)
            invariant checks \(invariants ? "on (checksInvariants = true)" : "off (checksInvariants = false)"); \(traced ? "every trace event built (perform)" : "no trace events built (performQuietly)"); \
            each configuration in its own process\(`repeat` > 1 ? ", fastest of \(`repeat`) runs" : "")
            machine: \(m.processors) cores, \(m.model), \(m.memoryGiB) GiB
            """
    }

    /// Runs one configuration in a child process (`bench --single`) and reads its result.
    private func child(replicas r: Int, batch b: Int, window w: Int, transactions n: Int, baseline: Bool) throws -> BenchResult {
        let process = Process()
        process.executableURL = Machine.executable
        var arguments = ["bench", "--single", "--replicas", "\(r)", "--batch", "\(b)", "--window", "\(w)",
                         "--transactions", "\(n)", "--seed", "\(seed)", "--commit", commit]
        if baseline { arguments.append("--baseline") }
        if traced { arguments.append("--traced") }
        if invariants { arguments.append("--invariants") }
        if `repeat` > 1 { arguments += ["--repeat", "\(`repeat`)"] }
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let result = try? JSONDecoder().decode(BenchResult.self, from: output) else {
            throw ValidationError("the run with \(counted(r, "replica")), batch \(b), window \(w) failed (exit \(process.terminationStatus))")
        }
        return result
    }

    /// Runs one configuration in this process.
    private func measure(replicas r: Int, batch b: Int, window w: Int, transactions n: Int) throws -> BenchResult {
        var config = ClusterConfig(replicaCount: r)
        config.batchSize = b
        config.window = w
        guard let commitPolicy = Playground.registry.commit(named: commit) else { throw ValidationError("unknown commit policy '\(commit)'") }
        let policies = Policies(commit: commitPolicy)
        var result: BenchResult?
        for _ in 0..<`repeat` {
            var driver = BenchDriver(replicas: r, batch: b, window: w, seed: seed, policies: policies, config: config,
                                     traced: traced, checksInvariants: invariants)
            var run = try driver.run(transactions: n)
            if baseline {
                run.baselineSeconds = driver.baseline(messages: run.messages + run.applies, depth: run.meanInFlight)
            }
            if var best = result {
                best.seconds = min(best.seconds, run.seconds)
                if let bare = run.baselineSeconds { best.baselineSeconds = min(best.baselineSeconds ?? bare, bare) }
                result = best
            } else {
                result = run
            }
        }
        guard var result else { throw ValidationError("--repeat must be at least 1") }
        result.peakRSSKiB = Machine.peakRSSKiB
        return result
    }
}
