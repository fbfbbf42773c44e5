import Testing
import PaxosChecker
import PaxosCore

/// What the checker found in the invariant monitor, kept as a regression test.
@Suite struct LateLeaderTests {
    /// Invariant 2 says "an entry committed anywhere is in the log of every later leader". Paxos promises
    /// it for every leader of a *higher* ballot only. Here n1 and n2 both stand; n2 (2.n2) wins with n3 and
    /// commits x=1; n2's promise to n1 for 1.n1, sent before, arrives last, and n1 becomes leader of the
    /// lower ballot 1.n1 without x=1. n1 can commit nothing (every majority has promised 2.n2), so
    /// agreement holds. The monitor used to report invariant 2 here; it now records the ballot each index
    /// was committed under and checks at `leaderReady(b)` only the entries committed under ballots below b.
    @Test func aLateLowerBallotLeaderDoesNotTripInvariantTwo() throws {
        var c = CheckerConfiguration()
        c.initialLeader = nil
        c.candidates = [ReplicaID(1), ReplicaID(2)]
        c.elections = 2
        c.electionsPerReplica = 1
        c.time = .timeouts(2)
        // The late lower-ballot leader needs 10 steps; runs twice as long keep the test quick.
        c.maxDepth = 20
        let report = try ModelChecker(c).run()
        #expect(report.verdict == .verified, "\(report.lines.joined(separator: "; "))")
    }
}
