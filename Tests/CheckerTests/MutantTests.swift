import Testing
@_spi(Mutants) import PaxosChecker
@_spi(Mutants) import PaxosCore

/// Each deliberate protocol bug (switchable only from tests) is caught: the checker finds a run that
/// breaks an invariant, with recovery on. Each gets the smallest bounds its bug needs to show.
@Suite struct MutantTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let mutation: Mutations
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
        // A voter grants two candidates of one round: two leaders decide index 1 differently.
        Case(name: "voteTwiceInBallot", mutation: .voteTwiceInBallot, bounds: {
            var c = Bounds.small(election: LongestTermElection.name)
            c.transactions = 2
            c.elections = 2
            c.candidates = nil
            c.time = .timeouts(2)
            return c
        }, invariants: [1, 2]),
        // Recovery keeps the older of two accepted values: the third leader undoes a commit.
        Case(name: "skipHighestBallotChoice", mutation: .skipHighestBallotChoice, bounds: {
            var c = Bounds.small()
            c.transactions = 2
            c.elections = 2
            c.electionsPerReplica = 1
            c.candidates = [ReplicaID(1), ReplicaID(2)]
            // Runs with two transactions are unbounded (a follower with a gap and an unlucky network
            // trade rejects and re-sends for ever): bound the depth; depth-first is quickest here.
            c.order = .depthFirst
            c.maxDepth = 14
            return c
        }, invariants: [1, 2]),
    ]

    @Test(arguments: cases)
    func mutantIsCaught(_ mutant: Case) throws {
        var c = mutant.bounds()
        c.mutations = mutant.mutation
        #expect(c.recovery)
        let report = try ModelChecker(c).run()
        #expect(report.verdict == .violated, "\(mutant.name) escaped: \(report.lines.joined(separator: "; "))")
        let broken = Set(report.brokenInvariants)
        #expect(!broken.isDisjoint(with: mutant.invariants), "\(mutant.name) broke \(broken)")
        // The same bounds without the bug hold (so the bug, not the bounds, broke the invariant).
        if c.order == .breadthFirst {
            c.mutations = []
            c.stateLimit = 2 * report.states + 1_000
            c.maxDepth = report.steps
            let clean = try ModelChecker(c).run()
            #expect(clean.verdict != .violated, "\(mutant.name)'s bounds break the correct protocol too")
        }
    }

    @Test func theSixMutantsAreAllCovered() {
        let all: [Mutations] = [.acceptLowerBallot, .commitWithoutMajority, .voteTwiceInBallot, .applyOutOfOrder,
                                .skipHighestBallotChoice, .ignoreRecoveredValues]
        #expect(Set(Self.cases.map(\.mutation.rawValue)) == Set(all.map(\.rawValue)))
    }
}
