import Foundation
import PaxosCore
import PaxosSimulation

/// The exhaustive model checker: explores every run of the real core and simulation within the bounds of a
/// ``CheckerConfiguration`` and proves invariants 1-5 of Docs/Protocol.md there, or finds the shortest run that
/// breaks one, as typed steps from its ``setup`` that the playground's `ScriptPrinter` writes as a script.
///
/// It drives the very same `Replica.handle` and `Simulation` as the REPL, one step at a time, with the
/// invariant monitor on. States are deduplicated by a 64-bit canonical fingerprint (replicas by position,
/// in-flight messages as a multiset without their ids, the monitor's history, the budgets used), so runs
/// that reach one state by different delivery orders are explored once.
///
/// ```swift
/// var bounds = CheckerConfiguration()
/// bounds.recovery = false
/// let checker = try ModelChecker(bounds)
/// let report = checker.run()
/// print(report.lines.joined(separator: "\n"))
/// // With PaxosPlayground imported: the counterexample as a `.pxs` script.
/// if let counterexample = report.counterexample { print(checker.script(for: counterexample)) }
/// ```
package struct ModelChecker: Sendable {
    package let configuration: CheckerConfiguration

    package init(_ configuration: CheckerConfiguration) throws(CheckerError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Explores every run from the configuration's start. `progress` is called about twice a second, from
    /// a search thread.
    package func run(progress: (@Sendable (CheckProgress) -> Void)? = nil) -> CheckReport {
        let start = configuration.initialSimulationWithEvents()
        return Self.search(from: start.simulation, bounds: configuration, progress: progress, setUp: start.events)
    }

    /// The REPL's `explore K`: every way the next `depth` steps could go from `simulation`, invariants only (deliveries in any
    /// order, and the drops, duplicates, crashes, restarts, time and transactions `bounds` allows; its
    /// cluster and policy settings are ignored: `simulation` has its own). The counterexample's message ids
    /// continue from `simulation`'s, so the session's journal followed by its actions replays it.
    package static func explore(from simulation: Simulation, depth: Int, bounds: CheckerConfiguration,
                               progress: (@Sendable (CheckProgress) -> Void)? = nil) -> CheckReport {
        var bounds = bounds
        bounds.maxDepth = depth
        bounds.replicas = simulation.config.replicaCount
        // Invariants only: progress is about the runs that go on once the faults stop, which `check` verifies.
        bounds.progress = false
        return search(from: simulation, bounds: bounds, progress: progress)
    }

    /// How the search's start is set up: the policies, the cluster's settings and the leader of ballot 1.
    /// `check`'s counterexamples begin with it.
    package var setup: ClusterSetup {
        ClusterSetup(election: configuration.election, commit: configuration.commit,
                     config: configuration.clusterConfig, leader: configuration.initialLeader)
    }

    /// The opening comments of the counterexample's script, without their `#`: what it breaks, under which
    /// bounds, and how to replay it. Prose, as ``CheckReport/lines`` is; the script's command lines are the
    /// playground's to write (`ModelChecker.script(for:)` in PaxosPlayground).
    package func scriptHeader(for counterexample: Counterexample) -> [String] {
        var header = ["Counterexample found by paxos-playground check (\(counted(counterexample.actions.count, "step"))).",
                      "Bounds: \(configuration.summary)."]
        for violation in counterexample.violations {
            header.append("Breaks invariant \(violation.invariant) (\(violation.name)): \(violation.detail).")
        }
        if let continuation = counterexample.continuation {
            header.append("Breaks progress: after these steps the faults stop, and the cluster does not recover: \(continuation.failure).")
        }
        header.append("Replay: paxos-playground run " + (configuration.seed == 1 ? "" : "--seed \(configuration.seed) ")
            + "FILE.pxs (the closing expect fails: that is the violation; a script cannot set the seed).")
        for bug in configuration.breaks.members {
            header.append("With the protocol bug \(bug.name) on (set break): \(bug.summary).")
        }
        if counterexample.actions.contains(where: { if case .timeout = $0 { true } else { false } }) {
            header.append("`timeout nK` fires one replica's election timer (abstract time).")
        }
        return header
    }

    // MARK: - The search

    /// `setUp`: the trace of what made `simulation` from a fresh cluster (its transactions committed first),
    /// shown as the flow when an invariant broke there.
    static func search(from simulation: Simulation, bounds: CheckerConfiguration,
                       progress: (@Sendable (CheckProgress) -> Void)?, setUp: [TraceEvent] = []) -> CheckReport {
        let began = monotonicSeconds()
        let explorer = Explorer(bounds, start: simulation)
        let start = explorer.node(from: simulation)
        var notes: [String] = []
        let outcome: SearchOutcome
        switch bounds.order {
        case .breadthFirst:
            let partialOrder = bounds.reductions.contains(.partialOrder)
            notes.append(partialOrder ? "partial order: sleep sets over independent steps" : "partial order: off")
            outcome = BreadthFirstSearch(explorer: explorer, configuration: bounds, partialOrder: partialOrder)
                .run(from: start, progress: progress)
        case .depthFirst:
            if bounds.reductions.contains(.partialOrder) { notes.append("partial order: breadth-first search only") }
            outcome = DepthFirstSearch(explorer: explorer, configuration: bounds).run(from: start, progress: progress)
        }
        let reductions = bounds.effectiveReductions
        if bounds.crashes > bounds.restarts, reductions.contains(.deadLetters) {
            notes.append("dead letters: messages to a replica down for good leave the network")
        }
        if reductions.contains(.ignoredMessages), bounds.breaks.isEmpty {
            notes.append("ignored messages: messages their receiver will ignore whenever they arrive leave the network")
        }
        if bounds.drops > 0, bounds.reductions.contains(.dropsAsDelays) {
            notes.append(reductions.contains(.dropsAsDelays)
                ? "drops as delays: no message is dropped; a lost message is one never delivered, which the search covers"
                : "drops as delays: off while progress is checked (once the faults stop every message is delivered, so a drop must be taken)")
        }
        if reductions.contains(.symmetry) {
            notes.append(SymmetryAnalysis.note(for: bounds, from: simulation))
        } else if bounds.reductions.contains(.symmetry), bounds.crashes > 0, bounds.progress {
            notes.append("symmetry: off while progress is checked with crashes (the faults stop by restarting the lowest-numbered replicas)")
        }
        if bounds.progress {
            let config = simulation.config
            let timing = config.progressTiming
            notes.append("progress: from every state, once the faults stop (heal, what is in flight to crashed replicas lost, restart to a majority and all, time passing with timeout \(timing.timeout) and heartbeat \(timing.heartbeat)), converged for good within K = \(ProgressContinuation.bound(for: config)) ticks and a new transaction applied")
        }
        var report = CheckReport(verdict: outcome.verdict, counterexample: nil, states: outcome.states,
                                 transitions: outcome.transitions, depth: outcome.depth,
                                 seconds: monotonicSeconds() - began, peakMemoryBytes: peakResidentMemoryBytes(),
                                 threads: bounds.order == .breadthFirst || bounds.maxDepth == nil ? max(1, bounds.threads) : 1,
                                 reductionNotes: notes, bounds: bounds.summary, checksProgress: bounds.progress)
        if let path = outcome.path {
            var (counterexample, end) = replayed(path.map(\.action), from: simulation)
            if path.isEmpty, !simulation.violations.isEmpty, !setUp.isEmpty {
                counterexample.beforeSearch = true
                // Up to the step that broke it: what follows in the set-up is beside the point.
                let broke = setUp.first { $0.invariant != nil }?.step ?? .max
                counterexample.events = setUp.filter { $0.step <= broke }
            }
            if counterexample.violations.isEmpty, bounds.progress {
                // No invariant broke on the way: the path ends where progress fails. Let the faults stop.
                counterexample.continuation = ProgressContinuation.needed(from: end).lazy.compactMap { $0.replay(from: end) }.first
                counterexample.events += counterexample.continuation?.events ?? []
            }
            report.counterexample = counterexample
        }
        return report
    }

    /// Replays `actions` from `start` with the trace on: the events, labels and violations of the path.
    package static func replay(_ actions: [CheckerAction], from start: Simulation) -> Counterexample {
        replayed(actions, from: start).counterexample
    }

    private static func replayed(_ actions: [CheckerAction], from start: Simulation) -> (counterexample: Counterexample, end: Simulation) {
        var simulation = start
        var labels: [String] = []
        var events: [TraceEvent] = []
        for action in actions {
            switch action {
            case .deliver(let id), .drop(let id), .duplicate(let id):
                labels.append(simulation.inFlight(id)?.label ?? "")
            case .timeout(let id):
                labels.append("\(id)'s election timer fires")
            default:
                labels.append("")
            }
            events += (try? action.perform(on: &simulation)) ?? []
        }
        return (Counterexample(actions: actions, labels: labels, events: events, violations: simulation.violations), simulation)
    }
}
