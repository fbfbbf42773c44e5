import PaxosCore
import PaxosSimulation

/// The checker's progress check (`Docs/Progress.md`): from a reachable state, the faults stop, and the
/// cluster must converge for good within K ticks and then commit a new transaction on every live replica.
/// Progress only: invariants are the search's to check, within its bounds.
///
/// The faults stop as the progress property says: time passes with a timeout above the heartbeat interval
/// (``ClusterConfig/progressTiming``: the check's own timing when it qualifies, else the playground's
/// defaults, as `set heartbeat` and `set timeout` would switch them), the network heals, what is in flight
/// to crashed replicas reaches them while they are down (so it is lost), and crashed replicas restart,
/// lowest-numbered first: once just enough for a majority, once all of them (two continuations when they
/// differ). Then `run for` schedules time: every due item delivered, oldest first,
/// between ticks.
struct ProgressContinuation: Sendable {
    /// Restart every crashed replica, not just enough for a majority.
    var restartsAll: Bool

    /// Deliveries allowed between two ticks before the continuation counts as messages that keep flowing.
    static let deliveryLimit = 10_000
    /// The transaction submitted once the cluster converged.
    static let finalRecord = RedoRecord(key: "progress", value: "1")

    /// The continuations a state needs: both restart choices when they differ.
    static func needed(from sim: Simulation) -> [ProgressContinuation] {
        let few = ProgressContinuation(restartsAll: false), all = ProgressContinuation(restartsAll: true)
        return sim.faultsStopActions(restartingAll: false) == sim.faultsStopActions(restartingAll: true) ? [few] : [few, all]
    }

    /// K for the continuations from a state of `config`: with the timing time passes with.
    static func bound(for config: ClusterConfig) -> Int {
        var config = config
        (config.electionTimeoutTicks, config.heartbeatIntervalTicks) = config.progressTiming
        return config.progressBoundTicks
    }

    /// The settings the continuation switches, in the order a script sets them.
    static func timingChanges(of config: ClusterConfig) -> [TimingChange] {
        let timing = config.progressTiming
        var changes: [TimingChange] = []
        if timing.heartbeat != config.heartbeatIntervalTicks { changes.append(.heartbeat(timing.heartbeat)) }
        if timing.timeout != config.electionTimeoutTicks { changes.append(.timeout(timing.timeout)) }
        return changes
    }

    /// Switches the timing, as the `set` commands do (each its own change: a new timeout redraws timers).
    static func apply(_ setting: TimingChange, to sim: inout Simulation) {
        sim.updateConfig { config in
            switch setting {
            case .heartbeat(let ticks): config.heartbeatIntervalTicks = ticks
            case .timeout(let ticks): config.electionTimeoutTicks = ticks
            }
        }
    }
}

/// A timing setting the faults-stop continuation switches, as `set heartbeat T` and `set timeout T` do.
package enum TimingChange: Hashable, Sendable {
    case heartbeat(Int), timeout(Int)
}

/// A continuation that fails, replayed with the trace on: what it did, as typed steps (the playground's
/// `ScriptPrinter` writes them as script lines, ending in the `expect` that fails), its events, and why it
/// fails.
package struct FailedContinuation: Sendable {
    /// The timing time passes with, switched in this order, when it differs from the state's.
    package var timing: [TimingChange]
    /// What ends the faults: `heal`, the deliveries that lose what is in flight to crashed replicas, then
    /// restarts, lowest-numbered first.
    package var faultsStop: [Action]
    /// The ticks that passed, every due message delivered before each (`run for T`), until the failure showed.
    package var ticks: Int
    /// The transaction submitted once the cluster converged, when the failure is that it was not applied.
    package var transaction: RedoRecord?
    package var events: [TraceEvent]
    package var failure: ProgressFailure
}

