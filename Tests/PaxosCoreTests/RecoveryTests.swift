import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// §3(3) Log recovery: whatever replica wins the election, it learns every entry a majority accepted
/// before it proposes anything, so committed entries survive the leader's crash.
@Suite("Recovery")
struct RecoveryTests {
    static let policies = ["priority", "longest-term", "randomized"]

    @Test("an entry a majority accepted, whose commit reached nobody, survives the crash and is committed next", arguments: policies)
    func majorityAcceptedEntrySurvivesLeaderCrash(election: String) throws {
        var world = World(replicas: 3, election: election)
        world.submit("x=1")
        world.deliverOne("transaction", to: 1)
        // n3 accepts, n2 never sees the proposal; n1 commits on its own accept and n3's, but no commit leaves.
        world.dropAll("propose", to: 2)
        world.deliverOne("propose", from: 1, to: 3)
        world.deliverOne("vote", from: 3, to: 1)
        #expect(world.replica(1).commitIndex == 1)
        world.dropAll("commit")
        #expect(world.replica(2).log.lastIndex == 0 && world.replica(3).log[1]?.status == .accepted)

        world.crash(1)
        let elected = world.runUntilLeader()
        #expect(elected)
        let leader = try #require(world.readyLeader)

        // Whoever won (n2 under priority, with an empty log), it recovered x=1 from n3 and committed it.
        if election != "randomized" {
            #expect(leader.id == (election == "priority" ? n(2) : n(3)))
        }
        #expect(leader.commitIndex == 1 && leader.log.lastIndex == 1)
        #expect(leader.data == ["x": "1"])
        #expect(leader.log[1].map { $0.ballot == leader.leaderBallot } ?? (leader.log.start > 1))
        #expect(world.events("recovered").count == 1)

        world.restart(1)
        let quiet = world.runUntilQuiet()
        #expect(quiet, "\(world.convergenceProblem ?? "")")
        #expect(world.replicas.allSatisfy { $0.data == ["x": "1"] && $0.commitIndex == 1 })
        #expect(world.sim.violations.isEmpty)
    }

    @Test("an entry a majority accepted, but no one committed, is committed by the next leader", arguments: policies)
    func majorityAcceptedUncommittedEntryIsCommitted(election: String) throws {
        var world = World(replicas: 5, election: election)
        world.submit("x=1")
        world.deliverOne("transaction", to: 1)
        // n3 and n4 accept (a majority with n1), but their votes are lost: nobody knows it is chosen.
        world.deliverOne("propose", from: 1, to: 3)
        world.deliverOne("propose", from: 1, to: 4)
        world.dropAll("propose")
        world.dropAll("vote")
        #expect(world.replicas.allSatisfy { $0.commitIndex == 0 })

        world.crash(1)
        world.runUntilLeader()
        world.submit("y=2")
        let quiet = world.run { world in world.sim.replicas.filter { world.sim.isAlive($0.id) }.allSatisfy { $0.appliedIndex == 2 } }
        #expect(quiet)

        for r in world.replicas where r.id != n(1) {
            #expect(r.data == ["x": "1", "y": "2"], "\(r.id)")
        }
        #expect(world.sim.violations.isEmpty)
    }

    @Test("an entry only the old leader holds never conflicts with what is committed later", arguments: policies)
    func entryOnlyOnOldLeaderIsOverwrittenConsistently(election: String) throws {
        var world = World(replicas: 3, election: election)
        world.submit("x=1")
        world.deliverOne("transaction", to: 1)
        world.dropAll("propose")
        #expect(world.replica(1).log[1]?.redo == redo("x=1"))

        world.crash(1)
        world.runUntilLeader()
        world.submit("y=2")
        world.runUntilQuiet(maxTicks: 0)
        let leader = try #require(world.readyLeader)
        #expect(leader.commitIndex == 1 && leader.data == ["y": "2"])

        // n1 comes back with x=1 at index 1, accepted under 1.n1: the new leader's entry replaces it.
        world.restart(1)
        let quiet = world.runUntilQuiet()
        #expect(quiet, "\(world.convergenceProblem ?? "")")
        for r in world.replicas {
            #expect(r.data == ["y": "2"], "\(r.id)")
            #expect(r.log[1].map { $0.redo == redo("y=2") } ?? (r.log.start > 1), "\(r.id)")
        }
        #expect(world.sim.violations.isEmpty)
    }

    // MARK: - Regressions

