import Testing
import PaxosChecker
import PaxosCore
import PaxosSimulation

/// The checker steps the simulation with `performQuietly` (collecting a `StepSummary`) and fingerprints it;
/// the REPL uses `perform` (collecting the trace). Both go through the one step path, and a collector only
/// watches: random runs with each must stay equal, fingerprint for fingerprint.
@Suite struct QuietStepTests {
    /// Every action the checker could take now, in a fixed order.
    static func actions(in sim: Simulation) -> [Action] {
        var actions: [Action] = sim.inFlight.map { .deliver($0.id) }
        for flight in sim.inFlight {
            if case .message = flight.item { actions += [.drop(flight.id), .duplicate(flight.id)] }
        }
        actions.append(.tick)
        for replica in sim.replicas {
            actions.append(sim.isAlive(replica.id) ? .crash(replica.id) : .restart(replica.id))
        }
        actions.append(.submit([RedoRecord(key: "x", value: String(sim.step))]))
        return actions
    }

    /// With invariant checks off (as the bench runs), a quiet step takes only the sends and queued applies
    /// from the core (`handle(_:policies:config:into:outbox:)` with an outbox); it must still match the traced step.
    @Test(arguments: [PriorityElection.name, LongestTermElection.name, RandomizedElection.name], [true, false])
    func quietStepsMatchTracedSteps(election: String, checksInvariants: Bool) throws {
        var generator = SplitMix64(seed: 7)
        for run in 0..<40 {
            let config = Bounds.randomRun(run, election: election, recoveryOffEvery: 5)
            var traced = config.initialSimulation()
            traced.checksInvariants = checksInvariants
            var quiet = traced
            for _ in 0..<60 {
                let choices = Self.actions(in: traced)
                // Mostly deliveries, so that the protocol gets somewhere.
                let deliveries = choices.filter { if case .deliver = $0 { true } else { false } }
                let pool = !deliveries.isEmpty && generator.next(below: 4) > 0 ? deliveries : choices
                let action = pool[generator.next(below: pool.count)]
                if case .crash = action, generator.next(below: 3) > 0 { continue }
                if generator.next(below: 10) == 0, let id = traced.replicas.map(\.id).first(where: traced.canTimeOut) {
                    _ = try traced.perform(.timeout(id))
                    try quiet.performQuietly(.timeout(id))
                } else {
                    _ = try traced.perform(action)
                    try quiet.performQuietly(action)
                }
                #expect(quiet.fingerprint() == traced.fingerprint(), "run \(run) diverged at step \(traced.step) after \(action)")
                #expect(quiet.nextMessageIdentifier == traced.nextMessageIdentifier)
                #expect(quiet.inFlight == traced.inFlight)
                #expect(quiet.replicas == traced.replicas)
                #expect(quiet.violations == traced.violations)
                #expect((quiet.step, quiet.tick) == (traced.step, traced.tick))
                if quiet.fingerprint() != traced.fingerprint() { return }
            }
        }
    }

    /// The one step path checks every action whoever collects it: an id not in flight, or an apply to drop,
    /// is the same error traced and quiet, and changes nothing.
    @Test func anActionThatCannotBeDoneIsAnErrorInEveryMode() throws {
        var sim = CheckerConfiguration().initialSimulation()
        sim.checksInvariants = false
        _ = try sim.perform(.submit([RedoRecord(key: "x", value: "1")]))
        let before = sim
        for action in [Action.deliver(9), .drop(9), .duplicate(9)] {
            #expect(throws: SimulationError("message #9 is not in flight: in flight now are #1 (see pending)")) {
                var copy = sim
                _ = try copy.perform(action)
            }
            #expect(throws: SimulationError("message #9 is not in flight: in flight now are #1 (see pending)")) {
                try sim.performQuietly(action)
            }
        }
        #expect(throws: SimulationError("n1's election timer cannot fire: it leads (a leader has none)")) {
            try sim.performQuietly(.timeout(ReplicaID(1)))
        }
        #expect(throws: SimulationError("n2 is up: only a crashed replica can restart")) {
            try sim.performQuietly(.restart(ReplicaID(2)))
        }
        #expect(sim.fingerprint() == before.fingerprint() && sim.step == before.step && sim.inFlight == before.inFlight)
    }

    /// Delivering two messages to different replicas in either order reaches one state: one fingerprint,
    /// though the messages sent get different ids.
    @Test func fingerprintIgnoresDeliveryOrderAndIds() throws {
        var sim = CheckerConfiguration().initialSimulation()
        _ = try sim.perform(.submit([RedoRecord(key: "x", value: "1")]))
        _ = try sim.perform(.deliver(1))
        let proposals = sim.inFlight.map(\.id)
        #expect(proposals.count == 2)
        var a = sim, b = sim
        _ = try a.perform(.deliver(proposals[0]))
        _ = try a.perform(.deliver(proposals[1]))
        _ = try b.perform(.deliver(proposals[1]))
        _ = try b.perform(.deliver(proposals[0]))
        #expect(a.inFlight.map(\.id) != b.inFlight.map(\.id) || a.inFlight.map(\.item) != b.inFlight.map(\.item))
        #expect(a.fingerprint() == b.fingerprint())
        // A different state: one vote fewer in flight.
        var c = a
        if let vote = c.inFlight.first { _ = try c.perform(.drop(vote.id)) }
        #expect(c.fingerprint() != a.fingerprint())
    }

    @Test func copiesOfAMessageCountInTheFingerprint() throws {
        var sim = CheckerConfiguration().initialSimulation()
        _ = try sim.perform(.submit([RedoRecord(key: "x", value: "1")]))
        var copied = sim
        _ = try copied.perform(.duplicate(1))
        #expect(copied.fingerprint() != sim.fingerprint())
        var twice = copied
        _ = try twice.perform(.duplicate(1))
        #expect(twice.fingerprint() != copied.fingerprint())
    }
}
