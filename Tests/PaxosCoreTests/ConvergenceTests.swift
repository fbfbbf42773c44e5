import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// `Simulation.divergence()`: the progress property of PROTOCOL.md as a verdict, one case at a time. The
/// states are built directly (faults through `perform`, the rest set on the replicas), so these tests do not
/// depend on how fast the core elects or catches up.
@Suite struct ConvergenceTests {
    static let n1 = ReplicaID(1), n2 = ReplicaID(2), n3 = ReplicaID(3), n4 = ReplicaID(4), n5 = ReplicaID(5)

    /// `cluster N leader n1`: n1 leads 1.n1, the others follow it.
    static func cluster(_ count: Int = 3, leader: ReplicaID? = n1) -> Simulation {
        Simulation(replicaCount: count, seed: 1, leader: leader)
    }

    static func crash(_ ids: ReplicaID..., in sim: inout Simulation) {
        for id in ids {
            do { _ = try sim.perform(.crash(id)) } catch { Issue.record("crash \(id) refused: \(error)") }
        }
    }

    /// Makes `id` a leader of `ballot`, done with recovery unless `recovering`.
    static func lead(_ id: ReplicaID, _ ballot: Ballot, recovering: Bool = false, in sim: inout Simulation) {
        let k = id.number - 1
        sim.replicas[k].promised = ballot
        var leadership = LeaderState(ballot: ballot, replicaCount: sim.config.replicaCount)
        if recovering {
            leadership.recovery = RecoveryState(from: 1, to: 1, replied: ReplicaSet(id))
        }
        sim.replicas[k].becomeLeader(leadership)
    }

    /// Sets `id`'s commit and applied indexes (the log is not needed by the verdict).
    static func indexes(_ id: ReplicaID, committed: Int, applied: Int, in sim: inout Simulation) {
        sim.replicas[id.number - 1].commitIndex = committed
        sim.replicas[id.number - 1].appliedIndex = applied
    }

    @Test func aFreshClusterWithALeaderIsConverged() {
        #expect(Self.cluster().divergence() == nil)
        #expect(Self.cluster(1).divergence() == nil)
    }

    @Test func aCrashedMinorityDoesNotMatter() {
        var sim = Self.cluster(5)
        Self.crash(Self.n2, Self.n4, in: &sim)
        Self.indexes(Self.n2, committed: 0, applied: 0, in: &sim)
        Self.indexes(Self.n1, committed: 2, applied: 2, in: &sim)
        Self.indexes(Self.n3, committed: 2, applied: 2, in: &sim)
        Self.indexes(Self.n5, committed: 2, applied: 2, in: &sim)
        #expect(sim.divergence() == nil)
    }

    @Test func noMajorityUp() {
        var sim = Self.cluster()
        Self.crash(Self.n2, Self.n3, in: &sim)
        #expect(sim.divergence() == .noMajorityUp(up: [Self.n1], needed: 2))
        #expect(sim.divergence()?.description == "only n1 is up: a majority needs 2")

        var five = Self.cluster(5)
        Self.crash(Self.n5, Self.n1, Self.n3, in: &five)
        #expect(five.divergence() == .noMajorityUp(up: [Self.n2, Self.n4], needed: 3))
        #expect(five.divergence()?.description == "only n2 n4 are up: a majority needs 3")

        Self.crash(Self.n2, Self.n4, in: &five)
        #expect(five.divergence()?.description == "no replica is up: a majority needs 3")
    }

    @Test func noLeader() {
        #expect(Self.cluster(leader: nil).divergence() == .noLeader)
        var sim = Self.cluster()
        Self.crash(Self.n1, in: &sim)
        #expect(sim.divergence() == .noLeader)
        #expect(sim.divergence()?.description == "no leader")
    }

