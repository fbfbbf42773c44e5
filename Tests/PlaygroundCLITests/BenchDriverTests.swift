import PaxosCore
@testable import PlaygroundCLI
import Testing

/// What `paxos-playground bench` counts is what the protocol sends: exact figures, the same with the trace
/// and the invariant checks on as without them.
@Suite("Bench driver")
struct BenchDriverTests {
    /// One configuration and what a run of 5,000 transactions counts in it.
    struct Expected: Sendable, CustomStringConvertible {
        let replicas, batch, window: Int
        let commit: String
        let messages, applies, entries, peakLeaderLog, peakFollowerLog, ticks, peakInFlight: Int
        var description: String { "\(replicas) replicas, batch \(batch), window \(window), \(commit)" }
    }

    // With batch 1 a transaction is 1 + 4 × (N − 1) messages (its own, then a proposal, a vote, a commit
    // and an ack per follower), plus N − 1 heartbeats and N − 1 heartbeat replies a tick; a tick every 1,024
    // entries, and one at the end.
    static let runs: [Expected] = [
        Expected(replicas: 3, batch: 1, window: 1, commit: "sync", messages: 45_020, applies: 0, entries: 5_000,
                 peakLeaderLog: 2, peakFollowerLog: 1_026, ticks: 5, peakInFlight: 7),
        Expected(replicas: 3, batch: 1, window: 16, commit: "sync", messages: 45_020, applies: 0, entries: 5_000,
                 peakLeaderLog: 32, peakFollowerLog: 1_056, ticks: 5, peakInFlight: 97),
        Expected(replicas: 7, batch: 64, window: 1, commit: "sync", messages: 6_932, applies: 0, entries: 80,
                 peakLeaderLog: 2, peakFollowerLog: 80, ticks: 1, peakInFlight: 143),
        Expected(replicas: 7, batch: 64, window: 16, commit: "sync", messages: 7_268, applies: 0, entries: 94,
                 peakLeaderLog: 32, peakFollowerLog: 94, ticks: 1, peakInFlight: 2_243),
        Expected(replicas: 3, batch: 64, window: 1, commit: "async", messages: 5_644, applies: 160, entries: 80,
                 peakLeaderLog: 3, peakFollowerLog: 80, ticks: 1, peakInFlight: 135),
        Expected(replicas: 7, batch: 1, window: 16, commit: "async", messages: 125_060, applies: 30_000,
                 entries: 5_000, peakLeaderLog: 48, peakFollowerLog: 1_056, ticks: 5, peakInFlight: 323),
    ]

    @Test(arguments: runs, [false, true])
    func countsWhatTheProtocolSends(_ expected: Expected, traced: Bool) throws {
        var config = ClusterConfig(replicaCount: expected.replicas)
        config.batchSize = expected.batch
        config.window = expected.window
        let commit = try #require(PolicyRegistry.builtIn.commit(named: expected.commit))
        var driver = BenchDriver(replicas: expected.replicas, batch: expected.batch, window: expected.window, seed: 1,
                                 policies: Policies(commit: commit), config: config, traced: traced,
                                 checksInvariants: traced)
        let result = try driver.run(transactions: 5_000)
        #expect(result.messages == expected.messages)
        #expect(result.applies == expected.applies)
        #expect(result.entries == expected.entries)
        #expect(result.peakLeaderLog == expected.peakLeaderLog)
        #expect(result.peakFollowerLog == expected.peakFollowerLog)
        #expect(result.ticks == expected.ticks)
        #expect(result.peakInFlight == expected.peakInFlight)
        #expect(result.finalLogs == 0)
    }
}
