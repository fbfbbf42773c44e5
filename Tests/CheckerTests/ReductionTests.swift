import Testing
import PaxosChecker
import PaxosCore
import PaxosPlayground

/// The reductions keep verdicts exact. Sleep sets prune transitions, never states, so the reduced search
/// must count exactly the states of the full one, and find a counterexample of the same length.
@Suite struct ReductionTests {
    /// Small bounds with every kind of step; depth-bounded where the full space is too big for a test
    /// (which also checks that the reduction keeps shortest distances: every state within the depth is found).
    static let configurations: [(String, CheckerConfiguration)] = {
        var list: [(String, CheckerConfiguration)] = []
        var c = Bounds.small()
        list.append(("small", c))
        c.recovery = false
        list.append(("small, recovery off", c))
        c = Bounds.small(election: LongestTermElection.name, commit: AsyncCommit.name)
        c.drops = 1
        c.maxDepth = TestSize.depth(12)
        list.append(("longest-term async, 1 drop, \(TestSize.depth(12)) steps", c))
        c = Bounds.ticking(recovery: true)
        c.duplicates = 1
        c.candidates = [ReplicaID(2)]
        c.maxDepth = TestSize.depth(11)
        list.append(("ticks, 1 duplicate, \(TestSize.depth(11)) steps", c))
        c = Bounds.small(election: RandomizedElection.name)
        c.crashes = 1
        c.restarts = 1
        c.candidates = nil
        c.maxDepth = TestSize.depth(10)
        list.append(("randomized, crash and restart, \(TestSize.depth(10)) steps", c))
        c = Bounds.small()
        c.crashes = 1
        c.recovery = false
        c.drops = 1
        list.append(("crash and drop, recovery off", c))
        // Timers that fire only once the leader is down: a crash enables them, a restart disables them.
        c = Bounds.small()
        c.candidates = nil
        c.suspicion = .leaderDown
        c.crashes = 1
        c.restarts = 1
        c.transactions = 2
        c.maxDepth = TestSize.depth(11)
        list.append(("leader-down suspicion, crash and restart, \(TestSize.depth(11)) steps", c))
        return list
    }()

    /// A reduction keeps the verdict and the length of the shortest counterexample.
    static func expectSameOutcome(_ full: CheckReport, _ reduced: CheckReport, _ name: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(full.verdict == reduced.verdict, "\(name)", sourceLocation: sourceLocation)
        #expect(full.steps == reduced.steps, "\(name): counterexample lengths", sourceLocation: sourceLocation)
    }

