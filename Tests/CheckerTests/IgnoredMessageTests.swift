import Testing
import PaxosChecker
import PaxosCore
import PaxosSimulation

/// The checker takes off the network the messages their receiver will ignore whenever they arrive
/// (`Replica.ignoresForever`). Random runs with elections, crashes, restarts, drops and duplicates check
/// the promise: once a message is said to be ignored, delivering it then and at every later step changes
/// nothing and sends nothing.
@Suite struct IgnoredMessageTests {
    /// Delivers `envelope` to a copy of its receiver: whether the replica stayed as it was and nothing but
    /// explanations came out.
    static func isNoOp(_ envelope: Envelope, in sim: Simulation) -> Bool {
        guard let receiver = envelope.to.replica else { return false }
        let before = sim.replicas[receiver.number - 1]
        var after = before
        var effects: [Effect] = []
        after.handle(.receive(envelope), policies: sim.policies, config: sim.config, into: &effects)
        let onlyExplains = effects.allSatisfy { if case .outcome = $0 { true } else { false } }
        return after == before && onlyExplains
    }

    @Test(arguments: [PriorityElection.name, LongestTermElection.name, RandomizedElection.name])
    func ignoredMessagesStayIgnored(election: String) throws {
        var generator = SplitMix64(seed: 11)
        var flagged = 0, checks = 0
        for run in 0..<60 {
            let config = Bounds.randomRun(run, election: election)
            var sim = config.initialSimulation()
            // Messages said to be ignored, by id, kept in flight to be tried again later.
            var ignored: [Int: Envelope] = [:]
            for _ in 0..<80 {
                for flight in sim.inFlight {
                    guard case .message(let envelope) = flight.item, let receiver = envelope.to.replica else { continue }
                    if sim.replicas[receiver.number - 1].ignoresForever(envelope, config: sim.config) {
                        if ignored.updateValue(envelope, forKey: flight.id) == nil { flagged += 1 }
                    }
                }
                for id in ignored.keys.sorted() {
                    guard let envelope = ignored[id], let receiver = envelope.to.replica else { continue }
                    checks += 1
                    let noOp = Self.isNoOp(envelope, in: sim)
                    let stillIgnored = sim.replicas[receiver.number - 1].ignoresForever(envelope, config: sim.config)
                    #expect(noOp, "run \(run), step \(sim.step): \(envelope.message) to \(receiver) is not ignored")
                    #expect(stillIgnored, "run \(run), step \(sim.step): \(envelope.message) to \(receiver) no longer said to be ignored")
                }
                let choices = QuietStepTests.actions(in: sim).filter { action in
                    // Ignored messages stay in flight, untouched, to be tried at every later step.
                    switch action {
                    case .deliver(let id), .drop(let id), .duplicate(let id): ignored[id] == nil
                    default: true
                    }
                }
                let timers = sim.replicas.map(\.id).filter(sim.canTimeOut)
                if !timers.isEmpty, generator.next(below: 6) == 0 {
                    try sim.performQuietly(.timeout(timers[generator.next(below: timers.count)]))
                    continue
                }
                let deliveries = choices.filter { if case .deliver = $0 { true } else { false } }
                let pool = !deliveries.isEmpty && generator.next(below: 4) > 0 ? deliveries : choices
                let action = pool[generator.next(below: pool.count)]
                if case .crash = action, generator.next(below: 3) > 0 { continue }
                try sim.performQuietly(action)
            }
        }
        // The runs reach the cases the checker relies on. Since heartbeats are answered (never ignored) and
        // pre-vote answers are kept, fewer messages qualify: 3 to 18 flagged, 116 to 518 checks per policy.
        #expect(flagged > 2, "\(flagged) messages flagged")
        #expect(checks > 100, "\(checks) checks")
    }

    /// Without the reduction the checker counts more states, and reaches the same verdicts and shortest
    /// counterexamples.
    ///
    /// With recovery on: a first election and a second one (n1 and n2 may each stand once), where late
    /// votes, promises and heartbeat replies reach replicas that ignore them. With recovery off: the small
    /// bounds, where the violation is found in a few steps (depth 12 keeps the pair of searches to seconds;
    /// the 2-election bounds need depth 15 to break durability, 2 minutes of CI for the same verdict).
    @Test(arguments: [true, false])
    func ignoredMessagesKeepVerdicts(recovery: Bool) throws {
        var c = Bounds.small()
        c.recovery = recovery
        if recovery {
            c.initialLeader = nil
            c.elections = 2
            c.electionsPerReplica = 1
            c.candidates = [ReplicaID(1), ReplicaID(2)]
        }
        let (full, reduced) = try ReductionTests.withAndWithout(.ignoredMessages, c, "recovery \(recovery)")
        #expect(reduced.verdict == (recovery ? c.cleanVerdict : .violated))
        if recovery { #expect((reduced.states, full.states) == (79_448, 84_390)) }
    }
}
