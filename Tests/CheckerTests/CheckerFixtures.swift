import Foundation
import PaxosChecker
import PaxosCore

/// The size the long checker suites run at. `swift test` (and CI) runs them at a size that keeps the suite
/// within minutes on two cores in a debug build; `PAXOS_FULL_TESTS=1 swift test` runs the full bounds (README,
/// "Tests"). Both sizes assert the same things.
enum TestSize {
    static let full = ProcessInfo.processInfo.environment["PAXOS_FULL_TESTS"] == "1"

    /// `full` under PAXOS_FULL_TESTS=1, else `ci`.
    static func pick<T>(ci: T, full: T) -> T { Self.full ? full : ci }

    /// A depth bound: `full` steps under PAXOS_FULL_TESTS=1, two fewer otherwise.
    static func depth(_ full: Int) -> Int { pick(ci: full - 2, full: full) }
}

extension CheckerConfiguration {
    /// What a search of these bounds that meets no violation reports: verified, or, with a depth bound,
    /// verified to that depth (the tests' depth bounds all leave steps untaken at the bound).
    var cleanVerdict: CheckReport.Verdict { maxDepth.map { .verifiedToDepth($0) } ?? .verified }
}

/// The small bounds the tests use: enough for each behaviour to show, small enough for a debug build.
/// They check invariants only: these tests are about the search, its reductions and its counterexamples;
/// `ProgressCheckTests` checks progress.
enum Bounds {
    /// The cluster of random run number `run`: the commit policy and the start (a leader or none) vary
    /// from run to run, and recovery is off in every `recoveryOffEvery`-th run.
    static func randomRun(_ run: Int, election: String, recoveryOffEvery: Int? = nil) -> CheckerConfiguration {
        var config = CheckerConfiguration()
        config.progress = false
        config.election = election
        config.commit = run.isMultiple(of: 2) ? SyncCommit.name : AsyncCommit.name
        config.initialLeader = run.isMultiple(of: 3) ? nil : ReplicaID(1)
        if let recoveryOffEvery { config.recovery = !run.isMultiple(of: recoveryOffEvery) }
        return config
    }

    /// `cluster 3 leader n1`, one transaction, one election by n2, nothing lost: every policy must be safe
    /// here. Two election timers may fire, each at any time: n2's, and another's so that a voter has stopped
    /// counting n1 as its leader (leader stickiness) and grants n2's pre-vote. Runs of up to 12 steps: enough
    /// for every bug these bounds catch (the longest takes 12), small enough for a debug build.
    static func small(election: String = PriorityElection.name, commit: String = SyncCommit.name) -> CheckerConfiguration {
        var c = CheckerConfiguration()
        c.progress = false
        c.election = election
        c.commit = commit
        c.transactions = 1
        c.elections = 1
        c.candidates = [ReplicaID(2)]
        c.time = .timeouts(2)
        c.maxDepth = 12
        return c
    }

    /// `cluster 3 leader n1` under a policy that reads no ids, any replica may stand once (abstract time):
    /// n2 and n3 are interchangeable, so the symmetry reduction applies.
    static func symmetric(election: String = LongestTermElection.name, commit: String = SyncCommit.name) -> CheckerConfiguration {
        var c = small(election: election, commit: commit)
        c.candidates = nil
        return c
    }

    /// The same with global ticks, so that a counterexample replays as a script.
    static func ticking(recovery: Bool) -> CheckerConfiguration {
        var c = CheckerConfiguration()
        c.progress = false
        c.recovery = recovery
        c.time = .ticks(2)
        return c
    }
}

extension CheckReport {
    var steps: Int? { counterexample?.actions.count }
    var brokenInvariants: [Int] { counterexample?.violations.map(\.invariant) ?? [] }
}
