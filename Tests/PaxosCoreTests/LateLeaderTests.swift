import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// What the model checker found in the invariant monitor, kept as a scenario.
@Suite("Late leaders")
struct LateLeaderTests {
    /// Invariant 2 says "an entry committed anywhere is in the log of every later leader". Paxos promises
    /// it for every leader of a *higher* ballot only. Here n1 and n2 both stand; n2 (2.n2) wins with n3 and
    /// commits x=1; n2's promise to n1 for 1.n1, sent before, arrives last, and n1 becomes leader of the
    /// lower ballot 1.n1 without x=1. n1 can commit nothing (every majority has promised 2.n2), so
    /// agreement holds. The monitor used to report invariant 2 here; it records the ballot each index was
    /// committed under and checks at `leaderReady(b)` only the entries committed under ballots below b.
    @Test("a late leader of a lower ballot does not trip invariant 2")
    func aLateLowerBallotLeaderDoesNotTripInvariantTwo() throws {
        var world = World(replicas: 3, leader: nil)
        // n1 stands under 1.n1 with n3's pre-vote; n2 grants it, but its promise stays in flight.
        world.perform(.timeout(n(1)))
        world.deliverOne("pre_vote", from: 1, to: 3)
        world.deliverOne("pre_vote_reply", from: 3, to: 1)
        #expect(world.replica(1).promised == ballot(1, 1))
        world.deliverOne("candidacy", from: 1, to: 2)
        #expect(world.pending("promise", from: 2, to: 1).count == 1)
        // n2 stands under 2.n2 with n3, leads, and commits x=1 with n3.
        world.perform(.timeout(n(2)))
        world.deliverOne("pre_vote", from: 2, to: 3)
        world.deliverOne("pre_vote_reply", from: 3, to: 2)
        world.deliverOne("candidacy", from: 2, to: 3)
        world.deliverOne("promise", from: 3, to: 2)
        #expect(world.replica(2).leaderBallot == ballot(2, 2) && world.replica(2).isReadyLeader)
        world.submit("x=1")
        world.deliverOne("transaction", to: 2)
        world.deliverOne("propose", from: 2, to: 3)
        world.deliverOne("vote", from: 3, to: 2)
        #expect(world.replica(2).commitIndex == 1)

        // n2's old promise arrives: n1 leads the lower ballot 1.n1, without x=1.
        world.deliverOne("promise", from: 2, to: 1)

        #expect(world.replica(1).leaderBallot == ballot(1, 1) && world.replica(1).isReadyLeader)
        #expect(world.replica(1).log.lastIndex == 0)
        #expect(world.sim.violations.isEmpty)
    }
}
