import Foundation
@testable import PaxosCore
@testable import PaxosSimulation
import PaxosPlayground

/// A failed fault run as a script of the playground's command language, so that
/// `paxos-playground run --seed S FILE` replays it step by step (the same seed gives the same message ids).
enum FaultScript {
    /// The script's lines: the set-up, every action, and the checks that failed.
    static func lines(_ run: FaultRun, world: World) -> [String] {
        let config = world.sim.config
        var lines = [
            "# fault run seed \(run.seed): \(run.election) election, \(run.commit) commit, \(run.actions) fault actions",
            "# replay: paxos-playground run --seed \(run.seed) THIS-FILE",
        ]
        let commands: [Command] = [
            .set(.batch(config.batchSize)),
            .set(.window(config.window)),
            .election(run.election),
            .commit(run.commit),
            .cluster(replicas: config.replicaCount, leader: world.startingLeader),
        ]
        lines += (commands + world.actions.map(Command.init) + [.expect(.invariants), .expect(.converged)]).map(ScriptPrinter.line)
        return lines
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
