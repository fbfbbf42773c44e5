import Foundation
@testable import PaxosCore
@testable import PaxosSimulation

/// A failed fault run as a script of the playground's command language, so that
/// `paxos-playground run --seed S FILE` replays it step by step (the same seed gives the same message ids).
enum FaultScript {
    /// The script's lines: the set-up, every action, and the checks that failed.
    static func lines(_ run: FaultRun, world: World) -> [String] {
        let config = world.sim.config
        var lines = [
            "# fault run seed \(run.seed): \(run.election) election, \(run.commit) commit, \(run.actions) fault actions",
            "# replay: paxos-playground run --seed \(run.seed) THIS-FILE",
            "set batch \(config.batchSize)",
            "set window \(config.window)",
            "election \(run.election)",
            "commit \(run.commit)",
            "cluster \(config.replicaCount)\(world.startingLeader.map { " leader \($0)" } ?? "")",
        ]
        lines += world.actions.map(line)
        lines += ["expect invariants", "expect converged"]
        return lines
    }

    /// One action as the command that performs it.
    static func line(_ action: Action) -> String {
        switch action {
        case .deliver(let id): "deliver \(id)"
        case .drop(let id): "drop \(id)"
        case .duplicate(let id): "duplicate \(id)"
        case .tick: "tick"
        case .crash(let id): "crash \(id)"
        case .restart(let id): "restart \(id)"
        case .submit(let redo): "submit " + redo.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        case .partition(let groups): "partition " + groups.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | ")
        case .heal: "heal"
        case .cut(let from, let to): "cut \(from) \(to)"
        case .uncut(let from, let to): "uncut \(from) \(to)"
        case .timeout(let id): "timeout \(id)"
        }
    }

    /// Writes the script to the temporary directory and returns its path.
    static func write(_ run: FaultRun, world: World) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fault-seed-\(run.seed).pxs").path
        let text = lines(run, world: world).joined(separator: "\n") + "\n"
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            return "(could not write \(path): \(error))"
        }
        return path
    }
}
