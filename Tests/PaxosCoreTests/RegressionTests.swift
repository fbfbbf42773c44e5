import Testing
@_spi(Mutants) @testable import PaxosCore
@testable import PaxosSimulation

/// Bugs the randomized fault runs found, each pinned by a scenario that shows it directly.
@Suite("Regressions")
struct RegressionTests {
    /// Two candidates stood in the same round; n1 won it with n3, n2 kept its own higher ballot 1.n2 of
    /// that round. The leader used to step down on n2's reject, time out together with n2, and the two
    /// duelled round after round (fault seed 182 under the first generator).
    @Test("a leader keeps leading when a rival candidate of its own round rejects its proposal")
    func leaderIgnoresSameRoundRival() throws {
        var bench = Bench(3, leader: nil)
        let candidacies = bench.tick(1, 3).sent("candidacy")
        #expect(bench.tick(2, 4).sent("candidacy").count == 2)
        #expect(bench[2].promised == ballot(1, 2))
        let toN3 = try #require(candidacies.first { $0.to == .replica(n(3)) })
        let grant = try #require(bench.deliver(toN3).sent.first)
        bench.deliver(grant)
        #expect(bench[1].leaderBallot == ballot(1, 1))

        let proposals = bench.deliver(transaction(1, "x=1"), from: nil, to: 1).sent("propose")
        let proposalToN2 = try #require(proposals.first { $0.to == .replica(n(2)) })
        let reject = try #require(bench.deliver(proposalToN2).sent.first)
        #expect(reject.json == #"{"vote": "reject", "proposal_id": 1, "ballot": "1.n1", "reason": "ballot below promise", "promised": "1.n2"}"#)
        let answer = bench.deliver(reject)

        #expect(answer.reasons == [.ignored("n1 keeps leading 1.n1: 1.n2 is a rival candidacy of round 1, which n1 won")])
        #expect(bench[1].role == .leader)
        let proposalToN3 = try #require(proposals.first { $0.to == .replica(n(3)) })
        let accept = try #require(bench.deliver(proposalToN3).sent.first)
        bench.deliver(accept)
        #expect(bench[1].commitIndex == 1)
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
        #expect(world.events("candidacy").map(\.payload.rendered) == [
            #"{"candidacy": {"ballot": "2.n1", "last_index": 1, "last_ballot": "1.n1"}}"#,
            #"{"candidacy": {"ballot": "2.n1", "last_index": 1, "last_ballot": "1.n1"}}"#,
            #"{"candidacy": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0"}}"#,
            #"{"candidacy": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0"}}"#,
        ])

        // n1 wins round 2 with n3; n2 keeps its own promise 2.n2 and rejects n1's proposals.
        let settled = world.runUntilQuiet(maxTicks: 40)

        #expect(settled, "\(world.convergenceProblem ?? ""): \(world.summary)")
        #expect(world.readyLeader?.id == n(1))
        #expect(world.replicas.allSatisfy { $0.data == ["x": "1"] })
        #expect(world.sim.violations.isEmpty)
    }

    /// A new leader took over entries its followers had already applied (and acked to the leader before
    /// it), so their acks arrived; it then skipped those followers when re-sending proposals and never
    /// got the accepts to commit the entries itself (fault seeds 30210 and 30114 under `randomized`).
    @Test("retransmission re-proposes entries the leader has not committed, even to followers that acked them")
    func retransmitUncommittedEntriesToAckedFollowers() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(transaction(1, "x=1"), from: nil, to: 1)
        bench.deliver(.ack(index: 1), from: 2, to: 1)
        bench.deliver(.ack(index: 1), from: 3, to: 1)
        #expect(bench[1].commitIndex == 0 && bench[1].leadership?.acked == [0, 1, 1])

        let tick = bench.tick(1)

        #expect(tick.sent("propose").map(\.to) == [.replica(n(2)), .replica(n(3))])
        #expect(tick.reasons.contains(.resends(index: 1, ballot: ballot(1, 1), cause: .retransmit)))
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

        #expect(events.filter { $0.kind == "apply" }.map(\.payload.rendered) == [
            #"{"proposal_id": 1, "redo_log": ["a=1"]}"#, #"{"proposal_id": 2, "redo_log": ["b=2"]}"#,
        ])
        #expect(world.replica(2).data == ["a": "1", "b": "2"])
        #expect(world.sim.violations.isEmpty)
    }

    @Test("invariant 4 still catches entries applied out of order")
    func outOfOrderApplyIsCaught() throws {
        var world = World(replicas: 3) { $0.mutations = .applyOutOfOrder }
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
