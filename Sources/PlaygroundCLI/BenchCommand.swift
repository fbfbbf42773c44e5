import ArgumentParser
import Foundation
import PaxosCore
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

    @Option(help: "Client transactions per configuration.")
    var transactions = 1_000_000

    @Option(help: "Replica counts to sweep, comma-separated.")
    var replicas = IntList([3, 5, 7])

    @Option(help: "Batch sizes (transactions per proposal) to sweep, comma-separated.")
    var batch = IntList([1, 8, 64])

    @Option(help: "Windows (proposals in flight) to sweep, comma-separated.")
    var window = IntList([1, 4, 16])

    @Option(help: "Seed of the simulation.")
    var seed: UInt64 = 1

    @Option(help: "Commit policy: sync, async, or a registered plugin.")
    var commit: String = SyncCommit.name

    @Flag(help: "Also push the same number of message values through the same queue with no protocol work, and print the protocol's overhead as a ratio.")
    var baseline = false

    @Flag(name: .customLong("memory-check"), help: "Also run each configuration with a tenth of the transactions and print the ratio of the peak resident memories.")
    var memoryCheck = false

    @Flag(help: "Build every trace event (perform instead of performQuietly): the cost of the trace.")
    var traced = false

    @Flag(help: "Check the invariants after every step (checksInvariants = true; off by default).")
    var invariants = false

    @Option(help: "Runs of each configuration (and of its baseline); the fastest counts.")
    var `repeat` = 1

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Flag(help: .hidden)
    var single = false

    func validate() throws {
        guard transactions >= 1 else { throw ValidationError("--transactions must be at least 1") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard replicas.values.allSatisfy({ (1...9).contains($0) }) else {
            throw ValidationError("--replicas must be 1 to 9, e.g. --replicas 3,5,7")
        }
        guard batch.values.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--batch must be at least 1, e.g. --batch 1,8,64") }
        guard window.values.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--window must be at least 1, e.g. --window 1,4,16") }
        guard Playground.registry.commit(named: commit) != nil else {
            throw ValidationError("unknown commit policy '\(commit)': registered are \(Playground.registry.commits.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
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
            paxos-playground bench: \(BenchTable.grouped(transactions)) transactions per configuration, FIFO delivery, \
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
            throw ValidationError("the run with \(r) replicas, batch \(b), window \(w) failed (exit \(process.terminationStatus))")
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

// MARK: - The driver

/// Drives one cluster through `transactions` client transactions: a client that keeps the leader's queue
/// fed (it submits a chunk of 2 × batch × window when the queue holds less than batch × window and none of
/// its transactions is in flight), FIFO delivery, and a tick only when needed: every `cleanupEvery`
/// committed entries the client holds back until the network is quiet, and one tick sends a heartbeat round
/// whose `cleanup_index` lets the followers clean their logs. No message is lost, so no tick is needed for
/// progress, and a tick on a quiet network re-sends nothing.
struct BenchDriver {
    var sim: Simulation
    let batch: Int
    let window: Int
    let traced: Bool
    /// Committed log entries between heartbeat rounds: bounds the followers' logs.
    let cleanupEvery = 1024
    /// Redo records cycled through by the client: a bounded key space, so the data stays bounded too.
    let pool: [[RedoRecord]] = (0..<1024).map { [RedoRecord(key: "k\($0)", value: "v\($0)")] }
    /// The first messages delivered, as the baseline's message values.
    var samples: [Envelope] = []
    /// The replicas' effects, one buffer for every step (`performQuietly(_:effects:)`).
    var effects: [Effect] = []

    init(replicas: Int, batch: Int, window: Int, seed: UInt64, policies: Policies, config: ClusterConfig, traced: Bool,
         checksInvariants: Bool) {
        sim = Simulation(replicaCount: replicas, seed: seed, policies: policies, config: config, leader: ReplicaID(1))
        sim.checksInvariants = checksInvariants
        self.batch = batch
        self.window = window
        self.traced = traced
    }

    private mutating func act(_ action: Action) throws {
        if traced {
            _ = try sim.perform(action)
        } else {
            try sim.performQuietly(action, effects: &effects)
        }
    }

    mutating func run(transactions: Int) throws -> BenchResult {
        let leader = ReplicaID(1)
        let low = batch * window
        let chunk = max(1, 2 * batch * window)
        var submitted = 0
        // The message id of the last transaction submitted. Delivery is FIFO, so once the oldest item in flight
        // is younger, every transaction submitted so far has been delivered.
        var lastTransactionID = 0
        var messages = 0, applies = 0, ticks = 0
        var peakLeaderLog = 0, peakFollowerLog = 0, peakInFlight = 0, inFlightSum = 0, steps = 0
        var committedAtLastTick = 0
        // A heartbeat round is due: the client holds back until the network is quiet, so the tick finds every
        // proposal accepted and acked and re-sends nothing (a tick with proposals in flight would).
        var cleanupDue = false
        var finalRound = false

        let clock = ContinuousClock()
        let start = clock.now
        while true {
            if !cleanupDue, submitted < transactions, sim.inFlight.isEmpty || sim.inFlight[0].id > lastTransactionID,
               sim.figures(of: leader).queued < low {
                let count = min(chunk, transactions - submitted)
                for _ in 0..<count {
                    let redo = pool[submitted % pool.count]
                    if traced {
                        lastTransactionID = try sim.perform(.submit(redo)).first?.messageID ?? lastTransactionID
                    } else {
                        lastTransactionID = try sim.submitQuietly(redo)
                    }
                    submitted += 1
                }
            }
            guard !sim.inFlight.isEmpty else {
                // Quiet: everything submitted so far is committed, applied and acked. A tick sends a heartbeat
                // round, whose cleanup_index lets the followers clean their logs; after the last one the run
                // is over.
                if finalRound { break }
                guard cleanupDue || submitted == transactions else {
                    throw ValidationError("the network went quiet with transactions left")
                }
                peakFollowerLog = max(peakFollowerLog, followerLogPeak())
                try act(.tick)
                ticks += 1
                cleanupDue = false
                finalRound = submitted == transactions
                continue
            }
            steps += 1
            inFlightSum += sim.inFlight.count
            peakInFlight = max(peakInFlight, sim.inFlight.count)
            // Read in place: a copy of the item and its envelope would be the driver's cost, not the protocol's.
            switch sim.inFlight[0].item {
            case .message:
                messages += 1
                if samples.count < 4096, case .message(let envelope) = sim.inFlight[0].item { samples.append(envelope) }
            case .apply:
                applies += 1
            }
            try act(.deliver(sim.inFlight[0].id))
            let figures = sim.figures(of: leader)
            peakLeaderLog = max(peakLeaderLog, figures.logCount)
            if figures.commitIndex - committedAtLastTick >= cleanupEvery {
                committedAtLastTick = figures.commitIndex
                cleanupDue = true
            }
        }
        let seconds = (clock.now - start).seconds

        // Everything committed, applied everywhere, and cleaned up.
        let leaderState = sim.replica(leader)
        guard leaderState.role == .leader, leaderState.leadership?.queue.isEmpty == true,
              leaderState.commitIndex == leaderState.log.lastIndex,
              sim.replicas.allSatisfy({ $0.appliedIndex == leaderState.commitIndex }) else {
            throw ValidationError("the run ended before every transaction was committed and applied everywhere")
        }
        if let violation = sim.violations.first {
            throw ValidationError("invariant \(violation.invariant) (\(violation.name)) violated: \(violation.detail)")
        }
        return BenchResult(
            replicas: sim.replicas.count, batch: batch, window: window, transactions: transactions,
            entries: leaderState.commitIndex, messages: messages, applies: applies, ticks: ticks, seconds: seconds,
            peakLeaderLog: peakLeaderLog, peakFollowerLog: peakFollowerLog,
            finalLogs: sim.replicas.map(\.log.count).max() ?? 0, monitorHistory: sim.monitorHistorySize,
            peakInFlight: peakInFlight,
            meanInFlight: steps == 0 ? 0 : inFlightSum / steps)
    }

    private func followerLogPeak() -> Int {
        sim.replicas.dropFirst().map(\.log.count).max() ?? 0
    }

    /// The bare baseline: `messages` message values (the run's first ones, cycled) through the same queue,
    /// kept `depth` deep as in the run, and no protocol work. Returns the wall time in seconds.
    mutating func baseline(messages: Int, depth: Int) -> Double {
        var bare = Simulation(replicaCount: sim.replicas.count, seed: sim.seed, policies: sim.policies, config: sim.config,
                              leader: ReplicaID(1))
        bare.checksInvariants = false
        guard !samples.isEmpty else { return 0 }
        for k in 0..<depth { _ = bare.enqueueBare(samples[k % samples.count]) }
        var checksum = 0
        let clock = ContinuousClock()
        let start = clock.now
        var k = depth
        for _ in 0..<messages {
            _ = bare.enqueueBare(samples[k % samples.count])
            k += 1
            guard let item = bare.takeOldestBare() else { continue }
            // Look at the message as a delivery does: who it is for, and what it is.
            if case .message(let envelope) = item.item, case .replica(let to) = envelope.to {
                checksum &+= to.number &+ envelope.message.kind.utf8.count
            }
        }
        let seconds = (clock.now - start).seconds
        if checksum == -1 { print("") }  // keeps the loop's work observable
        return seconds
    }
}

// MARK: - Results

struct BenchResult: Codable {
    var replicas: Int
    var batch: Int
    var window: Int
    var transactions: Int
    /// Log entries committed (proposals): transactions / batch, rounded up.
    var entries: Int
    /// Messages delivered (client transactions included).
    var messages: Int
    /// Apply events delivered (async commit only).
    var applies: Int
    var ticks: Int
    var seconds: Double
    var peakLeaderLog: Int
    var peakFollowerLog: Int
    /// The longest log at the end, after the last heartbeat: cleanup leaves none.
    var finalLogs: Int
    /// Entries in the invariant monitor's history at the end (0 with checks off): it forgets what every
    /// replica applied.
    var monitorHistory: Int
    var peakInFlight: Int
    var meanInFlight: Int
    var peakRSSKiB = 0
    var baselineSeconds: Double?
    var tenthPeakRSSKiB: Int?

    var messagesPerSecond: Double { Double(messages) / max(seconds, 1e-9) }
    var transactionsPerSecond: Double { Double(transactions) / max(seconds, 1e-9) }
    /// The run's time over the bare baseline's, for the same number of messages.
    var overhead: Double? { baselineSeconds.map { seconds / max($0, 1e-9) } }
    var memoryRatio: Double? { tenthPeakRSSKiB.map { Double(peakRSSKiB) / Double(max($0, 1)) } }

    enum CodingKeys: String, CodingKey {
        case replicas, batch, window, transactions, entries, messages, applies, ticks, seconds, peakLeaderLog
        case peakFollowerLog, finalLogs, monitorHistory, peakInFlight, meanInFlight, peakRSSKiB, baselineSeconds, tenthPeakRSSKiB
        case messagesPerSecond, transactionsPerSecond, overhead, memoryRatio
    }

    init(replicas: Int, batch: Int, window: Int, transactions: Int, entries: Int, messages: Int, applies: Int, ticks: Int,
         seconds: Double, peakLeaderLog: Int, peakFollowerLog: Int, finalLogs: Int, monitorHistory: Int, peakInFlight: Int,
         meanInFlight: Int) {
        self.replicas = replicas
        self.batch = batch
        self.window = window
        self.transactions = transactions
        self.entries = entries
        self.messages = messages
        self.applies = applies
        self.ticks = ticks
        self.seconds = seconds
        self.peakLeaderLog = peakLeaderLog
        self.peakFollowerLog = peakFollowerLog
        self.finalLogs = finalLogs
        self.monitorHistory = monitorHistory
        self.peakInFlight = peakInFlight
        self.meanInFlight = meanInFlight
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        replicas = try c.decode(Int.self, forKey: .replicas)
        batch = try c.decode(Int.self, forKey: .batch)
        window = try c.decode(Int.self, forKey: .window)
        transactions = try c.decode(Int.self, forKey: .transactions)
        entries = try c.decode(Int.self, forKey: .entries)
        messages = try c.decode(Int.self, forKey: .messages)
        applies = try c.decode(Int.self, forKey: .applies)
        ticks = try c.decode(Int.self, forKey: .ticks)
        seconds = try c.decode(Double.self, forKey: .seconds)
        peakLeaderLog = try c.decode(Int.self, forKey: .peakLeaderLog)
        peakFollowerLog = try c.decode(Int.self, forKey: .peakFollowerLog)
        finalLogs = try c.decode(Int.self, forKey: .finalLogs)
        monitorHistory = try c.decode(Int.self, forKey: .monitorHistory)
        peakInFlight = try c.decode(Int.self, forKey: .peakInFlight)
        meanInFlight = try c.decode(Int.self, forKey: .meanInFlight)
        peakRSSKiB = try c.decode(Int.self, forKey: .peakRSSKiB)
        baselineSeconds = try c.decodeIfPresent(Double.self, forKey: .baselineSeconds)
        tenthPeakRSSKiB = try c.decodeIfPresent(Int.self, forKey: .tenthPeakRSSKiB)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(replicas, forKey: .replicas)
        try c.encode(batch, forKey: .batch)
        try c.encode(window, forKey: .window)
        try c.encode(transactions, forKey: .transactions)
        try c.encode(entries, forKey: .entries)
        try c.encode(messages, forKey: .messages)
        try c.encode(applies, forKey: .applies)
        try c.encode(ticks, forKey: .ticks)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(peakLeaderLog, forKey: .peakLeaderLog)
        try c.encode(peakFollowerLog, forKey: .peakFollowerLog)
        try c.encode(finalLogs, forKey: .finalLogs)
        try c.encode(monitorHistory, forKey: .monitorHistory)
        try c.encode(peakInFlight, forKey: .peakInFlight)
        try c.encode(meanInFlight, forKey: .meanInFlight)
        try c.encode(peakRSSKiB, forKey: .peakRSSKiB)
        try c.encodeIfPresent(baselineSeconds, forKey: .baselineSeconds)
        try c.encodeIfPresent(tenthPeakRSSKiB, forKey: .tenthPeakRSSKiB)
        try c.encode(messagesPerSecond, forKey: .messagesPerSecond)
        try c.encode(transactionsPerSecond, forKey: .transactionsPerSecond)
        try c.encodeIfPresent(overhead, forKey: .overhead)
        try c.encodeIfPresent(memoryRatio, forKey: .memoryRatio)
    }
}

struct BenchReport: Encodable {
    let machine: Machine
    let transactions: Int
    let commit: String
    let seed: UInt64
    let checksInvariants: Bool
    let traceEvents: Bool
    let results: [BenchResult]
}

enum BenchTable {
    static func row(_ r: BenchResult, baseline: Bool, memoryCheck: Bool, first: Bool) -> String {
        var titles = ["replicas", "batch", "window", "messages", "msg/s", "tx/s", "leader log", "follower log", "peak RSS"]
        var cells = [String(r.replicas), String(r.batch), String(r.window), grouped(r.messages),
                     grouped(Int(r.messagesPerSecond)), grouped(Int(r.transactionsPerSecond)),
                     String(r.peakLeaderLog), String(r.peakFollowerLog), megabytes(r.peakRSSKiB)]
        if baseline {
            titles += ["bare msg/s", "overhead"]
            let bare = r.baselineSeconds.map { Double(r.messages + r.applies) / max($0, 1e-9) } ?? 0
            cells += [grouped(Int(bare)), r.overhead.map { String(format: "%.1fx", $0) } ?? "-"]
        }
        if memoryCheck {
            titles += ["RSS at N/10", "RSS ratio"]
            cells += [r.tenthPeakRSSKiB.map(megabytes) ?? "-", r.memoryRatio.map { String(format: "%.2fx", $0) } ?? "-"]
        }
        // Fixed widths, wide enough for 25,000,000 messages and 10,000,000 messages per second.
        let widths = zip(titles, cells).map { max($0.count, $1.count, $0.contains("/s") || $0 == "messages" ? 11 : 6) }
        let line = zip(cells, widths).map { pad($0, $1) }.joined(separator: "  ")
        guard first else { return line }
        return zip(titles, widths).map { pad($0, $1) }.joined(separator: "  ") + "\n" + line
    }

    static func footer(_ results: [BenchResult], baseline: Bool, memoryCheck: Bool) -> String {
        var lines = ["leader log / follower log: peak entries held; peak RSS: VmHWM of the configuration's process."]
        if baseline, let worst = results.compactMap(\.overhead).max() {
            lines.append("overhead: the run's wall time over the bare baseline's (the same messages through the same queue, no protocol work); worst \(String(format: "%.1fx", worst)), target at most 3x.")
        }
        if memoryCheck, let worst = results.compactMap(\.memoryRatio).max() {
            lines.append("RSS ratio: peak memory at N over N/10 transactions; worst \(String(format: "%.2fx", worst)), target at most 1.2x.")
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (k, digit) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func megabytes(_ kib: Int) -> String { String(format: "%.1f MB", Double(kib) / 1024) }
}

// MARK: - The machine

struct Machine: Encodable {
    let processors: Int
    let model: String
    let memoryGiB: Int

    static var current: Machine {
        let model = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
            .flatMap { text in text.split(separator: "\n").first { $0.hasPrefix("model name") } }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory
        return Machine(processors: ProcessInfo.processInfo.activeProcessorCount, model: model,
                       memoryGiB: Int((Double(memory) / 1_073_741_824).rounded()))
    }

    /// This process's peak resident memory (VmHWM in /proc/self/status), in KiB; 0 where there is none.
    static var peakRSSKiB: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    }

    /// This executable, to run a configuration in a child process.
    static var executable: URL {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: link.path) { return link.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }
}

/// A comma-separated list of integers, as an option: `--batch 1,8,64`.
struct IntList: ExpressibleByArgument, CustomStringConvertible {
    var values: [Int]

    init(_ values: [Int]) { self.values = values }

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.compactMap { $0 }
    }

    var description: String { values.map(String.init).joined(separator: ",") }
    var defaultValueDescription: String { description }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
