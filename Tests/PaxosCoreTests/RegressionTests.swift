import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// Bugs the randomized fault runs found, each pinned by a scenario that shows it directly.
@Suite("Regressions")
struct RegressionTests {
    /// Two candidates stood in the same round; n1 won it with n3, n2 kept its own higher ballot 1.n2 of
    /// that round. The leader used to step down on n2's reject, time out together with n2, and the two
    /// duelled round after round (fault seed 182 under the first generator). Later n2 kept rejecting the
    /// leader of its round for ever. Now n2 withdraws its promise to itself, follows n1 and accepts.
    @Test("§3(2) a candidate that hears the leader of its own round withdraws its own promise, follows and accepts")
    func sameRoundRivalWithdrawsAndAccepts() throws {
        var bench = Bench(3, leader: nil)
        let candidacies = bench.stand(1, 3).sent("candidacy")
        // n2 asks n3 alone for a pre-vote before n1's candidacy reaches anyone: it stands in round 1 too.
        let ask = try #require(bench.tick(2, 4).sent("pre_vote").first { $0.to == .replica(n(3)) })
        let yes = try #require(bench.deliver(ask).sent.first)
        #expect(bench.deliver(yes).sent("candidacy").count == 2)
        #expect(bench[2].promised == ballot(1, 2))
        let toN3 = try #require(candidacies.first { $0.to == .replica(n(3)) })
        let grant = try #require(bench.deliver(toN3).sent.first)
        bench.deliver(grant)
        #expect(bench[1].leaderBallot == ballot(1, 1))

        let proposals = bench.deliver(transaction(1, "x=1"), from: nil, to: 1).sent("propose")
        let proposalToN2 = try #require(proposals.first { $0.to == .replica(n(2)) })
        let answer = bench.deliver(proposalToN2)

        #expect(answer.reasons.prefix(2) == [
            .withdraws(promised: ballot(1, 2), leader: ballot(1, 1)),
            .standsAside(ballot: ballot(1, 2), preVote: false, cause: .heardLeader(ballot(1, 1)), retryTicks: bench[2].electionTimeoutTicks),
        ])
        #expect(answer.sent.map(\.json) == [#"{"vote": "accept", "proposal_id": 1, "ballot": "1.n1"}"#])
        #expect(bench[2].role == .follower && bench[2].promised == ballot(1, 1) && bench[2].knownLeader == n(1))
        bench.deliver(try #require(answer.sent.first))
        #expect(bench[1].commitIndex == 1 && bench[1].role == .leader)
    }

    @Test("two candidates of one round, the winner ahead of the loser's log: the cluster settles")
    func sameRoundCandidatesSettle() throws {
        var world = World(replicas: 3, leader: 1)
        // x=1 is committed by n1 and n3; n2 never gets it.
        world.submit("x=1")
        world.deliverOne("transaction", to: 1)
        world.dropAll("propose", to: 2)
        world.deliverOne("propose", from: 1, to: 3)
        world.deliverOne("vote", from: 3, to: 1)
        world.dropAll("commit")
        // n1 crashes and is back one tick later: n1 (3 ticks) and n2 (4 ticks) now time out together.
        world.crash(1)
        world.tick()
        world.restart(1)
        world.tick(3)
        #expect(world.events("pre_vote").map(\.payload.rendered) == [
            #"{"pre_vote": {"ballot": "2.n1", "last_index": 1, "last_ballot": "1.n1", "attempt": 1}}"#,
            #"{"pre_vote": {"ballot": "2.n1", "last_index": 1, "last_ballot": "1.n1", "attempt": 1}}"#,
            #"{"pre_vote": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0", "attempt": 1}}"#,
            #"{"pre_vote": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0", "attempt": 1}}"#,
        ])

        let settled = world.runUntilQuiet(maxTicks: 40)

        #expect(settled, "\(world.convergenceProblem ?? ""): \(world.summary)")
        #expect(world.readyLeader?.id == n(1))
        #expect(world.replicas.allSatisfy { $0.data == ["x": "1"] })
        #expect(world.sim.violations.isEmpty)
    }

    /// A new leader took over entries its followers had already applied (and acked to the leader before
    /// it), so their acks arrived; it then skipped those followers when re-sending proposals and never
    /// got the accepts to commit the entries itself (fault seeds 30210 and 30114 under `randomized`).
    @Test("catch-up re-proposes entries the leader has not committed, even to followers that acked them")
    func retransmitUncommittedEntriesToAckedFollowers() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(transaction(1, "x=1"), from: nil, to: 1)
        bench.deliver(.ack(index: 1), from: 2, to: 1)
        bench.deliver(.ack(index: 1), from: 3, to: 1)
        #expect(bench[1].commitIndex == 0 && bench[1].leadership?.acked == [0, 1, 1])
        let heartbeats = bench.tick(1).sent("heartbeat")
        #expect(heartbeats.count == 2)

        let replies = heartbeats.flatMap { bench.deliver($0).sent("heartbeat_reply") }
        let resent = replies.flatMap { bench.deliver($0) }

        #expect(resent.sent("propose").map(\.to) == [.replica(n(2)), .replica(n(3))])
        #expect(resent.reasons.contains(.resends(index: 1, ballot: ballot(1, 1), cause: .retransmit)))
    }

    /// The monitor compared the replay of each applied entry with the replica's data after the whole step,
    /// so a step that applied two entries (a commit closing a hole, a restart) looked like a violation.
    @Test("invariant 4 holds when one step applies several entries")
    func severalAppliesInOneStep() throws {
        var world = World(replicas: 3)
        world.submit("a=1")
        world.submit("b=2")
        for flight in world.pending("transaction", to: 1) { world.deliver(flight.id) }
        for flight in world.pending("propose", to: 2) { world.deliver(flight.id) }
        for flight in world.pending("vote", from: 2, to: 1) { world.deliver(flight.id) }
        // Commit 2 reaches n2 before commit 1: n2 applies both when commit 1 arrives.
        let commits = world.pending("commit", to: 2)
        #expect(commits.count == 2)
        world.deliver(commits[1].id)
        let events = world.perform(.deliver(commits[0].id))

        #expect(events.filter { $0.kind == .apply }.map(\.payload.rendered) == [
            #"{"proposal_id": 1, "redo_log": ["a=1"]}"#, #"{"proposal_id": 2, "redo_log": ["b=2"]}"#,
        ])
        #expect(world.replica(2).data == ["a": "1", "b": "2"])
        #expect(world.sim.violations.isEmpty)
    }

    @Test("invariant 4 still catches entries applied out of order")
    func outOfOrderApplyIsCaught() throws {
        var world = World(replicas: 3) { $0.breaks = [.applyOutOfOrder] }
        world.submit("a=1")
        world.submit("b=2")
        for flight in world.pending("transaction", to: 1) { world.deliver(flight.id) }
        for flight in world.pending("propose", to: 2) { world.deliver(flight.id) }
        for flight in world.pending("vote", from: 2, to: 1) { world.deliver(flight.id) }
        let commits = world.pending("commit", to: 2)
        world.deliver(commits[1].id)

        #expect(world.sim.violations.map(\.invariant) == [4])
        #expect(world.sim.violations.first?.index == 2 && world.sim.violations.first?.replicas == [n(2)])
    }

    /// Dropping an apply event (under `async`) left the replica one apply short for ever: it never caught
    /// up with its commit index (fault seeds 10125 and 10134 under `async`). Only messages can be lost.
    @Test("the network drops and duplicates messages, not apply events")
    func applyEventsCannotBeDropped() throws {
        var world = World(replicas: 3, commit: "async")
        world.submit("x=1")
        world.deliverAll(includingApplies: false)
        let apply = try #require(world.pendingApplies.first)

        #expect(throws: SimulationError.self) { try world.sim.check(.drop(apply.id)) }
        #expect(throws: SimulationError.self) { try world.sim.check(.duplicate(apply.id)) }
        #expect(throws: Never.self) { try world.sim.check(.deliver(apply.id)) }
        do {
            try world.sim.check(.drop(apply.id))
        } catch {
            #expect(error.description == "#\(apply.id) is n2's apply event, not a message: only messages can be dropped or duplicated (apply n2 runs it)")
        }
    }
}
