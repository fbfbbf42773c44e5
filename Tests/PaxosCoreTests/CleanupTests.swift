import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// §2(5) Cleanup: the leader deletes the redo entries every replica acked, so its memory stays bounded
/// however long the run.
@Suite("Cleanup")
struct CleanupTests {
    @Test("the leader truncates its log once every replica acked; the followers follow with the heartbeat")
    func truncatesOnceEveryReplicaAcked() throws {
        var world = World(replicas: 3)
        for k in 1...3 { world.submit("k\(k)=v\(k)") }
        world.deliverAll()

        let leader = world.replica(1)
        #expect(leader.log.count == 0 && leader.log.start == 4 && leader.log.lastIndex == 3)
        #expect(leader.log.lastBallot == ballot(1, 1), "the last ballot survives the cleanup")
        #expect(leader.data == ["k1": "v1", "k2": "v2", "k3": "v3"])
        #expect(world.events("cleanup").last?.payload.rendered == #"{"cleanup": {"through": 3}}"#)
        #expect(world.replica(2).log.count == 3, "a follower cleans up when the leader's heartbeat says so")

        world.advance(1)

        #expect(world.replicas.allSatisfy { $0.log.count == 0 && $0.log.start == 4 })
        #expect(world.replicas.allSatisfy { $0.data == leader.data })
    }

    @Test("a follower cleans only what it applied itself, even if the heartbeat allows more")
    func followerCleansOnlyWhatItApplied() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(propose(1, ballot(1, 1), "x=1"), from: 1, to: 2)
        bench.deliver(propose(2, ballot(1, 1), "y=1"), from: 1, to: 2)
        bench.deliver(.commit(index: 1, ballot: ballot(1, 1)), from: 1, to: 2)

        let effects = bench.deliver(.heartbeat(Heartbeat(ballot: ballot(1, 1), commitIndex: 2, cleanupIndex: 2)), from: 1, to: 2)

        #expect(effects.reasons == [.followsLeader(ballot: ballot(1, 1), cleanedThrough: 1, logEnd: 2, applied: 1)])
        #expect(bench[2].log.start == 2 && bench[2].log.entries.map(\.index) == [2])
    }

    @Test("over 10,000 transactions the leader's log never holds more than the unacked entries")
    func boundedOverTenThousandTransactions() throws {
        var world = World(replicas: 3) { $0.window = 4 }
        var worst = 0
        var violations: [String] = []
        world.afterEachStep = { sim in
            guard let leader = sim.leader.map(sim.replica), let acked = leader.leadership?.acked.min() else { return }
            let unacked = leader.log.lastIndex - acked
            worst = max(worst, leader.log.count)
            if leader.log.count > unacked, violations.count < 5 {
                violations.append("step \(sim.step): log holds \(leader.log.count), unacked \(unacked)")
            }
        }

        for t in 1...10_000 {
            world.submit("k\(t % 7)=v\(t)")
            // A few transactions in flight at once, so proposals overlap (pipelining).
            if t % 4 == 0 { world.deliverAll() }
        }
        world.deliverAll()
        world.advance(1)

        #expect(violations.isEmpty, "\(violations)")
        let leader = world.replica(1)
        #expect(leader.commitIndex == 10_000 && leader.log.lastIndex == 10_000)
        #expect(leader.log.count == 0)
        #expect(worst <= 8, "at most a window of proposals and the acks on their way: \(worst)")
        #expect(world.replicas.allSatisfy { $0.appliedIndex == 10_000 && $0.log.count == 0 && $0.data == leader.data })
        #expect(world.sim.violations.isEmpty)
    }
}
