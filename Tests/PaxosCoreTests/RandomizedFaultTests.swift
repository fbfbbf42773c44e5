import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// Deterministic simulation testing: many seeded runs of random faults (drops, duplicates, reorders,
/// crashes and restarts, partitions and cuts, ticks and client transactions). In every run invariants 1-5
/// hold at every step, and once the faults stop the cluster converges: one leader, every replica committed
/// and applied the same log, the same data. A failure names its seed; `FaultRun(seed:)` replays it exactly.
@Suite("Randomized faults")
struct RandomizedFaultTests {
    /// Seeds are split into chunks so that Swift Testing runs the chunks in parallel.
    static let chunks = 0..<20

    static let elections = ["priority", "longest-term", "randomized"]

    /// Runs the seeds `chunk, chunk + 20, …` below `limit` and checks each run: 60 to 150 actions each
    /// (`long`: 400 to 600), under the given policies (nil: a policy picked by the seed).
    static func check(chunk: Int, limit: Int, base: UInt64, election: String? = "priority", commit: String? = "sync",
                      long: Bool = false) {
        for n in stride(from: chunk, to: limit, by: chunks.count) {
            let seed = base + UInt64(n)
            let election = election ?? elections[Int(seed % 3)]
            let commit = commit ?? (seed % 2 == 0 ? "sync" : "async")
            let actions = long ? 400 + Int(seed % 201) : 60 + Int(seed % 91)
            let run = FaultRun(seed: seed, election: election, commit: commit, actions: actions)
            let outcome = run.run().outcome
            let replay = "seed \(seed) (election \(election), commit \(commit)): replay with FaultRun(seed: \(seed), election: \"\(election)\", commit: \"\(commit)\", actions: \(run.actions)).run()"
            let context = "weights: \(outcome.weights)\nlast actions: \(outcome.recent.joined(separator: "; "))\nstate: \(outcome.summary)"
            #expect(outcome.violations.isEmpty,
                    "\(replay)\nviolations: \(outcome.violations.map { "invariant \($0.invariant) at \($0.index.map(String.init) ?? "-"): \($0.detail)" })\n\(context)")
            #expect(outcome.convergence == nil, "\(replay)\ndid not converge: \(outcome.convergence ?? "")\n\(context)")
        }
    }

    @Test("1,000 seeds under priority election and sync commit: safe at every step, converge after", arguments: chunks)
    func prioritySync(chunk: Int) {
        Self.check(chunk: chunk, limit: 1_000, base: 1)
    }

    @Test("the same faults under async commit", arguments: chunks)
    func priorityAsync(chunk: Int) {
        Self.check(chunk: chunk, limit: 300, base: 10_001, commit: "async")
    }

    @Test("the same faults under longest-term election", arguments: chunks)
    func longestTerm(chunk: Int) {
        Self.check(chunk: chunk, limit: 300, base: 20_001, election: "longest-term")
    }

    @Test("the same faults under randomized election", arguments: chunks)
    func randomized(chunk: Int) {
        Self.check(chunk: chunk, limit: 300, base: 30_001, election: "randomized")
    }

    @Test("longest-term and randomized election under async commit", arguments: chunks)
    func otherElectionsAsync(chunk: Int) {
        Self.check(chunk: chunk, limit: 100, base: 40_001, election: "longest-term", commit: "async")
        Self.check(chunk: chunk, limit: 100, base: 50_001, election: "randomized", commit: "async")
    }

    @Test("long runs (400 to 600 actions), every policy", arguments: chunks)
    func longRuns(chunk: Int) {
        Self.check(chunk: chunk, limit: 100, base: 60_001, election: nil, commit: nil, long: true)
    }
}
