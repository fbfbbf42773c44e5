import PaxosCore
import PaxosSimulation

/// One step of an explored run: a simulation ``Action``, or an election timer firing (abstract time).
///
/// A typed value: the playground's `ScriptPrinter` writes it as a script line (`deliver 12`, `timeout n2`).
package enum CheckerAction: Hashable, Sendable {
    case deliver(Int)
    case drop(Int)
    case duplicate(Int)
    case tick
    /// `nK`'s election timer fires now (``CheckerConfiguration/TimeModel/timeouts(_:)``).
    case timeout(ReplicaID)
    case crash(ReplicaID)
    case restart(ReplicaID)
    case submit([RedoRecord])

    /// The simulation action that does this step.
    package var simulationAction: Action {
        switch self {
        case .deliver(let id): .deliver(id)
        case .drop(let id): .drop(id)
        case .duplicate(let id): .duplicate(id)
        case .tick: .tick
        case .timeout(let id): .timeout(id)
        case .crash(let id): .crash(id)
        case .restart(let id): .restart(id)
        case .submit(let redo): .submit(redo)
        }
    }

    /// Does the step with its trace, as the REPL would.
    package func perform(on simulation: inout Simulation) throws(SimulationError) -> [TraceEvent] {
        try simulation.perform(simulationAction)
    }
}
