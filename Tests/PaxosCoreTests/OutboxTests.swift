import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// `handle(_:policies:config:into:outbox:)` with an outbox runs the same code as without one but hands
/// over only the sends and queued applies: over random runs, every input must give the same replica after
/// and the same sends and queued applies, in the same order, as the `.send` and `.queueApply` effects.
@Suite struct OutboxTests {
    /// Collects what the core hands over, as the effects it stands for.
    final class Collector: ReplicaOutbox {
        var handed: [Effect] = []
        func send(_ envelope: consuming Envelope) { handed.append(.send(envelope, .ignored(.redirect))) }
        func queueApply() { handed.append(.queueApply) }
    }

    /// The sends and queued applies among `effects`, in order, with the reasons left out (each the same placeholder).
    static func requests(_ effects: [Effect]) -> [Effect] {
        effects.compactMap { effect in
            switch effect {
            case .send(let envelope, _): .send(envelope, .ignored(.redirect))
            case .queueApply: .queueApply
            default: nil
            }
        }
    }

    /// Both entry points on copies of `replica`; the copies and the requests must agree.
    static func compare(_ replica: Replica, _ input: Input, _ sim: Simulation) {
        var collected = replica, handed = replica
        var effects: [Effect] = []
        collected.handle(input, policies: sim.policies, config: sim.config, into: &effects)
        let outbox = Collector()
        var unused: [Effect] = []
        handed.handle(input, policies: sim.policies, config: sim.config, into: &unused, outbox: outbox)
        #expect(unused.isEmpty)
        #expect(handed == collected, "\(replica.id) after \(input)")
        #expect(outbox.handed == requests(effects), "\(replica.id) on \(input)")
    }

    @Test(arguments: [SyncCommit.name, AsyncCommit.name])
    func outboxHandsOverTheSameSendsAsTheEffects(commit: String) throws {
        var random = SplitMix64(seed: 11)
        for run in 0..<20 {
            let policies = Policies(election: PriorityElection(),
                                    commit: PolicyRegistry.builtIn.commit(named: commit) ?? SyncCommit())
            var config = ClusterConfig(replicaCount: run.isMultiple(of: 2) ? 3 : 5)
            config.batchSize = 1 + run % 3
            config.window = 1 + run % 4
            var sim = Simulation(replicaCount: config.replicaCount, seed: UInt64(run), policies: policies, config: config,
                                 leader: run.isMultiple(of: 3) ? nil : ReplicaID(1))
            for step in 0..<300 {
                let roll = random.next(below: 20)
                if roll == 0 || sim.inFlight.isEmpty {
                    for replica in sim.replicas where sim.isAlive(replica.id) { Self.compare(replica, .tick, sim) }
                    _ = try sim.perform(.tick)
                } else if roll == 1 {
                    _ = try sim.perform(.submit([RedoRecord(key: "k\(step % 5)", value: "\(step)")]))
                } else if roll == 2 {
                    let victim = sim.replicas[random.next(below: sim.replicas.count)].id
                    _ = try sim.perform(sim.isAlive(victim) ? .crash(victim) : .restart(victim))
                } else {
                    let flight = sim.inFlight[random.next(below: sim.inFlight.count)]
                    switch flight.item {
                    case .message(let envelope):
                        if let to = envelope.to.replica, sim.isAlive(to) {
                            Self.compare(sim.replica(to), .receive(envelope), sim)
                        }
                    case .apply(let id):
                        Self.compare(sim.replica(id), .applyNext, sim)
                    }
                    _ = try sim.perform(.deliver(flight.id))
                }
            }
        }
    }
}
