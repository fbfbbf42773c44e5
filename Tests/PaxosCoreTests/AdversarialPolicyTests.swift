import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// Neither safety nor progress depends on policies: deliberately adversarial policies, registered the way
/// a plugin registers its own, run under the randomized fault suite. Invariants 1-5 hold at every step, and
/// once the faults stop the cluster converges within K and commits a new transaction, as under the
/// built-in policies: the core clamps timeouts, overrules a policy that will not stand at the second
/// timeout, and judges a candidate's retry without the policy.
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

    /// Never stands, refuses every candidate, and draws a timeout of for ever.
    struct Obstinate: ElectionPolicy {
        static let name = "obstinate"
        static let summary = "never stands, refuses everyone, waits for ever"
        func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int { .max }
        func shouldStand(_ replica: VoterView, config: ClusterConfig) throws -> Bool { false }
        func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
            .refuse("\(voter.id) refuses everyone")
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

    static var registry: PolicyRegistry {
        var registry = PolicyRegistry.builtIn
        registry.register(Reckless.self)
        registry.register(StalestLogWins.self)
        registry.register(Obstinate.self)
        func asElection<P: ElectionPolicy>(_ type: P.Type) { registry.register(type) }
        func asCommit<P: CommitPolicy>(_ type: P.Type) { registry.register(type) }
        asElection(Broken.self)
        asCommit(Broken.self)
        return registry
    }

    /// Runs `seeds` of the fault suite under `election`: safe at every step, progress once the faults stop.
    static func check(election: String, commit: String, seeds: Range<UInt64>) {
        for seed in seeds {
            var run = FaultRun(seed: seed, election: election, commit: commit, actions: 60 + Int(seed % 91))
            run.registry = registry
            let (outcome, world) = run.run()
            guard !outcome.violations.isEmpty || outcome.convergence != nil else { continue }
            let replay = "seed \(seed) (election \(election), commit \(commit)), replay script \(FaultScript.write(run, world: world))"
            #expect(outcome.violations.isEmpty,
                    "\(replay): \(outcome.violations.map { "invariant \($0.invariant): \($0.detail)" })")
            #expect(outcome.convergence == nil, "\(replay): no progress: \(outcome.convergence ?? "")\nstate: \(outcome.summary)")
        }
    }

    @Test("a policy that stands at every tick and grants everyone: safe, and the cluster recovers", arguments: 0..<2)
    func reckless(chunk: UInt64) {
        Self.check(election: Reckless.name, commit: "sync", seeds: (1_000 + chunk * 100)..<(1_000 + (chunk + 1) * 100))
    }

    @Test("a policy that prefers the most stale log: safe, and the cluster recovers", arguments: 0..<2)
    func stalestLog(chunk: UInt64) {
        Self.check(election: StalestLogWins.name, commit: chunk % 2 == 0 ? "sync" : "async",
                   seeds: (2_000 + chunk * 100)..<(2_000 + (chunk + 1) * 100))
    }

    @Test("a policy that never stands and refuses everyone: safe, and the cluster recovers", arguments: 0..<2)
    func obstinate(chunk: UInt64) {
        Self.check(election: Obstinate.name, commit: chunk % 2 == 0 ? "sync" : "async",
                   seeds: (3_000 + chunk * 100)..<(3_000 + (chunk + 1) * 100))
    }

    @Test("a policy that throws from every method: safe, and the cluster recovers", arguments: 0..<2)
    func broken(chunk: UInt64) {
        Self.check(election: Broken.name, commit: chunk % 2 == 0 ? "broken" : "async",
                   seeds: (4_000 + chunk * 100)..<(4_000 + (chunk + 1) * 100))
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
        world.advance(3)      // n3 times out: the failed policy refuses every first attempt
        #expect(world.sim.leader == nil, "every first attempt is refused")
        world.advance(12)     // a retry is judged without the policy: a leader
        let notes = world.trace.map(\.note)
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: apply at once"))
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: timeout of 3 ticks"))
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: stand"))
        #expect(notes.contains("the broken policy failed (deliberate failure): the core falls back to: refuse the vote"))
        #expect(notes.contains { $0.hasSuffix("asks again after a failed election, so its election policy is not asked (a policy may delay an election, never block it)") })
        #expect(world.sim.leader != nil, "a policy that fails may delay an election, never block it")
        #expect(world.sim.divergence() == nil)
        #expect(world.sim.violations.isEmpty)
    }
}
