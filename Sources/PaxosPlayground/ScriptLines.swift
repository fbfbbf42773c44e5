import PaxosCore
import PaxosSimulation

// The script line that does a journaled step, so a session (or a path found from it) can be written out
// as a `.pxs` script that replays it.

extension Command {
    /// The line for the commands the journal keeps (policy and setting changes); nil for the others.
    var scriptLine: String? {
        switch self {
        case .election(let name): "election \(name)"
        case .commit(let name): "commit \(name)"
        case .priority(let id, let value): "priority \(id) \(value)"
        case .set(.batch(let n)): "set batch \(n)"
        case .set(.window(let n)): "set window \(n)"
        case .set(.heartbeat(let t)): "set heartbeat \(t)"
        case .set(.timeout(let t)): "set timeout \(t)"
        case .set(.recovery(let on)): "set recovery \(on ? "on" : "off")"
        case .set(.breakOn(let bug)): "set break \(bug.name)"
        case .set(.breaksOff): "set break off"
        default: nil
        }
    }
}

extension Action {
    /// The command that performs this action in a script (`deliver 12`, `partition n1 | n2 n3`).
    public var scriptLine: String {
        switch self {
        case .deliver(let id): "deliver \(id)"
        case .drop(let id): "drop \(id)"
        case .duplicate(let id): "duplicate \(id)"
        case .tick: "tick"
        case .crash(let id): "crash \(id)"
        case .restart(let id): "restart \(id)"
        case .submit(let redo): "submit \(redo.map(\.description).joined(separator: " "))"
        case .partition(let groups): "partition " + groups.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | ")
        case .heal: "heal"
        case .cut(let from, let to): "cut \(from) \(to)"
        case .uncut(let from, let to): "uncut \(from) \(to)"
        case .timeout(let id): "timeout \(id)"
        }
    }
}
