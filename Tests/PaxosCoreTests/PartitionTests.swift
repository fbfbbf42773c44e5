import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// Partitions: a leader cut off with a minority cannot commit; the majority side elects a leader and goes
/// on; after heal every replica converges on one log.
@Suite("Partitions")
struct PartitionTests {
    @Test("a leader on the minority side cannot commit; after heal all replicas converge on one log",
          arguments: ["priority", "longest-term", "randomized"])
    func minorityLeaderCannotCommit(election: String) throws {
        var world = World(replicas: 5, election: election)
        world.submit("a=1")
        world.runUntilQuiet(maxTicks: 0)
        world.perform(.partition([[n(1), n(2)], [n(3), n(4), n(5)]]))

        // The client still reaches n1, which proposes; n2 accepts, n3..n5 never hear of it.
        world.submit("lost=1")
        world.deliverAll()
        world.advance(2)
        let minority = world.replica(1)
        #expect(minority.role == .leader && minority.log.lastIndex == 2)
        #expect(minority.commitIndex == 1, "2 accepts of 5 are no majority")
        #expect(minority.log[2]?.status == .accepted)
        #expect(world.replica(2).log[2]?.redo == redo("lost=1") && world.replica(2).commitIndex == 1)

        // The majority side elects a leader of its own and commits.
        let elected = world.run(maxTicks: 50) { w in
            w.sim.leader.map { $0.number >= 3 && w.sim.replica($0).isReadyLeader } ?? false
        }
        #expect(elected)
        world.submit("b=2")
        world.advance(1)
        let majorityLeader = try #require(world.sim.leader)
        #expect(majorityLeader.number >= 3)
        #expect(world.replica(majorityLeader.number).commitIndex == 2)
        #expect(world.replica(1).commitIndex == 1, "still nothing new committed on the minority side")
        #expect(world.replica(1).leadership == nil, "n1 heard from no majority for an election timeout and a heartbeat interval")
        #expect(world.events("step_down").map(\.from) == [.replica(n(1))])

        world.perform(.heal)
        let quiet = world.runUntilQuiet()

        #expect(quiet, "\(world.convergenceProblem ?? "")")
        let leader = try #require(world.readyLeader)
        #expect(leader.id == majorityLeader || election == "priority")
        for r in world.replicas {
            #expect(r.commitIndex == 2 && r.data == ["a": "1", "b": "2"], "\(r.id): lost=1 was never committed")
            #expect(r.log.entries(from: 2, through: 2).allSatisfy { $0.redo == redo("b=2") }, "\(r.id)")
        }
        #expect(world.replicas.filter { $0.role == .leader }.count == 1)
        #expect(world.sim.violations.isEmpty)
    }

    @Test("a one-way cut: a leader that cannot hear the others' votes commits nothing, and is replaced")
    func oneWayCutFromFollowersToLeader() throws {
        var world = World(replicas: 3)
        world.perform(.cut(from: n(2), to: n(1)))
        world.perform(.cut(from: n(3), to: n(1)))
        world.submit("x=1")
        world.deliverAll()

        #expect(world.replica(2).log[1]?.redo == redo("x=1") && world.replica(3).log[1]?.redo == redo("x=1"))
        #expect(world.replica(1).commitIndex == 0, "the votes are lost on the way back")
        #expect(world.events("drop").count == 2)

        world.perform(.uncut(from: n(2), to: n(1)))
        world.perform(.uncut(from: n(3), to: n(1)))
        let quiet = world.runUntilQuiet()
        #expect(quiet)
        #expect(world.replicas.allSatisfy { $0.commitIndex == 1 && $0.data == ["x": "1"] })
        #expect(world.sim.violations.isEmpty)
    }
}
