import ArgumentParser
import Foundation
import PaxosCore
import PaxosSimulation

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
            lines.append("overhead: the run's wall time over the bare baseline's (the same messages through a Deque, no protocol work); worst \(String(format: "%.1fx", worst)), target at most 3x.")
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
        // Every element a number: `3,,5`, `,3` and `3,` are refused, not read as 3,5 and 3.
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
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
