import PaxosChecker
import PaxosCore
import PaxosSimulation

/// One parsed command of the playground's language (REPL, scripts, tests). See `Help.swift` for each.
package enum Command: Hashable, Sendable {
    case cluster(replicas: Int, leader: ReplicaID?)
    case election(String)
    case commit(String)
    case policies
    case priority(ReplicaID, Int)
    case set(Setting)
    case submit([RedoRecord])
    case pending
    case step(Int)
    case deliver(Int)
    case drop(Int)
    case duplicate(Int)
    case apply(ReplicaID)
    case tick(Int)
    case timeout(ReplicaID)
    case run(RunCondition)
    case crash(ReplicaID)
    case restart(ReplicaID)
    case partition([[ReplicaID]])
    case heal
    case cut(ReplicaID, ReplicaID)
    case uncut(ReplicaID, ReplicaID)
    case show
    case log(ReplicaID)
    case data(ReplicaID)
    case slots
    case explore(Int)
    /// `check [BUDGET N ...]`: the model check of `paxos-playground check`, for this session's cluster,
    /// policies, settings and protocol breaks.
    case check(CheckBudgets)
    /// `set break` / `set break list`: the named protocol bugs, which are on.
    case breaks
    case quiz(Bool)
    case compare(String, String)
    case undo(Int)
    case history
    case explain
    case expect(Expectation)
    /// `view full|compact|phases P,P`: how events print.
    case view(FlowView)
    /// `lanes [N]`: the last N events as a space-time diagram.
    case lanes(Int)
    case export(ExportFormat, String)
    case help(String?)
    /// `web [on [PORT] | off]`: the live page (Docs/REPL.md, "The live page"), which only the interactive
    /// REPL serves (``Session/web``).
    case web(WebSwitch)
    case quit
}

/// What `web` asks: where the live page stands, to serve it (on a port, or the one `--web` chose, or any
/// free one), or to stop serving it.
package enum WebSwitch: Hashable, Sendable {
    case status
    case on(port: Int?)
    case off
}

package enum Setting: Hashable, Sendable {
    case batch(Int), window(Int), heartbeat(Int), timeout(Int), recovery(Bool)
    /// `set break NAME`: one more deliberate protocol bug on; `set break off`: every one off.
    case breakOn(ProtocolBreak), breaksOff
}

/// What the world may do in the runs the REPL's `check` explores: a preset and budgets given by name, as
/// `paxos-playground check` takes them (`check classroom drops 2`). With neither, `check` runs
/// ``CheckPreset/standard``; with budgets and no preset, the budgets not given are ``CheckPreset/base``'s.
package struct CheckBudgets: Hashable, Sendable {
    package var preset: CheckPreset?
    /// The budgets given by name (one of ``names``), each overriding the preset's.
    package private(set) var given: [String: Int] = [:]
    /// `suspicion any|leader-down`, overriding the preset's.
    package var suspicion: CheckerConfiguration.Suspicion?

    package init(preset: CheckPreset? = nil) { self.preset = preset }

    /// The budget names `check` takes with a number, in the order it prints them. `ticks` and `timeouts` are
    /// two ways time passes: the one given last counts. `window` is the session's `set window` for this
    /// search.
    package static let names = ["committed", "transactions", "elections", "ticks", "timeouts", "drops", "duplicates", "crashes", "restarts", "window"]
    /// The one `check` takes with a word: ``CheckerConfiguration/Suspicion``'s values.
    package static let suspicionName = "suspicion"

    /// The range of budget `name` (one of ``names``): 0 to ``CheckerConfiguration/committedFirstMax``
    /// transactions committed first, 0 to ``Limits/checkTransactionsMax`` transactions, 0 to
    /// ``Limits/checkBudgetMax`` of every other. `paxos-playground check` takes each as `--NAME` within the
    /// same bound, so that whatever either accepts, its counterexample script replays.
    package static func bound(_ name: String) -> Limits.Bound {
        if name == "committed" {
            return Limits.Bound(0, CheckerConfiguration.committedFirstMax, "transaction committed first", "transactions committed first")
        }
        if name == "window" { return .window }
        let one = name == "crashes" ? "crash" : String(name.dropLast())
        return Limits.Bound(0, name == "transactions" ? Limits.checkTransactionsMax : Limits.checkBudgetMax, one, name)
    }

    /// The budget given by `name`, if it was.
    package subscript(name: String) -> Int? {
        get { given[name] }
        set {
            guard Self.names.contains(name) else { return }
            given[name] = newValue
            // Time passes one way: ticks or timeouts, whichever was given last.
            if newValue != nil, name == "ticks" { given["timeouts"] = nil }
            if newValue != nil, name == "timeouts" { given["ticks"] = nil }
        }
    }

    /// Sets the budgets of `configuration`: the preset's (or the standard or base one's), then those given.
    package func apply(to configuration: inout CheckerConfiguration) {
        (preset ?? (given.isEmpty ? CheckPreset.standard : CheckPreset.base)).apply(to: &configuration)
        if let n = given["committed"] { configuration.committedFirst = n }
        if let n = given["transactions"] { configuration.transactions = n }
        if let n = given["elections"] { configuration.elections = n }
        if let n = given["ticks"] { configuration.time = .ticks(n) }
        if let n = given["timeouts"] { configuration.time = .timeouts(n) }
        if let n = given["drops"] { configuration.drops = n }
        if let n = given["duplicates"] { configuration.duplicates = n }
        if let n = given["crashes"] { configuration.crashes = n }
        if let n = given["restarts"] { configuration.restarts = n }
        if let n = given["window"] { configuration.window = n }
        // Global ticks advance every timer alike: a preset's leader-down suspicion gives way to them.
        if given["ticks"] != nil { configuration.suspicion = .any }
        if let suspicion { configuration.suspicion = suspicion }
    }

    /// The command's words after `check`, in the order ``names`` gives: ` classroom drops 2`.
    package var words: String {
        (preset.map { " \($0.rawValue)" } ?? "") + Self.names.compactMap { name in given[name].map { " \(name) \($0)" } }.joined()
            + (suspicion.map { " \(Self.suspicionName) \($0.rawValue)" } ?? "")
    }
}

package enum RunCondition: Hashable, Sendable {
    case quiet
    case leader
    case committed(Int)
    case applied(ReplicaID, Int)
    /// The progress property of Docs/Protocol.md: one ready leader followed by every live replica, and every
    /// live replica applied every committed entry (see ``Simulation/divergence()``).
    case converged
    /// `run for T`: time passes as in a real cluster, T ticks with every due item delivered before each
    /// tick and after the last (the progress property's "once the faults stop").
    case ticks(Int)
}

package enum Expectation: Hashable, Sendable {
    case leader(ReplicaID)
    case committed(Int)
    case applied(ReplicaID, Int)
    case data(ReplicaID, key: String, value: String)
    case invariants
    /// The cluster is converged now (Docs/Protocol.md, "Progress (liveness)").
    case converged
}

/// How events print (`view`): the annotated flow, one short line each, or the flow of the named phases only.
package enum FlowView: Hashable, Sendable {
    case full
    case compact
    /// Only these phases, in the order of ``Phase/allCases``.
    case phases([Phase])
}

package enum ExportFormat: String, Hashable, Sendable, CaseIterable {
    case mermaid, html, jsonl
}

/// A command line that cannot be parsed: says what was wrong and what would be right.
package struct CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
