import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// Timers of any size: no arithmetic on a setting traps, and a replica's election timer that fires now
/// (`timeout nK`) costs the same for a timeout of a billion ticks as for one of three (issue 17).
@Suite("Huge timers")
struct HugeTimerTests {
    @Test("saturating arithmetic: a sum or product past Int.max stays Int.max (or Int.min), never traps or wraps")
    func saturatingArithmetic() {
        #expect(Int.max.saturatingAdding(3) == .max)
        #expect(Int.min.saturatingAdding(-3) == .min)
        #expect(40.saturatingAdding(2) == 42)
        #expect((Int.max / 2 + 1).saturatingMultiplied(by: 2) == .max)
        #expect((Int.max / 2 + 1).saturatingMultiplied(by: -2) == .min)
        #expect((-7).saturatingMultiplied(by: -3) == 21)
    }

    @Test("the timers the core derives from a timeout of Int.max saturate")
    func derivedTimersSaturate() {
        var config = ClusterConfig(replicaCount: 3)
        config.electionTimeoutTicks = .max
        config.heartbeatIntervalTicks = .max
        #expect(config.retryTimeoutTicks(of: ReplicaID(3)) == .max)
        #expect(config.stepDownTicks == .max)
        #expect(config.longestElectionTimeoutTicks == .max)
        #expect(config.progressBoundTicks == .max)
        config.electionTimeoutTicks = 3
        config.heartbeatIntervalTicks = 1
        #expect(config.retryTimeoutTicks(of: ReplicaID(3)) == 8)
        #expect(config.stepDownTicks == 4)
        #expect(config.longestElectionTimeoutTicks == 9)
        #expect(config.progressBoundTicks == 38)
    }

    /// Issue 17: `set timeout 9223372036854775807` under `priority` or `longest-term`, or `set timeout
    /// 9000000000000000000` under `randomized`, then an election: "arithmetic overflow" ended the process.
    @Test("an election under each built-in policy with a timeout near Int.max", arguments: [
        ("priority", Int.max), ("longest-term", Int.max), ("randomized", 9_000_000_000_000_000_000), ("randomized", Int.max),
    ])
    func electionWithAHugeTimeout(_ election: String, _ timeout: Int) throws {
        var world = World(replicas: 3, election: election) { $0.electionTimeoutTicks = timeout }
        world.crash(1)
        let events = world.perform(.timeout(ReplicaID(2)))
        #expect(events.first?.kind == .timeout)
        #expect(events.contains { $0.kind.rawValue == "pre_vote" }, "n2 stands: \(events.map(\.kind))")
        let drawn = world.replica(2).electionTimeoutTicks
        #expect(drawn >= timeout && drawn <= ClusterConfig(replicaCount: 3).with(timeout: timeout).longestElectionTimeoutTicks)
    }

    /// Issue 17: `set timeout 1000000000` then `timeout n1` hung: the replica's clock ran ahead one core tick
    /// at a time. Now the quiet ticks pass at once, and the timer fires after exactly the ticks it did.
    @Test("timeout nK with a timeout of a billion ticks fires at once, after exactly that many ticks")
    func timeoutOfABillionTicks() throws {
        var world = World(replicas: 3) { $0.electionTimeoutTicks = 1_000_000_000 }
        world.crash(1)
        let events = world.perform(.timeout(ReplicaID(3)))
        let timeout = try #require(events.first)
        #expect(timeout.kind == .timeout)
        // n3 has priority rank 2: its timeout is the base plus 2.
        // Its own clock ran ahead: the note says so, not that no heartbeat came for that long.
        #expect(timeout.note == "timeout n3: its own clock runs 1000000002 ticks ahead until its election timer fires (the global tick stays; the timer had counted 0 of its 1000000002 ticks): n3 reports \"Leader heartbeat timeout\" to the monitor")
        #expect(world.sim.tick == 0, "abstract time: the global tick does not move")
    }

    @Test("passing quiet ticks at once is the same as ticking one by one")
    func quietTicksAreExact() throws {
        let config = ClusterConfig(replicaCount: 3).with(timeout: 5)
        var stepped = Replica(id: ReplicaID(2), seed: 1, policies: Policies(), config: config)
        var skipped = stepped
        #expect(skipped.quietTicks == 5, "priority rank 1 adds a tick to the 5: the 6th tick fires")
        var effects: [Effect] = []
        for _ in 0..<5 { stepped.handle(.tick, policies: Policies(), config: config, into: &effects) }
        #expect(effects.isEmpty, "the quiet ticks did nothing")
        skipped.passQuietTicks(.max)
        #expect(skipped == stepped)
        #expect(skipped.quietTicks == 0)
        skipped.handle(.tick, policies: Policies(), config: config, into: &effects)
        #expect(effects.contains { if case .local(.timeout, _) = $0 { true } else { false } })
    }
}

extension ClusterConfig {
    func with(timeout: Int) -> ClusterConfig {
        var config = self
        config.electionTimeoutTicks = timeout
        return config
    }
}