extension ProgressContinuation {
    /// Plays this continuation from `start` with the trace on; nil when it makes progress. The same steps
    /// as ``ProgressOracle`` takes quietly, so it finds what the oracle found.
    func replay(from start: Simulation) -> FailedContinuation? {
        var sim = start
        var events: [TraceEvent] = []
        let timing = Self.timingChanges(of: sim.config)
        for setting in timing { Self.apply(setting, to: &sim) }
        let faultsStop = sim.faultsStopActions(restartingAll: restartsAll)
        for action in faultsStop { events += (try? sim.perform(action)) ?? [] }
        func failed(after ticks: Int, _ failure: ProgressFailure, transaction: RedoRecord? = nil) -> FailedContinuation {
            FailedContinuation(timing: timing, faultsStop: faultsStop, ticks: ticks, transaction: transaction,
                               events: events, failure: failure)
        }
        var watch = ProgressWatch(bound: sim.config.progressBoundTicks)
        var tick = 0
        while true {
            if tick > 0 { events += (try? sim.perform(.tick)) ?? [] }
            guard Self.deliverAll(&sim, into: &events) else { return failed(after: tick, .messagesKeepFlowing(tick: tick)) }
            switch watch.observe(digest: sim.futureDigest(), divergence: sim.divergence()) {
            case nil:
                tick += 1
            case .failed(let failure)?:
                guard case .notConverged(let late, _, _) = failure else { return nil }
                return failed(after: late, failure)
            case .convergedFrom?:
                let record = Self.finalRecord
                events += (try? sim.perform(.submit([record]))) ?? []
                _ = Self.deliverAll(&sim, into: &events)
                guard let missing = sim.replicas.first(where: { sim.isAlive($0.id) && $0.data[record.key] != record.value })
                else { return nil }
                return failed(after: tick, .transactionNotApplied(missing.id), transaction: record)
            }
        }
    }

    private static func deliverAll(_ sim: inout Simulation, into events: inout [TraceEvent]) -> Bool {
        var deliveries = 0
        while let next = sim.inFlight.first {
            guard deliveries < deliveryLimit else { return false }
            deliveries += 1
            events += (try? sim.perform(.deliver(next.id))) ?? []
        }
        return true
    }
}

/// Plays continuations quietly, for the search: one per search thread, with memos, so a state whose future
/// an earlier continuation went through costs a lookup.
final class ProgressOracle: @unchecked Sendable {
    /// Tick-boundary digest → ticks until converged for good from there.
    private var settled: [Int: Int] = [:]
    /// Explored state's digest → whether progress holds from it.
    private var verdicts: [Int: Bool] = [:]

    /// Whether progress holds from `sim`: every continuation it needs makes progress.
    func holds(from sim: Simulation) -> Bool {
        let key = sim.futureDigest()
        if let known = verdicts[key] { return known }
        let holds = ProgressContinuation.needed(from: sim).allSatisfy { play($0, from: sim) }
        verdicts[key] = holds
        return holds
    }

    /// One continuation, quietly. True when it makes progress.
    private func play(_ continuation: ProgressContinuation, from start: Simulation) -> Bool {
        var sim = start
        for setting in ProgressContinuation.timingChanges(of: sim.config) { ProgressContinuation.apply(setting, to: &sim) }
        for action in sim.faultsStopActions(restartingAll: continuation.restartsAll) { _ = try? sim.performQuietly(action) }
        var watch = ProgressWatch(bound: sim.config.progressBoundTicks)
        var boundaries: [Int] = []
        var tick = 0
        while true {
            if tick > 0 { _ = try? sim.performQuietly(.tick) }
            guard deliverAll(&sim) else { return false }
            let digest = sim.futureDigest()
            if let remaining = settled[digest] {
                // This boundary's future was verified: converged for good `remaining` ticks from here.
                let lastDiverged = watch.lastDiverged?.tick ?? -1
                guard max(lastDiverged + 1, tick + remaining) <= watch.bound else { return false }
                remember(boundaries, convergedFrom: max(lastDiverged + 1, tick + remaining))
                return true
            }
            boundaries.append(digest)
            switch watch.observe(digest: digest, divergence: sim.divergence()) {
            case nil:
                tick += 1
            case .failed?:
                return false
            case .convergedFrom(let from)?:
                guard transactionCommits(in: &sim) else { return false }
                remember(boundaries, convergedFrom: from)
                return true
            }
        }
    }

    /// Each boundary seen (boundary k at tick k) is converged for good from tick `from`.
    private func remember(_ boundaries: [Int], convergedFrom from: Int) {
        for (tick, digest) in boundaries.enumerated() { settled[digest] = max(0, from - tick) }
    }

    private func deliverAll(_ sim: inout Simulation) -> Bool {
        var deliveries = 0
        while let next = sim.inFlight.first {
            guard deliveries < ProgressContinuation.deliveryLimit else { return false }
            deliveries += 1
            _ = try? sim.performQuietly(.deliver(next.id))
        }
        return true
    }

    /// A transaction submitted now commits and is applied on every live replica, with no time passing.
    private func transactionCommits(in sim: inout Simulation) -> Bool {
        _ = try? sim.performQuietly(.submit([ProgressContinuation.finalRecord]))
        guard deliverAll(&sim) else { return false }
        let record = ProgressContinuation.finalRecord
        return sim.replicas.allSatisfy { !sim.isAlive($0.id) || $0.data[record.key] == record.value }
    }
}
