import Foundation
import Testing
import PaxosChecker
import PaxosCore

/// PROTOCOL.md: "Phase 1 of Paxos ... is what makes every election policy safe." With recovery on, every
/// state within the small bounds keeps invariants 1-5, whatever the election and commit policy.
@Suite struct VerificationTests {
    static let policies: [(String, String)] = [PriorityElection.name, LongestTermElection.name, RandomizedElection.name]
        .flatMap { election in [SyncCommit.name, AsyncCommit.name].map { (election, $0) } }

    @Test(arguments: policies)
    func recoveryOnVerifies(election: String, commit: String) throws {
        let report = try ModelChecker(Bounds.small(election: election, commit: commit)).run()
        #expect(report.verdict == .verified, "\(election)/\(commit): \(report.lines.joined(separator: "; "))")
        #expect(report.states > 1_000, "the bounds must let the protocol run: \(report.states) states")
        #expect(report.counterexample == nil)
    }

    /// Global ticks (what scripts replay): the default bounds verify too.
    @Test func defaultBoundsWithTicksVerify() throws {
        let report = try ModelChecker(Bounds.ticking(recovery: true)).run()
        #expect(report.verdict == .verified, "\(report.lines.joined(separator: "; "))")
        #expect(report.depth > 10)
    }

    @Test func reportSaysWhatItCost() throws {
        var c = Bounds.small()
        c.maxDepth = 12
        let report = try ModelChecker(c).run()
        #expect(report.transitions >= report.states - 1)
        #expect(report.seconds > 0)
        #expect(report.statesPerSecond > 0)
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("verified"))
        #expect(text.contains("states"))
        #expect(text.contains("reduction: partial order"))
        #expect(text.contains("reduction: symmetry"))
        #expect(report.exitCode == 0)
    }

    @Test func limitsStopTheSearchWithoutAVerdict() throws {
        var c = Bounds.small()
        c.stateLimit = 500
        let report = try ModelChecker(c).run()
        guard case .incomplete(let reason) = report.verdict else {
            Issue.record("expected an incomplete search, got \(report.verdict)")
            return
        }
        #expect(reason.contains("state limit"))
        #expect(report.exitCode == 3)
    }

    @Test func badOptionsSayWhatWouldBeRight() {
        var c = CheckerConfiguration()
        c.election = "fastest"
        #expect(throws: CheckerError.self) { try ModelChecker(c) }
        do {
            _ = try ModelChecker(c)
        } catch {
            #expect(error.description.contains("registered are priority, longest-term, randomized"))
        }
        c = CheckerConfiguration()
        c.initialLeader = ReplicaID(4)
        #expect(throws: CheckerError.self) { try ModelChecker(c) }
    }

    @Test func progressIsReported() throws {
        var c = Bounds.small()
        c.threads = 1
        let box = ProgressBox()
        let report = try ModelChecker(c).run { progress in box.add(progress) }
        // About two lines a second, with numbers that only grow.
        let seen = box.values
        if report.seconds > 1.5 { #expect(!seen.isEmpty) }
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.states <= $1.states })
        #expect(seen.first?.line.contains("states") == true)
    }
}

final class ProgressBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [CheckProgress] = []

    func add(_ progress: CheckProgress) {
        lock.lock()
        stored.append(progress)
        lock.unlock()
    }

    var values: [CheckProgress] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
