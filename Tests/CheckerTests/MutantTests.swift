import Testing
import PaxosSimulation
import PaxosChecker
import PaxosCore

/// Each named protocol break (`set break NAME`, ``ProtocolBreak``) that breaks safety is caught: the checker finds a run that
/// breaks an invariant, with recovery on. Each gets the smallest bounds its bug needs to show.
@Suite struct MutantTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let mutation: ProtocolBreak
        let bounds: @Sendable () -> CheckerConfiguration
        /// The invariants this bug can break first.
        let invariants: Set<Int>
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // The leader commits on its own accept: invariant 5 at once.
        Case(name: "commitWithoutMajority", mutation: .commitWithoutMajority, bounds: { Bounds.small() }, invariants: [5]),
        // A follower applies entry 2 when its commit arrives before entry 1's.
        Case(name: "applyOutOfOrder", mutation: .applyOutOfOrder, bounds: {
            var c = Bounds.small()
            c.transactions = 2
            c.elections = 0
            return c
        }, invariants: [4]),
        // The new leader learns nothing in recovery: like recovery off.
        Case(name: "ignoreRecoveredValues", mutation: .ignoreRecoveredValues, bounds: { Bounds.small() }, invariants: [2]),
        // An acceptor takes n1's old-ballot proposal after promising n2.
        Case(name: "acceptLowerBallot", mutation: .acceptLowerBallot, bounds: { Bounds.small() }, invariants: [1, 2]),
        // A voter grants two candidates of one round: two leaders decide index 1 differently. Depth-first (the
        // breadth-first search to the shortest run takes minutes in a debug build since the pre-vote).
        Case(name: "voteTwiceInBallot", mutation: .voteTwiceInBallot, bounds: {
            var c = Bounds.small(election: LongestTermElection.name)
            c.initialLeader = nil
            c.elections = 2
            c.electionsPerReplica = 1
            c.candidates = [ReplicaID(2), ReplicaID(3)]
            c.order = .depthFirst
            c.threads = 1
            c.maxDepth = 14
            return c
        }, invariants: [1, 2]),
    ]

    @Test(arguments: cases)
    func mutantIsCaught(_ mutant: Case) throws {
        var c = mutant.bounds()
        c.breaks = [mutant.mutation]
        #expect(c.recovery)
        let report = try ModelChecker(c).run()
        #expect(report.verdict == .violated, "\(mutant.name) escaped: \(report.lines.joined(separator: "; "))")
        let broken = Set(report.brokenInvariants)
        #expect(!broken.isDisjoint(with: mutant.invariants), "\(mutant.name) broke \(broken)")
        // The same bounds without the bug hold (so the bug, not the bounds, broke the invariant).
        if c.order == .breadthFirst {
            c.breaks = []
            c.stateLimit = 2 * report.states + 1_000
            c.maxDepth = report.steps
            let clean = try ModelChecker(c).run()
            #expect(clean.verdict != .violated, "\(mutant.name)'s bounds break the correct protocol too")
        }
    }

    /// Recovery keeps the older of two accepted values: the third leader undoes a commit. Searching for the
    /// whole run from the start (three leaders, two transactions) takes minutes since the pre-vote, so the
    /// search starts where the bug can strike: n1 alone accepted a=1 at index 1 under 1.n1, then crashed; n2
    /// committed b=2 there under 2.n2 with n3, then crashed; n1 is back. The checker must find the run in
    /// which n1 is elected with n3, keeps a@1.n1 over b@2.n2 and commits it.
    @Test func skipHighestBallotChoiceIsCaughtFromALateState() throws {
        var config = ClusterConfig(replicaCount: 3)
        config.heartbeatIntervalTicks = 1_000
        var sim = Simulation(replicaCount: 3, seed: 1, config: config, leader: ReplicaID(1))
        func perform(_ action: Action) throws { _ = try sim.perform(action) }
        func deliverAll() throws { while let next = sim.inFlight.first { try perform(.deliver(next.id)) } }
        try perform(.submit([RedoRecord(key: "a", value: "1")]))
        try perform(.deliver(1))
        try perform(.drop(2))
        try perform(.drop(3))
        try perform(.crash(ReplicaID(1)))
        for _ in 0..<4 { try perform(.tick) }
        try deliverAll()
        #expect(sim.replica(ReplicaID(2)).isReadyLeader)
        try perform(.submit([RedoRecord(key: "b", value: "2")]))
        try deliverAll()
        #expect(sim.replica(ReplicaID(3)).data == ["b": "2"])
        try perform(.crash(ReplicaID(2)))
        try perform(.restart(ReplicaID(1)))
        sim.updateConfig { $0.breaks = [.skipHighestBallotChoice] }

        var bounds = CheckerConfiguration()
        bounds.progress = false
        bounds.time = .ticks(4)
        bounds.breaks = [.skipHighestBallotChoice]
        let report = ModelChecker.explore(from: sim, depth: 14, bounds: bounds)
        #expect(report.verdict == .violated, "\(report.lines.joined(separator: "; "))")
        #expect(!Set(report.brokenInvariants).isDisjoint(with: [1, 2]))

        // Without the bug, the same search from the same state holds.
        sim.updateConfig { $0.breaks = [] }
        bounds.breaks = []
        #expect(ModelChecker.explore(from: sim, depth: 14, bounds: bounds).verdict == .verifiedToDepth(14))
    }

    /// Plain `check` (the classroom preset) finds the breaks Docs/REPL.md's table says it finds, each with the
    /// line the table gives; the others (vote-twice-in-ballot, skip-highest-ballot-choice, no-stand-aside) need
    /// the bounds above and in ProgressCheckTests.
    @Test func theClassroomPresetFindsTheBreaksItsTableNames() throws {
        let progress = "the faults stop, and the cluster does not recover: not converged for good within K = 38 ticks after the faults stopped: at tick 38,"
        let found: [(ProtocolBreak?, String)] = [
            (.commitWithoutMajority, "VIOLATION: invariant 5 (commit needs a majority): n1 committed 1 under 1.n1 with 1 accept; a majority is 2 before the search, as the transactions committed first commit"),
            (.acceptLowerBallot, "PROGRESS VIOLATION: after 9 steps \(progress) n2 has not committed 2 yet: its proposals are under way"),
            (.applyOutOfOrder, "PROGRESS VIOLATION: after 1 step \(progress) n2 has not committed 1 yet: its proposals are under way"),
            (.ignoreRecoveredValues, "PROGRESS VIOLATION: after 6 steps \(progress) n2 lacks committed 2"),
            (.noCatchUp, "PROGRESS VIOLATION: after 3 steps \(progress) n2 lacks committed 2"),
            // `set recovery off`: not a break, the same finding as ignore-recovered-values.
            (nil, "PROGRESS VIOLATION: after 6 steps \(progress) n2 lacks committed 2"),
        ]
        for (mutation, line) in found {
            var c = CheckerConfiguration()
            CheckPreset.classroom.apply(to: &c)
            if let mutation { c.breaks = [mutation] } else { c.recovery = false }
            let report = try ModelChecker(c).run()
            #expect(report.verdict == .violated, "\(mutation?.name ?? "recovery off"): \(report.lines)")
            #expect(report.lines.contains(line), "\(mutation?.name ?? "recovery off"): \(report.lines)")
        }
    }

    /// Every named break is caught: the six safety breaks here, the two progress breaks in ProgressCheckTests.
    @Test func everyBreakIsCovered() {
        let covered = Self.cases.map(\.mutation) + [.skipHighestBallotChoice, .noCatchUp, .noStandAside]
        #expect(Set(covered) == Set(ProtocolBreak.allCases))
        for mutant in Self.cases {
            #expect(Set(mutant.invariants) == Set(mutant.mutation.invariants), "\(mutant.name): ProtocolBreak.invariants says otherwise")
        }
        #expect(ProtocolBreak.noCatchUp.invariants.isEmpty && ProtocolBreak.noStandAside.invariants.isEmpty)
    }
}
