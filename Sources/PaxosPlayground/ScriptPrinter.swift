import PaxosChecker
import PaxosCore
import PaxosSimulation

/// The one writer of the command language: turns a ``Command`` into the `.pxs` line that ``CommandParser``
/// reads back to the same command, and the typed values other layers hand over (a simulation ``Action``, a
/// checker step, a ``ClusterSetup``, a progress continuation) into those commands. No other code formats a
/// command line; `ScriptPrinterTests` parses every printed line back.
///
/// Why the printer lives here, in the playground layer, and the model checker returns typed values: the
/// command language is the playground's user interface, as the flows and the JSON Lines are, and the checker
/// is a search over the simulation that has no business knowing how a command is spelled. So `check` and
/// `explore` return their counterexample as data (a ``ClusterSetup`` to start from, ``CheckerAction`` steps,
/// a ``FailedContinuation``), the playground prints it (`ModelChecker.script(for:)`, in
/// `Counterexample+Script.swift`), and printer and parser sit side by side, where a change of syntax is one
/// edit and one test. Moving parser and printer into a module of their own, under the checker, was the other
/// way; it would put the interpreter's whole `Command` (with `explore`, `quiz`, `export`, `help`) below the
/// checker, so that the checker could write text it has no use for. (Docs/Architecture.md, "Scripts".)
package enum ScriptPrinter {
    /// The line for `command`; with default arguments left out as a user would (`tick`, `step`, `run`).
    package static func line(_ command: Command) -> String {
        switch command {
        case .cluster(let replicas, let leader): "cluster \(replicas)" + (leader.map { " leader \($0)" } ?? "")
        case .election(let name): "election \(name)"
        case .commit(let name): "commit \(name)"
        case .policies: "policies"
        case .priority(let id, let value): "priority \(id) \(value)"
        case .set(let setting): "set " + words(setting)
        case .submit(let records): "submit " + records.map(\.description).joined(separator: " ")
        case .pending: "pending"
        case .step(let count): "step" + optional(count)
        case .deliver(let id): "deliver \(id)"
        case .drop(let id): "drop \(id)"
        case .duplicate(let id): "duplicate \(id)"
        case .apply(let id): "apply \(id)"
        case .tick(let count): "tick" + optional(count)
        case .timeout(let id): "timeout \(id)"
        case .run(let condition): "run" + words(condition)
        case .crash(let id): "crash \(id)"
        case .restart(let id): "restart \(id)"
        case .partition(let groups): "partition " + partitionText(groups)
        case .heal: "heal"
        case .cut(let from, let to): "cut \(from) \(to)"
        case .uncut(let from, let to): "uncut \(from) \(to)"
        case .show: "show"
        case .log(let id): "log \(id)"
        case .data(let id): "data \(id)"
        case .slots: "slots"
        case .explore(let depth): "explore \(depth)"
        case .check(let budgets): "check" + budgets.words
        case .breaks: "set break"
        case .quiz(let on): "quiz \(onOff(on))"
        case .compare(let a, let b): "compare \(a) \(b)"
        case .undo(let count): "undo" + optional(count)
        case .history: "history"
        case .explain: "explain"
        case .expect(let expectation): "expect " + words(expectation)
        case .view(.full): "view full"
        case .view(.compact): "view compact"
        case .view(.phases(let phases)): "view phases " + phases.map(\.rawValue).joined(separator: ",")
        case .lanes(let count): "lanes \(count)"
        case .export(let format, let file): "export \(format.rawValue) \(file)"
        case .help(let name): "help" + (name.map { " \($0)" } ?? "")
        case .web(.status): "web"
        case .web(.on(let port)): "web on" + (port.map { " \($0)" } ?? "")
        case .web(.off): "web off"
        case .quit: "quit"
        }
    }

    /// The lines that start a cluster set up like `setup` (see ``commands(for:)-(ClusterSetup)``).
    package static func lines(for setup: ClusterSetup) -> [String] {
        commands(for: setup).map(line)
    }

    /// The commands that start a cluster like `setup` from a fresh session: the policies, `cluster N` (so
    /// that priorities belong to a cluster of this size, which the second `cluster N` keeps), the priorities
    /// and settings that differ from the defaults, then `cluster N [leader nK]`. `check`'s counterexamples
    /// and `explore`'s paths begin with them. Protocol breaks on are written as `set break NAME`.
    package static func commands(for setup: ClusterSetup) -> [Command] {
        let config = setup.config, replicas = setup.replicas
        var commands: [Command] = [.election(setup.election), .commit(setup.commit), .cluster(replicas: replicas, leader: nil)]
        let defaults = ClusterConfig(replicaCount: replicas)
        for (k, priority) in config.priorities.enumerated() where priority != defaults.priorities[k] {
            commands.append(.priority(ReplicaID(k + 1), priority))
        }
        if config.batchSize != defaults.batchSize { commands.append(.set(.batch(config.batchSize))) }
        if config.window != defaults.window { commands.append(.set(.window(config.window))) }
        if config.heartbeatIntervalTicks != defaults.heartbeatIntervalTicks {
            commands.append(.set(.heartbeat(config.heartbeatIntervalTicks)))
        }
        if config.electionTimeoutTicks != defaults.electionTimeoutTicks {
            commands.append(.set(.timeout(config.electionTimeoutTicks)))
        }
        if config.recovery != defaults.recovery { commands.append(.set(.recovery(config.recovery))) }
        for bug in config.breaks.members { commands.append(.set(.breakOn(bug))) }
        commands.append(.cluster(replicas: replicas, leader: setup.leader))
        return commands
    }

    /// The commands a failed progress continuation ran once the faults stopped, ending in the `expect`
    /// that fails: the timing, the end of the faults, `run for T`, and, when the transaction submitted then
    /// was not applied, that transaction and the replica that lacks it.
    package static func commands(for continuation: FailedContinuation) -> [Command] {
        var commands: [Command] = continuation.timing.map { change in
            switch change {
            case .heartbeat(let ticks): .set(.heartbeat(ticks))
            case .timeout(let ticks): .set(.timeout(ticks))
            }
        }
        commands += continuation.faultsStop.map(Command.init)
        commands.append(.run(.ticks(continuation.ticks)))
        if let record = continuation.transaction, case .transactionNotApplied(let missing) = continuation.failure {
            commands += [.submit([record]), .run(.quiet), .expect(.data(missing, key: record.key, value: record.value))]
        }
        commands.append(.expect(.converged))
        return commands
    }

    /// `line` with `comment` after it, the comments of consecutive lines aligned while the lines are short.
    package static func line(_ line: String, comment: String) -> String {
        comment.isEmpty ? line : line.padding(toLength: max(line.count, 16), withPad: " ", startingAt: 0) + "  # \(comment)"
    }

    // MARK: - Arguments

    private static func optional(_ count: Int) -> String {
        count == 1 ? "" : " \(count)"
    }

    private static func onOff(_ on: Bool) -> String {
        on ? "on" : "off"
    }

    private static func words(_ setting: Setting) -> String {
        switch setting {
        case .batch(let n): "batch \(n)"
        case .window(let n): "window \(n)"
        case .heartbeat(let t): "heartbeat \(t)"
        case .timeout(let t): "timeout \(t)"
        case .recovery(let on): "recovery \(onOff(on))"
        case .breakOn(let bug): "break \(bug.name)"
        case .breaksOff: "break off"
        }
    }

    private static func words(_ condition: RunCondition) -> String {
        switch condition {
        case .quiet: ""
        case .leader: " until leader"
        case .committed(let index): " until committed \(index)"
        case .applied(let id, let index): " until applied \(id) \(index)"
        case .converged: " until converged"
        case .ticks(let ticks): " for \(ticks)"
        }
    }

    private static func words(_ expectation: Expectation) -> String {
        switch expectation {
        case .leader(let id): "leader \(id)"
        case .committed(let index): "committed \(index)"
        case .applied(let id, let index): "applied \(id) \(index)"
        case .data(let id, let key, let value): "data \(id) \(key)=\(value)"
        case .invariants: "invariants"
        case .converged: "converged"
        }
    }
}

extension Command {
    /// The command that performs `action` as one step (`tick` is `tick 1`).
    package init(_ action: Action) {
        self = switch action {
        case .deliver(let id): .deliver(id)
        case .drop(let id): .drop(id)
        case .duplicate(let id): .duplicate(id)
        case .tick: .tick(1)
        case .crash(let id): .crash(id)
        case .restart(let id): .restart(id)
        case .submit(let records): .submit(records)
        case .partition(let groups): .partition(groups)
        case .heal: .heal
        case .cut(let from, let to): .cut(from, to)
        case .uncut(let from, let to): .uncut(from, to)
        case .timeout(let id): .timeout(id)
        }
    }

    /// The command that performs the checker's step.
    package init(_ step: CheckerAction) {
        self.init(step.simulationAction)
    }
}