    @Test func severalLeaders() {
        var sim = Self.cluster(5)
        Self.lead(Self.n4, Ballot(round: 2, owner: Self.n4), in: &sim)
        Self.crash(Self.n1, in: &sim)
        Self.lead(Self.n2, Ballot(round: 3, owner: Self.n2), in: &sim)
        #expect(sim.divergence() == .severalLeaders([Self.n2, Self.n4]))
        #expect(sim.divergence()?.description == "n2 and n4 both lead")

        var three = Self.cluster(5)
        Self.lead(Self.n4, Ballot(round: 2, owner: Self.n4), in: &three)
        Self.lead(Self.n2, Ballot(round: 3, owner: Self.n2), in: &three)
        #expect(three.divergence()?.description == "n1, n2 and n4 all lead")
    }

    @Test func leaderRecovering() {
        var sim = Self.cluster()
        Self.crash(Self.n1, in: &sim)
        let ballot = Ballot(round: 2, owner: Self.n2)
        Self.lead(Self.n2, ballot, recovering: true, in: &sim)
        sim.replicas[2].promised = ballot
        sim.replicas[2].knownLeader = Self.n2
        #expect(sim.divergence() == .leaderRecovering(Self.n2, ballot: ballot))
        #expect(sim.divergence()?.description == "n2 leads 2.n2 but is still recovering its log")

        Self.lead(Self.n2, ballot, in: &sim)
        #expect(sim.divergence() == nil)
    }

