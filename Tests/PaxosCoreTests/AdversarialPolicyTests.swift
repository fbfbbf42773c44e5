import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// Safety does not depend on policies: deliberately adversarial policies, registered the way a plugin
/// registers its own, run under the randomized fault suite, and invariants 1-5 still hold at every step.
/// (Liveness may suffer: such policies can keep elections going for ever. Only safety is asserted.)
@Suite("Adversarial policies")
struct AdversarialPolicyTests {
    /// Stands at every tick and votes for every candidate that asks.
    struct Reckless: ElectionPolicy {
        static let name = "reckless"
        static let summary = "stands at every tick, grants every candidate"
        func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int { 1 }
        func shouldStand(_ replica: VoterView, config: ClusterConfig) throws -> Bool { true }
        func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
            .grant
        }
    }

    /// Grants only candidates whose log is at most as up to date as the voter's: the most stale log wins.
    struct StalestLogWins: ElectionPolicy {
        static let name = "stalest-log"
        static let summary = "prefers the most stale log"
        func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int {
            1 + random.next(below: 3)
        }
        func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
            isMoreUpToDate(lastBallot: candidate.lastBallot, lastIndex: candidate.lastIndex,
                           than: voter.lastBallot, voter.lastIndex)
                ? .refuse("\(candidate.id)'s log is ahead of \(voter.id)'s: this policy prefers stale logs") : .grant
        }
    }

    /// Fails every question it is asked.
    struct Broken: ElectionPolicy, CommitPolicy {
        struct Failure: Error, CustomStringConvertible { var description: String { "deliberate failure" } }
        static let name = "broken"
        static let summary = "throws from every method"
        func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int { throw Failure() }
        func shouldStand(_ replica: VoterView, config: ClusterConfig) throws -> Bool { throw Failure() }
        func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
            throw Failure()
        }
        func applyMode(for replica: ReplicaID, index: Int, config: ClusterConfig) throws -> ApplyMode { throw Failure() }
    }

    static func checkSafety(election: String, commit: String, seeds: Range<UInt64>) {
        var registry = PolicyRegistry.builtIn
        registry.register(Reckless.self)
        registry.register(StalestLogWins.self)
        for seed in seeds {
            var run = FaultRun(seed: seed, election: election, commit: commit, actions: 60 + Int(seed % 91))
            run.registry = registry
            var outcome = FaultRun.Outcome()
            let world = run.faultPhase(&outcome)
            #expect(world.sim.violations.isEmpty,
                    "seed \(seed) (election \(election), commit \(commit)): \(world.sim.violations.map { "invariant \($0.invariant): \($0.detail)" })")
        }
    }

    @Test("a policy that stands at every tick and grants everyone cannot break an invariant", arguments: 0..<4)
    func reckless(chunk: UInt64) {
        Self.checkSafety(election: Reckless.name, commit: "sync", seeds: (1_000 + chunk * 75)..<(1_000 + (chunk + 1) * 75))
    }

    @Test("a policy that prefers the most stale log cannot break an invariant", arguments: 0..<4)
    func stalestLog(chunk: UInt64) {
        Self.checkSafety(election: StalestLogWins.name, commit: chunk % 2 == 0 ? "sync" : "async",
                         seeds: (2_000 + chunk * 75)..<(2_000 + (chunk + 1) * 75))
    }

    @Test func aPolicyThatThrowsIsReportedAndTheRunGoesOn() {
        var world = World(replicas: 3, leader: 1)
        world.sim.setElectionPolicy(Broken())
        world.sim.setCommitPolicy(Broken())
        world.submit("x=1")
        let quiet = world.deliverAll()
        #expect(quiet)
        #expect(world.replica(2).data == ["x": "1"], "the commit policy failed: the core applied at once")
        world.crash(1)
        world.crash(3)
        world.advance(4)      // n2 alone times out and stands, in vain
        world.restart(3)
        world.advance(3)      // n2 stands again before n3 times out: n3 must answer its candidacy
        let notes = world.trace.map(\.note)
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: apply at once"))
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: timeout of 3 ticks"))
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: stand"))
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: refuse the vote"))
        #expect(world.sim.leader == nil, "every vote is refused: no leader, and no harm")
        #expect(world.sim.violations.isEmpty)
    }
}