    /// A leader re-proposes recovered entries under its own ballot. Its own copy must hold that ballot
    /// too: if it kept the old one, a later recovery that hears from it and from a replica holding a
    /// different value under a ballot in between would pick that value, and undo a committed entry.
    @Test("a re-proposed entry is held under the new ballot, so a later recovery still prefers it")
    func reproposedEntryKeepsNewBallot() throws {
        var bench = Bench(5, leader: 1, policies: Policies(election: RandomizedElection()))
        // 1.n1: c is proposed, only n2 accepts it.
        bench.deliver(transaction(1, "c=1"), from: nil, to: 1)
        bench.deliver(propose(1, ballot(1, 1), "c=1"), from: 1, to: 2)
        // 2.n3: n3 leads with n4 and n5 (empty logs), proposes x; nobody else accepts it.
        try elect(3, by: [4, 5], in: &bench)
        #expect(bench[3].leaderBallot == ballot(2, 3) && bench[3].isReadyLeader)
        bench.deliver(transaction(2, "x=1"), from: nil, to: 3)
        #expect(bench[3].log[1]?.redo == redo("x=1"))
        // 3.n2: n2 (which saw round 2) leads with n1 and n4, recovers c, commits it with n1 and n4.
        bench.deliver(.heartbeat(Heartbeat(ballot: ballot(2, 3), commitIndex: 0, cleanupIndex: 0)), from: 3, to: 2)
        let recovery = try elect(2, by: [1, 4], in: &bench)
        let reproposals = recovery.sent("propose").filter { [n(1), n(4)].contains($0.to.replica) }
        #expect(reproposals.map(\.json) == Array(repeating: #"{"proposal_id": 1, "ballot": "3.n2", "redo_log": ["c=1"]}"#, count: 2))
        for vote in reproposals.flatMap({ bench.deliver($0).sent }) { bench.deliver(vote) }
        #expect(bench[2].commitIndex == 1 && bench[2].data == ["c": "1"])
        #expect(bench[2].log[1]?.ballot == ballot(3, 2), "n2's own copy is held under the ballot it re-proposed it with")

        // 4.n5: n5 leads with n2 and n3 only. n2 reports c under 3.n2, n3 reports x under 2.n3: c wins.
        bench.deliver(.heartbeat(Heartbeat(ballot: ballot(3, 2), commitIndex: 1, cleanupIndex: 0)), from: 2, to: 5)
        let next = try elect(5, by: [2, 3], in: &bench)
        #expect(next.reasons.contains(.recovered(from: 1, to: 1, chosen: [1: ballot(3, 2)])))
        #expect(next.sent("propose").first?.json == #"{"proposal_id": 1, "ballot": "4.n5", "redo_log": ["c=1"]}"#)
    }

    /// A log range reply carries the replier's status. The new leader's own copy must keep its own status,
    /// or an entry another replica had applied would look committed at the leader, which would then never
    /// count its accepts, commit it, nor apply it.
    @Test("a re-proposed entry takes the new leader's own status, not the replier's")
    func reproposedEntryKeepsOwnStatus() throws {
        var bench = Bench(3, leader: 1, policies: Policies(election: RandomizedElection()))
        // 1.n1: n2 and n3 accept x; no vote comes back.
        for proposal in bench.deliver(transaction(1, "x=1"), from: nil, to: 1).sent("propose") { bench.deliver(proposal) }
        // 2.n3: n3 recovers x from n2, re-proposes it, commits it with n1 and applies it. n2 misses all that.
        let first = try elect(3, by: [2], in: &bench)
        let toN1 = try #require(first.sent("propose").first { $0.to == .replica(n(1)) })
        bench.deliver(try #require(bench.deliver(toN1).sent.first))
        #expect(bench[3].log[1]?.status == .applied && bench[3].log[1]?.ballot == ballot(2, 3))
        #expect(bench[2].log[1]?.status == .accepted && bench[2].log[1]?.ballot == ballot(1, 1))

        // 3.n2: n2 recovers from n3, whose copy (2.n3, applied) beats its own (1.n1, accepted).
        let recovery = try elect(2, by: [3], in: &bench)

        #expect(recovery.reasons.contains(.recovered(from: 1, to: 1, chosen: [1: ballot(2, 3)])))
        #expect(bench[2].log[1]?.status == .accepted, "applied is n3's status, not n2's")
        let proposal = try #require(recovery.sent("propose").first { $0.to == .replica(n(3)) })
        let vote = try #require(bench.deliver(proposal).sent.first)
        let commit = bench.deliver(vote)
        #expect(commit.sent("commit").count == 2)
        #expect(bench[2].commitIndex == 1 && bench[2].appliedIndex == 1 && bench[2].data == ["x": "1"])
    }

    /// Makes `candidate` time out and stand, has `voters` grant, and delivers everything recovery needs
    /// from them. Returns the effects of the step that finished recovery (or of the election, when there
    /// was nothing to recover).
    @discardableResult
    func elect(_ candidate: Int, by voters: [Int], in bench: inout Bench) throws -> [Effect] {
        // A voter that leads would refuse: it has heard from no majority (nothing reaches it on the bench)
        // for an election timeout and a heartbeat interval, so it steps down first.
        for voter in voters where bench[voter].leadership != nil {
            let stepDown = bench.tick(voter, bench.config.stepDownTicks)
            #expect(stepDown.locals.contains { if case .stepDown = $0 { true } else { false } })
        }
        var candidacies: [Envelope] = []
        for _ in 0..<20 where candidacies.isEmpty {
            candidacies = bench.stand(candidate).sent("candidacy")
        }
        var last: [Effect] = []
        for voter in voters {
            let candidacy = try #require(candidacies.first { $0.to == .replica(n(voter)) })
            let promise = try #require(bench.deliver(candidacy).sent.first)
            last = bench.deliver(promise)
        }
        #expect(bench[candidate].role == .leader)
        // Recovery asks every replica; here only the voters answer.
        for request in last.sent("request_log_range") where voters.contains(request.to.replica?.number ?? 0) {
            let reply = try #require(bench.deliver(request).sent.first)
            let effects = bench.deliver(reply)
            if bench[candidate].isReadyLeader { return effects }
        }
        return last
    }
}