    @Test func aCandidateDoesNotFollow() {
        var sim = Self.cluster()
        sim.replicas[2].promised = Ballot(round: 2, owner: Self.n3)
        sim.replicas[2].becomeCandidate(ElectionState(ballot: Ballot(round: 2, owner: Self.n3), preVote: false,
                                                      granted: ReplicaSet(Self.n3), highestLastIndex: 0))
        #expect(sim.divergence() == .candidate(Self.n3, ballot: Ballot(round: 2, owner: Self.n3), preVote: false, leader: Self.n1))
        #expect(sim.divergence()?.description == "n3 stands for election with 2.n3, not following the leader n1")

        // Asking for pre-votes only, it raised no ballot: its promise is still the leader's.
        sim.replicas[2].promised = Ballot(round: 1, owner: Self.n1)
        sim.replicas[2].becomeCandidate(ElectionState(ballot: Ballot(round: 2, owner: Self.n3), preVote: true,
                                                      granted: ReplicaSet(Self.n3), highestLastIndex: 0))
        #expect(sim.divergence() == .candidate(Self.n3, ballot: Ballot(round: 2, owner: Self.n3), preVote: true, leader: Self.n1))
        #expect(sim.divergence()?.description
            == "n3 asks for pre-votes for 2.n3 (it raised no ballot), not following the leader n1")
    }

    @Test func aFollowerOfAnotherReplicaOrOfNoOne() {
        var sim = Self.cluster()
        sim.replicas[2].knownLeader = Self.n2
        #expect(sim.divergence() == .notFollowing(Self.n3, follows: Self.n2, leader: Self.n1))
        #expect(sim.divergence()?.description == "n3 follows n2, not the leader n1")

        sim.replicas[1].knownLeader = nil
        #expect(sim.divergence() == .notFollowing(Self.n2, follows: nil, leader: Self.n1), "n2 is found before n3")
        #expect(sim.divergence()?.description == "n2 follows no one, not the leader n1")
    }

    @Test func aRestartedFollowerKnowsNoLeaderYet() throws {
        var sim = Self.cluster()
        Self.crash(Self.n3, in: &sim)
        #expect(sim.divergence() == nil)
        _ = try sim.perform(.restart(Self.n3))
        #expect(sim.replica(Self.n3).knownLeader == nil)
        #expect(sim.divergence()?.description == "n3 follows no one, not the leader n1")
    }

    @Test func aFollowerThatPromisedAnotherBallot() {
        var sim = Self.cluster()
        sim.replicas[1].promised = Ballot(round: 3, owner: Self.n3)
        #expect(sim.divergence() == .promisedAnotherBallot(Self.n2, promised: Ballot(round: 3, owner: Self.n3),
                                                            leaderBallot: Ballot(round: 1, owner: Self.n1)))
        #expect(sim.divergence()?.description == "n2 promised 3.n3, not the leader's ballot 1.n1")
    }

    @Test func lacksCommitted() {
        var sim = Self.cluster()
        Self.indexes(Self.n1, committed: 1, applied: 1, in: &sim)
        Self.indexes(Self.n2, committed: 1, applied: 1, in: &sim)
        #expect(sim.divergence() == .lacksCommitted(Self.n3, index: 1))
        #expect(sim.divergence()?.description == "n3 lacks committed 1")

        // Committed but not applied (async): the first missing index counts from the applied index.
        Self.indexes(Self.n1, committed: 4, applied: 4, in: &sim)
        Self.indexes(Self.n3, committed: 4, applied: 2, in: &sim)
        #expect(sim.divergence() == .lacksCommitted(Self.n2, index: 2), "n2 is found before n3")
        Self.indexes(Self.n2, committed: 4, applied: 4, in: &sim)
        #expect(sim.divergence() == .lacksCommitted(Self.n3, index: 3))

        // A crashed replica's commit index does not count.
        Self.indexes(Self.n3, committed: 4, applied: 4, in: &sim)
        Self.indexes(Self.n2, committed: 6, applied: 6, in: &sim)
        Self.crash(Self.n2, in: &sim)
        #expect(sim.divergence() == nil)
    }

    /// A follower the leader cannot reach is not converged, though it still follows the leader: its timer
    /// fires once the heartbeats stop arriving. A cut towards the leader is no such fault; healing ends it.
    @Test func aFollowerCutOffFromTheLeaderIsNotConverged() throws {
        var sim = Self.cluster(5)
        #expect(sim.divergence() == nil)
        _ = try sim.perform(.partition([[Self.n1, Self.n2], [ReplicaID(3), ReplicaID(4), ReplicaID(5)]]))
        #expect(sim.divergence() == .cutOff(ReplicaID(3), leader: Self.n1, by: .partitioned))
        #expect(sim.divergence()?.description == "n3 cannot hear the leader n1: a partition stands between them (heal lifts it)")
        _ = try sim.perform(.heal)
        #expect(sim.divergence() == nil)
        _ = try sim.perform(.cut(from: Self.n2, to: Self.n1))
        #expect(sim.divergence() == nil, "n2 still hears n1, and n1 hears a majority")
        _ = try sim.perform(.cut(from: Self.n1, to: ReplicaID(4)))
        #expect(sim.divergence() == .cutOff(ReplicaID(4), leader: Self.n1, by: .cut))
        #expect(sim.divergence()?.description == "n4 cannot hear the leader n1: the cut from n1 to n4 stands (uncut n1 n4 lifts it)")
        _ = try sim.perform(.uncut(from: Self.n1, to: ReplicaID(4)))
        #expect(sim.divergence() == nil)
    }

    /// The leader must hear a majority: one-way cuts towards it from a minority leave the cluster converged,
    /// from so many followers that their answers reach no majority make it step down (outside audit, round 9:
    /// every follower's link to the leader cut, and `expect converged` held).
    @Test func theLeaderMustHearAMajority() throws {
        var sim = Self.cluster(5)
        _ = try sim.perform(.cut(from: Self.n2, to: Self.n1))
        _ = try sim.perform(.cut(from: Self.n3, to: Self.n1))
        #expect(sim.divergence() == nil, "n1 hears itself, n4 and n5: a majority")
        _ = try sim.perform(.cut(from: Self.n4, to: Self.n1))
        #expect(sim.divergence() == .leaderUnheard(Self.n1, cutFrom: [Self.n2, Self.n3, Self.n4]))
        #expect(sim.divergence()?.description == "n1 hears no majority: the cuts from n2, n3 and n4 to n1 stand (uncut n2 n1 lifts one), so it would step down")
        _ = try sim.perform(.uncut(from: Self.n2, to: Self.n1))
        #expect(sim.divergence() == nil, "n1 hears itself, n2 and n5")
        var three = Self.cluster(5)
        Self.crash(Self.n4, Self.n5, in: &three)
        _ = try three.perform(.cut(from: Self.n2, to: Self.n1))
        #expect(three.divergence() == .leaderUnheard(Self.n1, cutFrom: [Self.n2]), "n4 and n5 are down: n1 hears itself and n3")
        #expect(three.divergence()?.description == "n1 hears no majority: the cut from n2 to n1 stands (uncut n2 n1 lifts it), so it would step down")
    }

    /// A message on its way to a live replica that carries a round above the leader's undoes convergence
    /// with no new fault: a promise of a later round deposes the leader, a later candidacy may be granted, a
    /// later leader's message draws a follower away (outside audit, round 9: the heartbeat reply of a replica
    /// that crashed after sending it deposed a leader `expect converged` had just passed).
    @Test func aHigherRoundOnItsWayIsNotSettled() throws {
        let (b1, b3) = (Ballot(round: 1, owner: Self.n1), Ballot(round: 3, owner: Self.n3))
        func with(_ message: Message, from: ReplicaID, to: ReplicaID) -> Simulation {
            var sim = Self.cluster()
            _ = sim.network.enqueue(.message(Envelope(from: .replica(from), to: .replica(to), message: message)), step: 0)
            return sim
        }
        let reply = with(.heartbeatReply(HeartbeatReply(ballot: b1, promised: b3, logEnd: 0, appliedIndex: 0)), from: Self.n3, to: Self.n1)
        #expect(reply.divergence()?.description == "#1, n3's heartbeat reply to n1, carries its promise 3.n3, above the leader's 1.n1: delivered, it makes n1 step down")
        let vote = with(.vote(Vote(index: 1, ballot: b1, rejection: .ballotBelowPromise(promised: b3))), from: Self.n3, to: Self.n1)
        #expect(vote.divergence()?.description == "#1, n3's vote to n1, carries its promise 3.n3, above the leader's 1.n1: delivered, it makes n1 step down")
        let candidacy = Message.candidacy(Candidacy(ballot: b3, lastIndex: 0, lastBallot: .zero))
        #expect(with(candidacy, from: Self.n3, to: Self.n2).divergence() == nil,
                "n2 heard its leader within the base timeout: it refuses by leader stickiness")
        var silent = with(candidacy, from: Self.n2, to: Self.n3)
        silent.replicas[2].ticksWithoutLeader = 3  // the base timeout T; n3's own is 5
        #expect(silent.divergence()?.description == "#1, n2's candidacy for 3.n3, is on its way to n3: a round above the leader's 1.n1, which n3 may grant")
        #expect(with(candidacy, from: Self.n3, to: Self.n1).divergence() == nil, "a leader refuses any candidacy")
        var cut = with(.heartbeatReply(HeartbeatReply(ballot: b1, promised: b3, logEnd: 0, appliedIndex: 0)), from: Self.n3, to: Self.n1)
        _ = try cut.perform(.cut(from: Self.n3, to: Self.n1))
        #expect(cut.divergence() == nil, "the standing cut drops the reply")
        let heartbeat = Message.heartbeat(Heartbeat(ballot: b3, commitIndex: 0, cleanupIndex: 0))
        #expect(with(heartbeat, from: Self.n3, to: Self.n2).divergence()?.description == "#1, a heartbeat n3 sent as leader of 3.n3, is on its way to n2: above n1's 1.n1, delivered, it draws n2 away from n1")
        #expect(with(heartbeat, from: Self.n3, to: Self.n1).divergence()?.description == "#1, a heartbeat n3 sent as leader of 3.n3, is on its way to n1: above n1's 1.n1, delivered, it makes n1 step down")
        #expect(with(.heartbeatReply(HeartbeatReply(ballot: b1, promised: b1, logEnd: 0, appliedIndex: 0)), from: Self.n3, to: Self.n1).divergence() == nil)
        var toTheDown = with(heartbeat, from: Self.n3, to: Self.n2)
        Self.crash(Self.n2, in: &toTheDown)
        #expect(toTheDown.divergence() == nil, "a message to a replica that is down is lost")
    }

    /// Aligned is not settled: a timer left over from a fault (a partition that just healed) that fires at
    /// the next tick would depose the leader, so the cluster is not converged until it is reset.
    @Test func aTimerDueAtTheNextTickIsNotSettled() {
        var sim = Self.cluster()
        // n2 last heard n1 3 ticks ago; its timeout is 4 (priority: T = 3, one more for the second rank): it
        // fires at the next tick.
        #expect(sim.replicas[1].electionTimeoutTicks == 4)
        sim.replicas[1].ticksWithoutLeader = 3
        #expect(sim.divergence() == .timerDue(Self.n2, leader: Self.n1, ticks: 3, within: 1))
        #expect(sim.divergence()?.description == "n2 has not heard its leader n1 for 3 ticks: its election timer fires at the next tick")
        sim.replicas[1].ticksWithoutLeader -= 1
        #expect(sim.divergence() == nil, "one tick earlier the timer is not due")

        // The leader heard from no majority for S - 1 ticks (S = T + H = 4): it steps down at the next tick.
        let stepDown = sim.config.stepDownTicks
        _ = sim.replicas[0].updateLeadership { $0.ticksWithoutMajority = stepDown - 1 }
        #expect(sim.divergence() == .leaderLosingMajority(Self.n1, ticks: 3, within: 1))
        #expect(sim.divergence()?.description == "n1 has heard from no majority for 3 ticks: it steps down at the next tick")
        _ = sim.replicas[0].updateLeadership { $0.ticksWithoutMajority -= 1 }
        #expect(sim.divergence() == nil)

        // A cluster of one never steps down: it is its own majority.
        var one = Self.cluster(1)
        _ = one.replicas[0].updateLeadership { $0.ticksWithoutMajority = 100 }
        #expect(one.divergence() == nil)
    }

    /// Checked in the order of the cases: the first problem is the one reported.
    /// A transaction on its way to a live replica is work under way; one to a replica that is down is lost
    /// when it arrives, and holds nothing up.
    @Test func aTransactionOnItsWay() throws {
        var sim = Self.cluster(3)
        _ = try sim.perform(.submit([RedoRecord(key: "x", value: "1")]))
        #expect(sim.divergence() == .transactionUnderWay(transaction: 1, to: .replica(Self.n1)))
        #expect(sim.divergence()?.description == "t1 is on its way to n1: the client's transaction is under way")
        // n1 goes down with t1 on its way to it; n2 leads 2.n2 and n3 follows it.
        Self.crash(Self.n1, in: &sim)
        let ballot = Ballot(round: 2, owner: Self.n2)
        Self.lead(Self.n2, ballot, in: &sim)
        sim.replicas[2].promised = ballot
        sim.replicas[2].knownLeader = Self.n2
        #expect(sim.inFlight.count == 1)
        #expect(sim.divergence() == nil)
    }

    @Test func theFirstProblemIsReported() {
        var sim = Self.cluster()
        Self.indexes(Self.n1, committed: 1, applied: 1, in: &sim)
        sim.replicas[2].knownLeader = nil
        #expect(sim.divergence() == .notFollowing(Self.n3, follows: nil, leader: Self.n1))
        Self.lead(Self.n1, Ballot(round: 1, owner: Self.n1), recovering: true, in: &sim)
        #expect(sim.divergence() == .leaderRecovering(Self.n1, ballot: Ballot(round: 1, owner: Self.n1)))
        Self.lead(Self.n2, Ballot(round: 2, owner: Self.n2), in: &sim)
        #expect(sim.divergence() == .severalLeaders([Self.n1, Self.n2]))
        Self.crash(Self.n1, Self.n2, in: &sim)
        #expect(sim.divergence() == .noMajorityUp(up: [Self.n3], needed: 2))
    }

    @Test func readingTheVerdictChangesNothing() {
        var sim = Self.cluster()
        Self.indexes(Self.n1, committed: 1, applied: 1, in: &sim)
        let before = sim.replicas
        _ = sim.divergence()
        #expect(sim.replicas == before)
        #expect(sim.step == 0 && sim.tick == 0 && sim.inFlight.isEmpty)
    }
}