    /// Checks `c` with and without `reduction`, expecting the same outcome: (without, with).
    static func withAndWithout(_ reduction: CheckerConfiguration.Reductions, _ c: CheckerConfiguration, _ name: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws -> (full: CheckReport, reduced: CheckReport) {
        var without = c
        without.reductions.remove(reduction)
        let reduced = try ModelChecker(c).run()
        let full = try ModelChecker(without).run()
        expectSameOutcome(full, reduced, name, sourceLocation: sourceLocation)
        return (full, reduced)
    }

    @Test(arguments: configurations.indices)
    func sleepSetsKeepStatesAndVerdicts(_ index: Int) throws {
        let (name, c) = Self.configurations[index]
        var full = c
        full.reductions = .all.subtracting(.partialOrder)
        var reduced = c
        reduced.reductions = .all
        let a = try ModelChecker(full).run()
        let b = try ModelChecker(reduced).run()
        Self.expectSameOutcome(a, b, name)
        if a.verdict == c.cleanVerdict {
            #expect(a.states == b.states, "\(name): states")
            #expect(b.transitions < a.transitions, "\(name): the reduction saved nothing")
        }
    }

    /// Messages to a replica down for good are dropped at once: fewer states, the same verdicts, the same
    /// shortest counterexamples.
    @Test(arguments: [true, false])
    func deadLettersKeepVerdicts(recovery: Bool) throws {
        var c = Bounds.small()
        c.recovery = recovery
        c.crashes = 1
        c.maxDepth = recovery ? TestSize.depth(12) : nil
        c.reductions = .all
        let reduced = try ModelChecker(c).run()
        c.reductions = []
        let full = try ModelChecker(c).run()
        Self.expectSameOutcome(full, reduced, "dead letters, recovery \(recovery)")
        if recovery { #expect(reduced.states < full.states) }
        #expect(reduced.reductionNotes.contains { $0.hasPrefix("dead letters") })
    }

    /// With progress too: once the faults stop, what is in flight to a crashed replica reaches it while it is
    /// down, so discarding a dead letter at once changes no continuation. Verified bounds, and a progress
    /// break (no catch-up, a follower whose proposal was lost) whose counterexample keeps its length; the
    /// classroom's leader-down suspicion, whose crashes commute with nothing, with a leader that crashes.
    @Test(arguments: [false, true])
    func deadLettersKeepProgressVerdicts(broken: Bool) throws {
        var c = Bounds.small()
        c.progress = true
        c.candidates = nil
        c.time = .timeouts(1)
        c.suspicion = .leaderDown
        c.crashes = 1
        c.drops = broken ? 1 : 0
        c.breaks = broken ? [.noCatchUp] : []
        c.maxDepth = TestSize.depth(11)
        let (full, reduced) = try Self.withAndWithout(.deadLetters, c, "dead letters with progress, break \(broken)")
        #expect(reduced.verdict == (broken ? .violated : c.cleanVerdict), "\(reduced.verdict)")
        if !broken { #expect(reduced.states < full.states, "the reduction saved nothing") }
        #expect(reduced.reductionNotes.contains("dead letters: messages to a replica down for good leave the network"))
    }

    /// Several threads give what one thread gives, run after run: the verdict, the states, the transitions
    /// (sleep sets included) and the counterexample, step for step.
    static let threadConfigurations: [CheckerConfiguration] = {
        var reduced = Bounds.small(election: LongestTermElection.name)
        reduced.maxDepth = TestSize.pick(ci: 12, full: 16)
        var unreduced = reduced
        unreduced.reductions = []
        var violated = Bounds.ticking(recovery: false)
        violated.drops = 1
        return [reduced, unreduced, violated]
    }()

    @Test(arguments: threadConfigurations)
    func threadsDoNotChangeTheOutcome(_ configuration: CheckerConfiguration) throws {
        var c = configuration
        c.threads = 1
        let checker = try ModelChecker(c)
        let one = checker.run()
        for _ in 0..<TestSize.pick(ci: 1, full: 3) {
            c.threads = 2
            let two = try ModelChecker(c).run()
            #expect(two.verdict == one.verdict)
            #expect(two.states == one.states)
            #expect(two.transitions == one.transitions)
            #expect(two.depth == one.depth)
            #expect(two.counterexample.map(checker.script(for:)) == one.counterexample.map(checker.script(for:)))
        }
        if case .violated = one.verdict { #expect(one.counterexample != nil) }
    }

    /// Depth-first search (no sleep sets, one thread) counts the same states as breadth-first. With a depth
    /// bound it re-explores a state reached in fewer steps than before, so it counts every state within
    /// the bound too.
    static let depthFirstConfigurations: [CheckerConfiguration] = {
        // No depth bound: the search ends because the bounds run out (50,076 states, depth 19).
        var unbounded = Bounds.small(commit: AsyncCommit.name)
        unbounded.elections = 0
        unbounded.drops = 1
        unbounded.crashes = 1
        unbounded.restarts = 1
        unbounded.time = .timeouts(1)
        unbounded.maxDepth = nil
        var bounded = Bounds.ticking(recovery: true)
        bounded.drops = 1
        return [unbounded] + [8, TestSize.depth(12)].map { depth in
            var c = bounded
            c.maxDepth = depth
            return c
        }
    }()

    @Test(arguments: depthFirstConfigurations.indices)
    func depthFirstCountsWhatBreadthFirstDoes(_ index: Int) throws {
        var c = Self.depthFirstConfigurations[index]
        let bfs = try ModelChecker(c).run()
        c.order = .depthFirst
        let dfs = try ModelChecker(c).run()
        #expect(dfs.states == bfs.states)
        #expect(dfs.verdict == c.cleanVerdict)
        #expect(bfs.verdict == c.cleanVerdict)
    }

    /// Without a depth bound depth-first search runs on every thread asked for: the states, the transitions
    /// and the counterexample are one thread's whatever the threads.
    @Test func depthFirstThreadsCountWhatOneThreadCounts() throws {
        var verifying = Bounds.ticking(recovery: true)
        verifying.time = .ticks(TestSize.pick(ci: 1, full: 2))
        verifying.order = .depthFirst
        var violating = Bounds.ticking(recovery: false)
        violating.order = .depthFirst
        violating.drops = 1
        var verdicts: [CheckReport.Verdict] = []
        for var c in [verifying, violating] {
            c.threads = 1
            let one = try ModelChecker(c).run()
            verdicts.append(one.verdict)
            #expect(one.threads == 1)
            for threads in TestSize.pick(ci: [2], full: [2, 3]) {
                c.threads = threads
                let many = try ModelChecker(c).run()
                #expect(many.threads == threads)
                #expect(many.verdict == one.verdict)
                #expect(many.states == one.states)
                #expect(many.transitions == one.transitions)
                #expect(many.counterexample?.actions == one.counterexample?.actions)
            }
        }
        #expect(verdicts == [.verified, .violated])
    }

    @Test func symmetryAppliesWhereTheAnalysisAllows() {
        let start = CheckerConfiguration().initialSimulation()
        #expect(SymmetryAnalysis.interchangeable(in: Bounds.small()).classes.isEmpty, "priority ranks replicas apart")
        #expect(SymmetryAnalysis.interchangeable(in: Bounds.ticking(recovery: true)).classes.isEmpty, "global ticks")
        var c = Bounds.symmetric()
        let (classes, reasons) = SymmetryAnalysis.interchangeable(in: c)
        #expect(classes == [[ReplicaID(2), ReplicaID(3)]], "\(reasons)")
        #expect(SymmetryAnalysis.renamings(in: c, from: start).map(\.description) == ["identity", "(n2 n3)"])
        #expect(SymmetryAnalysis.note(for: c, from: start)
            == "symmetry: n2 n3 are interchangeable; each state counts once for its 2 renamings")
        c.replicas = 5
        #expect(SymmetryAnalysis.renamings(in: c, from: c.initialSimulation()).count == 24)
        // Five alike would be 120 renamings a state: not applied, and the report says why.
        c.replicas = 6
        #expect(SymmetryAnalysis.renamings(in: c, from: c.initialSimulation()).count == 1)
        #expect(SymmetryAnalysis.note(for: c, from: c.initialSimulation())
            == "symmetry: n2 n3 n4 n5 n6 are interchangeable, not applied: 120 renamings would cost each state more than they save (at most 24)")
        c.replicas = 5
        // Only n2 may stand: n3, n4 and n5 are alike, n2 is not.
        c.candidates = [ReplicaID(2)]
        #expect(SymmetryAnalysis.interchangeable(in: c).classes == [[ReplicaID(3), ReplicaID(4), ReplicaID(5)]])
        c = Bounds.symmetric()
        c.elections = 2
        #expect(SymmetryAnalysis.note(for: c, from: start)
            == "symmetry: none applies exactly here (two candidacies may share a round, and equal rounds are ordered by replica id)")
    }

    /// Configurations where n2 and n3 are interchangeable: the reduced search counts fewer states and
    /// reaches the same verdict, with a counterexample of the same length (the quotient keeps distances).
    static let symmetricConfigurations: [(String, CheckerConfiguration)] = {
        var list: [(String, CheckerConfiguration)] = []
        var c = Bounds.symmetric()
        c.maxDepth = TestSize.depth(12)
        list.append(("longest-term, \(TestSize.depth(12)) steps", c))
        c = Bounds.symmetric(election: RandomizedElection.name)
        c.recovery = false
        list.append(("randomized, recovery off", c))
        c = Bounds.symmetric(election: RandomizedElection.name, commit: AsyncCommit.name)
        c.drops = 1
        c.maxDepth = TestSize.depth(10)
        list.append(("randomized async, 1 drop, \(TestSize.depth(10)) steps", c))
        c = Bounds.symmetric(election: RandomizedElection.name)
        c.crashes = 1
        c.recovery = false
        list.append(("randomized, crash, recovery off", c))
        c = Bounds.symmetric()
        c.initialLeader = nil
        c.maxDepth = TestSize.depth(11)
        list.append(("longest-term, no leader, \(TestSize.depth(11)) steps", c))
        return list
    }()

    @Test(arguments: symmetricConfigurations.indices)
    func symmetryKeepsVerdictsAndLengths(_ index: Int) throws {
        let (name, c) = Self.symmetricConfigurations[index]
        var full = c
        full.reductions = .all.subtracting(.symmetry)
        let a = try ModelChecker(full).run()
        let b = try ModelChecker(c).run()
        #expect(b.reductionNotes.contains { $0.hasPrefix("symmetry: n2 n3 are interchangeable") }, "\(name)")
        Self.expectSameOutcome(a, b, name)
        if a.verdict == c.cleanVerdict {
            #expect(b.states < a.states, "\(name): the symmetry saved nothing (\(a.states) states)")
        }
        // And against no reduction at all.
        full.reductions = []
        let none = try ModelChecker(full).run()
        Self.expectSameOutcome(none, b, name)
    }

    /// With sleep sets on or off, symmetry counts the same states (sleep sets prune transitions only).
    @Test func symmetryWithAndWithoutSleepSets() throws {
        var c = Bounds.symmetric()
        c.drops = 1
        c.maxDepth = TestSize.depth(10)
        let with = try ModelChecker(c).run()
        c.reductions.remove(.partialOrder)
        let without = try ModelChecker(c).run()
        #expect(with.verdict == c.cleanVerdict)
        #expect(with.states == without.states)
        #expect(with.transitions < without.transitions)
    }

    /// A counterexample found with symmetry on is a real run: its script replays to the violation.
    @Test func symmetricCounterexampleReplays() throws {
        var c = Bounds.symmetric(election: RandomizedElection.name)
        c.recovery = false
        let checker = try ModelChecker(c)
        let report = checker.run()
        let counterexample = try #require(report.counterexample)
        #expect(report.brokenInvariants == [2])
        let replay = Session(options: SessionOptions(), write: { _ in })
        #expect(ScriptRunner.run(checker.script(for: counterexample), name: "symmetric.pxs", in: replay) == .expectFailed)
        #expect(replay.simulation.violations.map(\.invariant) == [2])
    }

    /// Evidence for that symmetry: letting only n2, or only n3, stand gives state spaces of one size.
    @Test func n2AndN3AreAlikeWhereTheAnalysisSaysSo() throws {
        var c = Bounds.small(election: LongestTermElection.name)
        c.maxDepth = TestSize.pick(ci: 12, full: 16)
        c.candidates = [ReplicaID(2)]
        let two = try ModelChecker(c).run()
        c.candidates = [ReplicaID(3)]
        let three = try ModelChecker(c).run()
        #expect(two.states == three.states)
    }
}
