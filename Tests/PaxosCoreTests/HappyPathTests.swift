import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// §2 end to end: a leader, a few client transactions, every message delivered in order.
@Suite("Happy path")
struct HappyPathTests {
    static let transactions = ["a=1", "b=2", "a=3", "c=4", "b="]
    /// What every replica holds once all of them applied the five transactions (`b=` deletes b).
    static let expected: KeyValueData = ["a": "3", "c": "4"]

    @Test("every replica ends with the same data", arguments: [3, 5], ["sync", "async"])
    func everyReplicaEndsWithTheSameData(replicas: Int, commit: String) throws {
        var world = World(replicas: replicas, commit: commit, leader: 1)
        for pair in Self.transactions { world.submit(pair) }

        let delivered = world.deliverAll()
        #expect(delivered)

        for r in world.replicas {
            #expect(r.commitIndex == 5 && r.appliedIndex == 5, "\(r.id) under \(commit)")
            #expect(r.data == Self.expected, "\(r.id) under \(commit)")
        }
        #expect(world.replica(1).role == .leader)
        #expect((2...replicas).allSatisfy { world.replica($0).role == .follower && world.replica($0).knownLeader == n(1) })
        // Every replica acked: the leader cleaned its whole log up.
        #expect(world.replica(1).log.count == 0 && world.replica(1).log.start == 6)
        #expect(world.sim.violations.isEmpty)
        // The proposals carried ids 1…5 under ballot 1.n1, each to every replica, the leader included: a
        // message to each other replica, then the leader's own copy (no message) and its own vote.
        let proposals = world.events("propose")
        let ids = (1...5).flatMap { i in Array(repeating: i, count: replicas) }
        #expect(proposals.map(\.payload.rendered) == zip(ids, ids.map { Self.transactions[$0 - 1] }).map {
            #"{"proposal_id": \#($0.0), "ballot": "1.n1", "redo_log": ["\#($0.1)"]}"#
        })
        let receivers = (1...5).flatMap { _ in (2...replicas).map { "n\($0)" } + ["n1"] }
        #expect(proposals.map(\.to.description) == receivers)
        #expect(proposals.map { $0.messageID == nil } == receivers.map { $0 == "n1" })
        let ownVotes = world.events("vote").filter { $0.from == .replica(n(1)) }
        #expect(ownVotes.map(\.to) == Array(repeating: .replica(n(1)), count: 5))
        #expect(ownVotes.map(\.payload.rendered) == (1...5).map { #"{"vote": "accept", "proposal_id": \#($0), "ballot": "1.n1"}"# })
    }

    @Test("async: the applied index stays below the commit index until the apply events run", arguments: [3, 5])
    func asyncAppliedLagsCommitted(replicas: Int) throws {
        var world = World(replicas: replicas, commit: "async", leader: 1)
        for pair in Self.transactions { world.submit(pair) }

        // Deliver every message but run no apply event.
        let messagesDelivered = world.deliverAll(includingApplies: false)
        #expect(messagesDelivered)

        #expect(world.replica(1).commitIndex == 5 && world.replica(1).appliedIndex == 5, "the leader applies at once")
        for k in 2...replicas {
            let r = world.replica(k)
            #expect(r.commitIndex == 5 && r.appliedIndex == 0, "\(r.id) committed 5, applied nothing yet")
            #expect(r.data.isEmpty)
            #expect(r.log.entries.map(\.status) == Array(repeating: .committed, count: 5))
        }
        #expect(world.pendingApplies.count == 5 * (replicas - 1))
        #expect(world.events("ack").isEmpty, "no follower acks before it applies")

        // One apply event at n2: it applies entry 1 only, and acks it.
        let first = try #require(world.pendingApplies.first { $0.item == .apply(n(2)) })
        let events = world.perform(.deliver(first.id))
        #expect(events.map(\.kind) == [.apply, .ack])
        #expect(events.first?.payload.rendered == #"{"proposal_id": 1, "redo_log": ["a=1"]}"#)
        #expect(world.replica(2).appliedIndex == 1 && world.replica(2).data == ["a": "1"])

        let rest = world.deliverAll()
        #expect(rest)
        for r in world.replicas {
            #expect(r.commitIndex == 5 && r.appliedIndex == 5 && r.data == Self.expected, "\(r.id)")
        }
        #expect(world.sim.violations.isEmpty)
    }

    @Test("the same run gives the same trace: the simulation is deterministic")
    func deterministicReplay() {
        func run() -> [String] {
            var world = World(replicas: 3, seed: 42, election: "randomized", leader: nil)
            world.runUntilLeader()
            for pair in Self.transactions { world.submit(pair) }
            world.runUntilQuiet()
            return world.trace.map(\.jsonLine)
        }
        let first = run()
        #expect(first.count > 50)
        #expect(first == run())
    }
}
