import Testing
import PaxosChecker
import PaxosCore

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
        c.maxDepth = 12
        list.append(("longest-term async, 1 drop, 12 steps", c))
        c = Bounds.ticking(recovery: true)
        c.duplicates = 1
        c.candidates = [ReplicaID(2)]
        c.maxDepth = 11
        list.append(("ticks, 1 duplicate, 11 steps", c))
        c = Bounds.small(election: RandomizedElection.name)
        c.crashes = 1
        c.restarts = 1
        c.candidates = nil
        c.maxDepth = 10
        list.append(("randomized, crash and restart, 10 steps", c))
        c = Bounds.small()
        c.crashes = 1
        c.recovery = false
        c.drops = 1
        list.append(("crash and drop, recovery off", c))
        return list
    }()

    @Test(arguments: configurations.indices)
    func sleepSetsKeepStatesAndVerdicts(_ index: Int) throws {
        let (name, c) = Self.configurations[index]
        var full = c
        full.reductions = .all.subtracting(.partialOrder)
        var reduced = c
        reduced.reductions = .all
        let a = try ModelChecker(full).run()
        let b = try ModelChecker(reduced).run()
        #expect(a.verdict == b.verdict, "\(name)")
        #expect(a.steps == b.steps, "\(name): counterexample lengths")
        if a.verdict == .verified {
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
        c.maxDepth = recovery ? 12 : nil
        c.reductions = .all
        let reduced = try ModelChecker(c).run()
        c.reductions = []
        let full = try ModelChecker(c).run()
        #expect(reduced.verdict == full.verdict)
        #expect(reduced.steps == full.steps)
        if recovery { #expect(reduced.states < full.states) }
        #expect(reduced.reductionNotes.contains { $0.hasPrefix("dead letters") })
    }

    @Test func threadsDoNotChangeTheCounts() throws {
        var c = Bounds.small(election: LongestTermElection.name)
        c.maxDepth = 16
        c.threads = 1
        let one = try ModelChecker(c).run()
        c.threads = 2
        let two = try ModelChecker(c).run()
        #expect(one.states == two.states)
        #expect(one.verdict == two.verdict)
        // Depth-first (no sleep sets, one thread) counts the same states as breadth-first.
        c = Bounds.small(commit: AsyncCommit.name)
        c.elections = 0
        c.drops = 1
        c.crashes = 1
        c.restarts = 1
        c.maxDepth = nil
        let bfs = try ModelChecker(c).run()
        c.order = .depthFirst
        let dfs = try ModelChecker(c).run()
        #expect(dfs.states == bfs.states)
        #expect(bfs.verdict == .verified)
    }

    @Test func symmetryIsReportedNotApplied() {
        #expect(SymmetryAnalysis.interchangeable(in: Bounds.small()).classes.isEmpty)
        #expect(SymmetryAnalysis.interchangeable(in: Bounds.ticking(recovery: true)).classes.isEmpty)
        var c = Bounds.small(election: LongestTermElection.name)
        c.candidates = nil
        let (classes, reasons) = SymmetryAnalysis.interchangeable(in: c)
        #expect(classes == [[ReplicaID(2), ReplicaID(3)]], "\(reasons)")
        #expect(SymmetryAnalysis.note(for: c).contains("not applied"))
    }

    /// Evidence for that symmetry: letting only n2, or only n3, stand gives state spaces of one size.
    @Test func n2AndN3AreAlikeWhereTheAnalysisSaysSo() throws {
        var c = Bounds.small(election: LongestTermElection.name)
        c.maxDepth = 16
        c.candidates = [ReplicaID(2)]
        let two = try ModelChecker(c).run()
        c.candidates = [ReplicaID(3)]
        let three = try ModelChecker(c).run()
        #expect(two.states == three.states)
    }
}
