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
        #expect(report.verdict == .verifiedToDepth(12), "\(election)/\(commit): \(report.lines.joined(separator: "; "))")
        #expect(report.states > 1_000, "the bounds must let the protocol run: \(report.states) states")
        #expect(report.counterexample == nil)
    }

    /// Global ticks (what scripts replay): the default bounds verify too.
    @Test func defaultBoundsWithTicksVerify() throws {
        let report = try ModelChecker(Bounds.ticking(recovery: true)).run()
        #expect(report.verdict == .verified, "\(report.lines.joined(separator: "; "))")
        #expect(report.depth > 10)
    }

    /// A depth bound that cuts off the steps to a violation is no proof (an audit found `--max-depth 1` printing
    /// "verified" and exiting 0 where the violation is 2 steps deep): the verdict names the depth, exit 3.
    /// A depth bound past every run's end changes nothing.
    @Test(arguments: [CheckerConfiguration.SearchOrder.breadthFirst, .depthFirst])
    func aDepthBoundShortOfTheViolationIsNoProof(order: CheckerConfiguration.SearchOrder) throws {
        var c = CheckerConfiguration()
        c.breaks = [.commitWithoutMajority]
        c.threads = 1
        c.order = order
        let found = try ModelChecker(c).run()
        #expect(found.verdict == .violated)
        // Breadth-first finds the shortest, 2 steps; depth-first, a longer one.
        if order == .breadthFirst { #expect(found.counterexample?.actions.count == 2) }
        for depth in [0, 1] {
            c.maxDepth = depth
            let cut = try ModelChecker(c).run()
            #expect(cut.verdict == .verifiedToDepth(depth))
            #expect(cut.exitCode == 3)
            #expect(cut.lines[1].hasPrefix("verified to depth \(depth) only: invariants 1-5 hold in every state within \(depth) step\(depth == 1 ? "" : "s")"))
        }
        c.maxDepth = 2
        #expect(try ModelChecker(c).run().verdict == .violated)
        // Two replicas, nothing to do but one transaction, no faults: every run ends within 8 steps.
        var ending = CheckerConfiguration()
        ending.replicas = 2
        ending.transactions = 1
        ending.elections = 0
        ending.time = .ticks(0)
        ending.drops = 0
        ending.crashes = 0
        ending.restarts = 0
        ending.duplicates = 0
        ending.progress = false
        ending.order = order
        let whole = try ModelChecker(ending).run()
        #expect(whole.verdict == .verified)
        ending.maxDepth = whole.depth + 5
        #expect(try ModelChecker(ending).run().verdict == .verified)
    }

    @Test func reportSaysWhatItCost() throws {
        var c = Bounds.small()
        c.maxDepth = 12
        let report = try ModelChecker(c).run()
        #expect(report.transitions >= report.states - 1)
        #expect(report.seconds > 0)
        #expect(report.statesPerSecond > 0)
        let text = report.lines.joined(separator: "\n")
        #expect(report.lines[1] == "verified to depth 12 only: invariants 1-5 hold in every state within 12 steps; longer runs were not explored, and nothing is proved of them")
        #expect(text.contains("states"))
        #expect(text.contains("reduction: partial order"))
        #expect(text.contains("reduction: symmetry"))
        // A search cut short by its depth bound proves nothing of longer runs: not exit 0.
        #expect(report.exitCode == 3)
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

    /// A breadth-first search that the state limit stops reports the levels it completed, so its counts are
    /// the same on any number of threads (outside audit, round 11: 500,372 states on one thread, 501,564 on
    /// two, and a script that checks is to print the same on every run).
    @Test func aSearchStoppedByTheStateLimitCountsTheSameOnAnyThreads() throws {
        var reports: [CheckReport] = []
        for threads in [1, 2, 3] {
            var c = Bounds.small()
            c.stateLimit = 500
            c.threads = threads
            reports.append(try ModelChecker(c).run())
        }
        for report in reports {
            #expect(report.verdict == reports[0].verdict)
            #expect(report.states == reports[0].states)
            #expect(report.transitions == reports[0].transitions)
            #expect(report.depth == reports[0].depth)
        }
        #expect(reports[0].states < 500)
        guard case .incomplete(let reason) = reports[0].verdict else {
            Issue.record("expected an incomplete search, got \(reports[0].verdict)")
            return
        }
        #expect(reason.hasPrefix("the state limit of 500 was reached while level \(reports[0].depth + 1) was searched: the counts are those of levels 0 to \(reports[0].depth), each searched in full"))
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
