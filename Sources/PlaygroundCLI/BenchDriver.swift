import ArgumentParser
import Foundation
import PaxosCore
import PaxosSimulation

// MARK: - The driver

/// Drives one cluster through `transactions` client transactions: a client that keeps the leader's queue
/// fed (it submits a chunk of 2 × batch × window when the queue holds less than batch × window and none of
/// its transactions is in flight), FIFO delivery, and a tick only when needed: every `cleanupEvery`
/// committed entries the client holds back until the network is quiet, and one tick sends a heartbeat round
/// whose `cleanup_index` lets the followers clean their logs. No message is lost, so no tick is needed for
/// progress, and a tick on a quiet network re-sends nothing.
struct BenchDriver {
    var sim: Simulation
    let batch: Int
    let window: Int
    let traced: Bool
    /// Committed log entries between heartbeat rounds: bounds the followers' logs.
    let cleanupEvery = 1024
    /// Redo records cycled through by the client: a bounded key space, so the data stays bounded too.
    let pool: [[RedoRecord]] = (0..<1024).map { [RedoRecord(key: "k\($0)", value: "v\($0)")] }
    /// The first messages delivered, as the baseline's message values.
    var samples: [Envelope] = []
    /// The replicas' effects, one buffer for every step (`performQuietly(_:effects:)`).
    var effects: [Effect] = []

    init(replicas: Int, batch: Int, window: Int, seed: UInt64, policies: Policies, config: ClusterConfig, traced: Bool,
         checksInvariants: Bool) {
        sim = Simulation(replicaCount: replicas, seed: seed, policies: policies, config: config, leader: ReplicaID(1))
        sim.checksInvariants = checksInvariants
        self.batch = batch
        self.window = window
        self.traced = traced
    }

    private mutating func act(_ action: Action) throws {
        if traced {
            _ = try sim.perform(action)
        } else {
            try sim.performQuietly(action, effects: &effects)
        }
    }

    /// Never inlined: `Scripts/bench-table.sh` reads its instructions (inclusive) from a callgrind profile.
    @inline(never)
    mutating func run(transactions: Int) throws -> BenchResult {
        let leader = ReplicaID(1)
        let low = batch * window
        let chunk = max(1, 2 * batch * window)
        var submitted = 0
        // The message id of the last transaction submitted. Delivery is FIFO, so once the oldest item in flight
        // is younger, every transaction submitted so far has been delivered.
        var lastTransactionID = 0
        var messages = 0, applies = 0, ticks = 0
        var peakLeaderLog = 0, peakFollowerLog = 0, peakInFlight = 0, inFlightSum = 0, steps = 0
        var committedAtLastTick = 0
        // A heartbeat round is due: the client holds back until the network is quiet, so the tick finds every
        // proposal accepted and acked and re-sends nothing (a tick with proposals in flight would).
        var cleanupDue = false
        var finalRound = false

        let clock = ContinuousClock()
        let start = clock.now
        while true {
            if !cleanupDue, submitted < transactions, sim.inFlight.isEmpty || sim.inFlight[0].id > lastTransactionID,
               sim.queuedTransactions(at: leader) < low {
                let count = min(chunk, transactions - submitted)
                for _ in 0..<count {
                    let redo = pool[submitted % pool.count]
                    if traced {
                        lastTransactionID = try sim.perform(.submit(redo)).first?.messageID ?? lastTransactionID
                    } else {
                        lastTransactionID = try sim.submitQuietly(redo)
                    }
                    submitted += 1
                }
            }
            guard !sim.inFlight.isEmpty else {
                // Quiet: everything submitted so far is committed, applied and acked. A tick sends a heartbeat
                // round, whose cleanup_index lets the followers clean their logs; after the last one the run
                // is over.
                if finalRound { break }
                guard cleanupDue || submitted == transactions else {
                    throw ValidationError("the network went quiet with transactions left")
                }
                peakFollowerLog = max(peakFollowerLog, followerLogPeak())
                try act(.tick)
                ticks += 1
                cleanupDue = false
                finalRound = submitted == transactions
                continue
            }
            steps += 1
            inFlightSum += sim.inFlight.count
            peakInFlight = max(peakInFlight, sim.inFlight.count)
            // Read in place: a copy of the item and its envelope would be the driver's cost, not the protocol's.
            switch sim.inFlight[0].item {
            case .message:
                messages += 1
                if samples.count < 4096, case .message(let envelope) = sim.inFlight[0].item { samples.append(envelope) }
            case .apply:
                applies += 1
            }
            try act(.deliver(sim.inFlight[0].id))
            let figures = sim.figures(of: leader)
            peakLeaderLog = max(peakLeaderLog, figures.logCount)
            if figures.commitIndex - committedAtLastTick >= cleanupEvery {
                committedAtLastTick = figures.commitIndex
                cleanupDue = true
            }
        }
        let seconds = (clock.now - start).seconds

        // Everything committed, applied everywhere, and cleaned up.
        let leaderState = sim.replica(leader)
        guard leaderState.role == .leader, leaderState.leadership?.queue.isEmpty == true,
              leaderState.commitIndex == leaderState.log.lastIndex,
              sim.replicas.allSatisfy({ $0.appliedIndex == leaderState.commitIndex }) else {
            throw ValidationError("the run ended before every transaction was committed and applied everywhere")
        }
        if let violation = sim.violations.first {
            throw ValidationError("invariant \(violation.invariant) (\(violation.name)) violated: \(violation.detail)")
        }
        return BenchResult(
            replicas: sim.replicas.count, batch: batch, window: window, transactions: transactions,
            entries: leaderState.commitIndex, messages: messages, applies: applies, ticks: ticks, seconds: seconds,
            peakLeaderLog: peakLeaderLog, peakFollowerLog: peakFollowerLog,
            finalLogs: sim.replicas.map(\.log.count).max() ?? 0, monitorHistory: sim.monitorHistorySize,
            peakInFlight: peakInFlight,
            meanInFlight: steps == 0 ? 0 : inFlightSum / steps)
    }

    private func followerLogPeak() -> Int {
        sim.replicas.dropFirst().map(\.log.count).max() ?? 0
    }

    /// The bare baseline: `messages` message values (the run's first ones, cycled) through the fastest queue
    /// (``Simulation/bareQueue(_:messages:depth:)``), kept `depth` deep as in the run, and no protocol work.
    /// Returns the wall time in seconds.
    func baseline(messages: Int, depth: Int) -> Double {
        guard !samples.isEmpty else { return 0 }
        let clock = ContinuousClock()
        let start = clock.now
        let checksum = Simulation.bareQueue(samples, messages: messages, depth: depth)
        let seconds = (clock.now - start).seconds
        if checksum == -1 { print("") }  // keeps the loop's work observable
        return seconds
    }
}
