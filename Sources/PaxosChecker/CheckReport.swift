import Foundation
import PaxosCore
import PaxosSimulation

/// What a model check found, and what it cost.
package struct CheckReport: Sendable {
    package enum Verdict: Hashable, Sendable {
        /// Every state reachable within the bounds keeps invariants 1-5.
        case verified
        /// A reachable state breaks an invariant: see ``CheckReport/counterexample``.
        case violated
        /// Every state reachable within this many steps keeps invariants 1-5 (and progress, when checked),
        /// but the depth bound (`--max-depth`, `explore K`) left steps of some state that deep untaken: longer
        /// runs were not explored, and nothing is proved of them.
        case verifiedToDepth(Int)
        /// A limit stopped the search first (the reason says which); nothing is proved.
        case incomplete(String)
    }

    /// The reason of an ``Verdict/incomplete(_:)`` search that ``CheckerConfiguration/interrupted`` stopped.
    package static let interruptedReason = "interrupted by Ctrl-C"


    package var verdict: Verdict
    /// The shortest path to a violation (breadth-first), or the one found (depth-first).
    package var counterexample: Counterexample?
    /// Distinct states reached (fingerprints stored), the start included.
    package var states: Int
    /// Steps taken (each computed a successor state, new or not).
    package var transitions: Int
    /// The longest run explored, in steps.
    package var depth: Int
    package var seconds: Double
    /// The process's peak resident memory (VmHWM), in bytes; 0 when unknown.
    package var peakMemoryBytes: Int
    package var threads: Int
    /// Which reductions ran, and why any did not.
    package var reductionNotes: [String]
    /// The bounds, in one line.
    package var bounds: String
    /// Whether progress was checked from every state too.
    package var checksProgress = false

    package var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : 0 }

    /// Exit code of `paxos-playground check`: 0 verified within the bounds, 1 on a violation. An incomplete
    /// search proves nothing, and one cut short by its depth bound proves nothing of longer runs: each exits
    /// 3 so scripts do not take it for either.
    package var exitCode: Int32 {
        switch verdict {
        case .verified: 0
        case .violated: 1
        case .verifiedToDepth, .incomplete: 3
        }
    }

    /// The report's lines, without the counterexample's flow or script.
    package var lines: [String] { lines(timed: true) }

    /// The report's lines; without `timed`, the statistics leave out the wall time, the rate, the peak
    /// memory and the threads, which differ from run to run and machine to machine (the counts do not): what
    /// the REPL prints, so that a script's output is the same on every run.
    package func lines(timed: Bool) -> [String] {
        var lines = ["bounds: \(bounds)"]
        let verdictLine: String = switch verdict {
        case .verified:
            "verified: invariants 1-5 hold in every state within these bounds"
                + (checksProgress ? ", and from every one the cluster recovers once the faults stop" : "")
        case .violated:
            if let counterexample, counterexample.violations.isEmpty {
                if let continuation = counterexample.continuation {
                    "PROGRESS VIOLATION: after \(counted(counterexample.actions.count, "step")) the faults stop, and the cluster does not recover: \(continuation.failure)"
                } else {
                    "PROGRESS VIOLATION: found by the search, but its replay with the trace on recovers (a bug of the checker: please report it)"
                }
            } else {
                "VIOLATION: " + (counterexample?.violations.map { "invariant \($0.invariant) (\($0.name)): \($0.detail)" }
                    .joined(separator: "; ") ?? "an invariant is broken")
                    + (counterexample.map { " \($0.when)" } ?? "")
            }
        case .verifiedToDepth(let depth):
            "verified to depth \(depth) only: invariants 1-5 hold in every state within \(depth) step\(depth == 1 ? "" : "s")"
                + (checksProgress ? ", and from every one the cluster recovers once the faults stop" : "")
                + "; longer runs were not explored, and nothing is proved of them"
        case .incomplete(let reason): "incomplete: \(reason); nothing is proved"
        }
        lines.append(verdictLine)
        let counts = "\(Self.grouped(states)) \(inflected("state", states)), \(Self.grouped(transitions)) \(inflected("transition", transitions)), depth \(depth)"
        lines.append(timed
            ? counts + String(format: ", %.2f s, %@ states/s, peak memory %@, %d thread%@", seconds,
                              Self.grouped(Int(statesPerSecond.rounded())), Self.megabytes(peakMemoryBytes), threads,
                              threads == 1 ? "" : "s")
            : counts)
        lines += reductionNotes.map { "reduction: \($0)" }
        return lines
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes <= 0 ? "unknown" : String(format: "%.0f MB", Double(bytes) / 1_048_576)
    }
}

/// Where a search stands, for a progress line.
package struct CheckProgress: Sendable {
    package var states: Int
    package var transitions: Int
    /// The level being explored (breadth-first) or the stack depth (depth-first).
    package var depth: Int
    /// States waiting at the next level (breadth-first).
    package var frontier: Int
    package var seconds: Double
    package var residentMemoryBytes: Int

    package var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : 0 }

    /// `1,204,332 states · 5,993,001 transitions · depth 17 · 412,000 states/s · 310 MB`
    package var line: String {
        "\(CheckReport.grouped(states)) \(inflected("state", states)) · \(CheckReport.grouped(transitions)) \(inflected("transition", transitions)) · depth \(depth) · "
            + "\(CheckReport.grouped(Int(statesPerSecond.rounded()))) states/s · \(CheckReport.megabytes(residentMemoryBytes))"
    }
}

/// A path from the start to a violation, replayed through the simulation with its trace: typed steps, which
/// the playground's `ScriptPrinter` writes as a script.
package struct Counterexample: Sendable {
    /// The steps, with the message ids the simulation assigns when it replays them from the start.
    package var actions: [CheckerAction]
    /// What each step was about (`propose n1 → n2`), for the script's comments.
    package var labels: [String]
    /// The replay's trace: every event, the violation's included. Render it with `FlowRenderer`.
    package var events: [TraceEvent]
    /// The invariants the last step broke.
    package var violations: [Violation]
    /// When no invariant broke: the faults-stop continuation from the path's end that does not recover.
    package var continuation: FailedContinuation?
    /// The invariant broke before the search, as the transactions committed first committed (a protocol
    /// break that shows in a plain run): `actions` is empty and `events` are those transactions' steps.
    package var beforeSearch = false

    /// The line above the flow: how long the path is, or that the violation came before the search.
    package var flowHeading: String {
        beforeSearch
            ? "the violation happens before the search, as the transactions committed first commit:"
            : "shortest path to the violation (\(counted(actions.count, "step"))):"
    }

    /// `after N steps`, or that it was before the search.
    var when: String {
        beforeSearch ? "before the search, as the transactions committed first commit"
            : "after \(counted(actions.count, "step"))"
    }
}

/// The process's peak resident memory, from `/proc/self/status` (Linux); 0 elsewhere.
func peakResidentMemoryBytes() -> Int {
    residentMemory(field: "VmHWM:")
}

/// The process's resident memory now: the second figure of `/proc/self/statm` (pages), read every 0.1 s
/// while a search runs with a memory limit (`/proc/self/status`, split into lines and words, cost about
/// 200,000 instructions a read); 0 elsewhere.
func currentResidentMemoryBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ", maxSplits: 2)
    guard fields.count >= 2, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

private func residentMemory(field: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
    return 0
}
