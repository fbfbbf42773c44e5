import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// §3(2) Who wins after the leader crashes, under each election policy.
@Suite("Election policies")
struct ElectionPolicyTests {
    /// Crashes the leader n1, then runs until a new leader finished recovery.
    static func crashLeader(_ world: inout World) -> Replica? {
        world.crash(1)
        world.runUntilLeader()
        return world.readyLeader
    }

    @Test("priority: the highest-priority live replica wins, not the lowest id")
    func priorityElectsHighestPriorityLiveReplica() throws {
        var world = World(replicas: 5, election: "priority") { $0.priorities = [5, 1, 2, 9, 3] }
        world.submit("x=1")
        world.deliverAll()

        let winner = try #require(Self.crashLeader(&world))

        #expect(winner.id == n(4))
        #expect(winner.leaderBallot == ballot(2, 4))
        #expect(world.events("elected").map(\.payload.rendered) == [#"{"ballot": "2.n4"}"#])
        #expect(world.events("candidacy").allSatisfy { $0.from == .replica(n(4)) }, "n4 times out first: only it stands")
        #expect(winner.data == ["x": "1"])
        #expect(world.sim.violations.isEmpty)
    }

    @Test("priority: ties go to the lower id")
    func priorityTieGoesToLowerID() throws {
        var world = World(replicas: 3, election: "priority") { $0.priorities = [1, 7, 7] }

        let winner = try #require(Self.crashLeader(&world))

        #expect(winner.id == n(2))
    }

    @Test("longest-term: the replica with the most up-to-date log wins, even against a higher priority")
    func longestTermElectsMostUpToDateLog() throws {
        var world = World(replicas: 3, election: "longest-term")
        world.submit("x=1")
        world.deliverOne("transaction", to: 1)
        // n2 (priority 2) never sees the proposal; n3 (priority 1) accepts it.
        world.dropAll("propose", to: 2)
        world.deliverOne("propose", from: 1, to: 3)
        #expect(world.replica(2).log.lastIndex == 0 && world.replica(3).log.lastIndex == 1)

        let winner = try #require(Self.crashLeader(&world))

        #expect(winner.id == n(3))
        // n2 timed out first and asked for a pre-vote, but n3 would not grant it: n3's log is more up to date.
        // n2 raised no ballot, so n3's own candidacy, a tick later, met no higher round.
        let refusal = try #require(world.events("pre_vote_reply").first { $0.from == .replica(n(3)) && $0.to == .replica(n(2)) })
        #expect(refusal.payload.rendered.contains(#""granted": false, "reason": "n3's log (last 1 under 1.n1) is more up to date than n2's (last 0 under 0)""#))
        #expect(world.events("pre_vote").first?.from == .replica(n(2)), "n2, the higher priority, timed out first")
        #expect(world.events("candidacy").allSatisfy { $0.from == .replica(n(3)) }, "only n3 stood for real")
        // n3 recovered x=1 and committed it under its ballot.
        #expect(winner.commitIndex == 1 && winner.data == ["x": "1"])
        #expect(world.replica(2).data == ["x": "1"])
        #expect(world.sim.violations.isEmpty)
    }

    /// The winner, its ballot and the whole trace of a leader crash under `randomized` with `seed`.
    static func randomizedRun(seed: UInt64) -> (winner: ReplicaID?, ballot: Ballot?, trace: [String]) {
        var world = World(replicas: 5, seed: seed, election: "randomized")
        let winner = crashLeader(&world)
        return (winner?.id, winner?.leaderBallot, world.trace.map(\.jsonLine))
    }

    @Test("randomized: the same seed gives the same winner, by the same trace", arguments: [7, 8, 9] as [UInt64])
    func randomizedSameSeedSameWinner(seed: UInt64) throws {
        let first = Self.randomizedRun(seed: seed)
        let second = Self.randomizedRun(seed: seed)

        #expect(first.winner != nil)
        #expect(first.winner == second.winner && first.ballot == second.ballot)
        #expect(first.trace == second.trace)
    }

    @Test("randomized: different seeds give different winners (pinned seeds)")
    func randomizedDifferentSeedsDifferentWinners() throws {
        // Found by trying seeds 1, 2, 3, …: the first seeds that elect n5, n2, n4 and n3 (seed 1 needed a
        // second round: no majority for round 2, then a retry after the retry timeout).
        let pinned: [(seed: UInt64, winner: ReplicaID, ballot: Ballot)] = [
            (1, n(5), ballot(3, 5)), (2, n(2), ballot(2, 2)), (3, n(4), ballot(2, 4)), (5, n(3), ballot(2, 3)),
        ]

        let runs = pinned.map { Self.randomizedRun(seed: $0.seed) }
        let winners = runs.map(\.winner)

        #expect(winners == pinned.map(\.winner))
        #expect(runs.map(\.ballot) == pinned.map(\.ballot))
        #expect(Set(winners.compactMap { $0 }).count == pinned.count)
    }
}
