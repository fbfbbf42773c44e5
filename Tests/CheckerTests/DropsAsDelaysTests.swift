import Testing
import PaxosChecker
import PaxosCore
import PaxosSimulation

/// The checker drops no message (`Reductions.dropsAsDelays`): a lost message is one never delivered. The
/// promise behind it, checked on random runs: a run with drops and the same run with every dropped message
/// kept in flight (never delivered) reach the same replicas, the same invariant history and the same
/// violations, step for step; the second only has more in flight.
@Suite struct DropsAsDelaysTests {
    @Test(arguments: [PriorityElection.name, LongestTermElection.name, RandomizedElection.name])
    func aDroppedMessageIsOneNeverDelivered(election: String) throws {
        var generator = SplitMix64(seed: 23)
        var drops = 0
        for run in 0..<60 {
            let config = Bounds.randomRun(run, election: election, recoveryOffEvery: 2)
            var lossy = config.initialSimulation()
            var kept = lossy
            // The messages `lossy` dropped: `kept` holds them in flight and never delivers them.
            var held: Set<Int> = []
            for _ in 0..<150 {
                let timers = lossy.replicas.map(\.id).filter(lossy.canTimeOut)
                if !timers.isEmpty, generator.next(below: 6) == 0 {
                    let replica = timers[generator.next(below: timers.count)]
                    try lossy.performQuietly(.timeout(replica))
                    try kept.performQuietly(.timeout(replica))
                } else {
                    let choices = QuietStepTests.actions(in: lossy)
                    let dropChoices = choices.filter { if case .drop = $0 { true } else { false } }
                    let pool = !dropChoices.isEmpty && generator.next(below: 4) == 0 ? dropChoices : choices
                    let action = pool[generator.next(below: pool.count)]
                    if case .crash = action, generator.next(below: 3) > 0 { continue }
                    try lossy.performQuietly(action)
                    if case .drop(let id) = action {
                        held.insert(id)
                        drops += 1
                    } else {
                        try kept.performQuietly(action)
                    }
                }
                #expect(kept.replicas == lossy.replicas, "run \(run), step \(lossy.step): the replicas differ")
                #expect(kept.alive == lossy.alive, "run \(run), step \(lossy.step)")
                #expect(kept.historyDigest() == lossy.historyDigest(), "run \(run), step \(lossy.step): the history differs")
                #expect(kept.violations == lossy.violations, "run \(run), step \(lossy.step)")
                let lossyIDs = Set(lossy.inFlight.map(\.id)), keptIDs = Set(kept.inFlight.map(\.id))
                #expect(lossyIDs.isSubset(of: keptIDs) && keptIDs.subtracting(lossyIDs).isSubset(of: held),
                        "run \(run), step \(lossy.step): in flight \(lossyIDs.sorted()) against \(keptIDs.sorted())")
            }
        }
        // The runs drop often. (Random runs rarely break an invariant; `dropsAsDelaysKeepVerdicts` has
        // violations found both ways.)
        #expect(drops > 500, "\(drops) drops")
    }

    /// With drops taken, the checker counts more states, and reaches the same verdicts and shortest
    /// counterexamples; the shortest never drops.
    @Test(arguments: [true, false])
    func dropsAsDelaysKeepVerdicts(recovery: Bool) throws {
        var c = Bounds.small()
        c.recovery = recovery
        c.drops = 2
        c.crashes = recovery ? 0 : 1
        c.maxDepth = recovery ? 12 : nil
        let (full, reduced) = try ReductionTests.withAndWithout(.dropsAsDelays, c, "recovery \(recovery)")
        #expect(reduced.verdict == (recovery ? c.cleanVerdict : .violated))
        #expect(reduced.states < full.states)
        #expect(reduced.reductionNotes.contains { $0.hasPrefix("drops as delays") })
        #expect(!full.reductionNotes.contains { $0.hasPrefix("drops as delays") })
        if !recovery {
            let actions = try #require(reduced.counterexample?.actions)
            #expect(!actions.contains { if case .drop = $0 { true } else { false } })
        }
    }
}
