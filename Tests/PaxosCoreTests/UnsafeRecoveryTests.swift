import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// `recovery off`: the new leader skips `request_log_range` and re-proposes only what it holds itself. A
/// committed entry it does not hold is then overwritten: the invariant monitor reports it.
@Suite("Unsafe recovery")
struct UnsafeRecoveryTests {
    /// n1 commits x=1 with n2; n3 never sees it. n1 crashes, n3 (the highest priority left) leads.
    static func scenario(recovery: Bool) -> World {
        var world = World(replicas: 3) { config in
            config.recovery = recovery
            config.priorities = [3, 1, 2]
        }
        world.submit("x=1")
        world.deliverOne("transaction", to: 1)
        world.dropAll("propose", to: 3)
        world.deliverOne("propose", from: 1, to: 2)
        world.deliverOne("vote", from: 2, to: 1)
        world.dropAll("commit")
        world.crash(1)
        world.runUntilLeader()
        world.submit("y=2")
        world.runUntilQuiet(maxTicks: 5)
        return world
    }

    @Test("with recovery off, the agreement violation happens and is reported")
    func agreementViolationIsReported() throws {
        let world = Self.scenario(recovery: false)

        #expect(world.readyLeader?.id == n(3))
        #expect(world.trace.contains { $0.reason == .recoverySkipped && $0.note == "recovery is off (unsafe): n3 learns nothing from the others and re-proposes only its own entries" })
        #expect(world.events("request_log_range").isEmpty)
        // n3 proposed y=2 at index 1; n2 accepted it over x=1, and n3 committed it.
        #expect(world.replica(3).data == ["y": "2"] && world.replica(1).data == ["x": "1"])
        let violations = world.sim.violations
        #expect(violations.map(\.invariant) == [2, 1])
        #expect(violations.allSatisfy { $0.index == 1 && $0.replicas == [n(1), n(3)] })
        #expect(violations.map(\.detail) == [
            "1 was committed (x=1) but the leader of 2.n3, n3, does not hold it",
            "n1 committed x=1 at 1, n3 committed y=2",
        ])
        let reported = world.events("violation")
        #expect(reported.map(\.phase) == [.invariant, .invariant])
        #expect(reported.map(\.payload.rendered) == [
            #"{"invariant": 2, "name": "durability", "index": 1, "replicas": ["n1", "n3"]}"#,
            #"{"invariant": 1, "name": "agreement", "index": 1, "replicas": ["n1", "n3"]}"#,
        ])
    }

    @Test("the same scenario with recovery on keeps x=1")
    func recoveryOnKeepsTheCommittedEntry() throws {
        let world = Self.scenario(recovery: true)

        #expect(world.readyLeader?.id == n(3))
        #expect(world.events("request_log_range").map(\.to) == [.replica(n(2))], "asked: the voter")
        #expect(world.replica(3).data == ["x": "1", "y": "2"])
        #expect(world.sim.violations.isEmpty)
    }
}
