import Foundation
import PaxosChecker
import PaxosCore
import PaxosSimulation

extension Session {
    /// The budgets `explore K` searches within: what may go wrong in the next K steps.
    static var exploreBounds: CheckerConfiguration {
        var bounds = CheckerConfiguration()
        bounds.transactions = 0
        bounds.elections = 2
        bounds.drops = 1
        bounds.duplicates = 1
        bounds.crashes = 1
        bounds.restarts = 1
        bounds.time = .ticks(2)
        return bounds
    }

    /// The first words of a script `explore` writes: a file that starts so may be replaced by the next one.
    static let exploreScriptMarker = "# Found by explore"
    /// The first words of a counterexample script `check` writes (``ModelChecker/scriptHeader(for:)``).
    package static let checkScriptMarker = "# Counterexample found by paxos-playground check"

    /// `explore K`: every way the next K events could go from here, with the model checker; a violation
    /// comes back as its shortest path, printed as a flow and written as a replayable script.
    func explore(depth: Int) throws {
        let config = simulation.config
        var bounds = withSessionSettings(Self.exploreBounds)
        bounds.heartbeatIntervalTicks = config.heartbeatIntervalTicks
        bounds.electionTimeoutTicks = config.electionTimeoutTicks
        // Enough ticks for any replica's election timer to fire within the K steps.
        let ticks = min(depth, config.electionTimeoutTicks + config.replicaCount)
        bounds.time = .ticks(ticks)
        let leader = simulation.leader.map { "\($0) leads \(simulation.replica($0).leaderBallot ?? .zero)" } ?? "no leader"
        bounds.startingState = "from step \(simulation.step) (\(leader))"
        say("explore \(depth): every order of the in-flight messages, with up to 1 drop, 1 duplicate, 1 crash, 1 restart, \(counted(ticks, "tick")) and 2 elections")
        let report = ModelChecker.explore(from: simulation, depth: depth, bounds: bounds, progress: searchProgress("explore \(depth)"))
        if let counterexample = report.counterexample {
            // Under --quiet, as for check: the report and the script, not the flow.
            if !options.quiet {
                say("shortest path to the violation (\(counted(counterexample.actions.count, "step")) from here):")
                for line in pathLines(counterexample.events) { say(line) }
            }
            let script = journalScriptLines() + counterexample.actionLines + [ScriptPrinter.line(.expect(.invariants))]
            let seed = options.seed
            writeScript(to: exploreScriptPath, marker: Self.exploreScriptMarker, what: "the path as a script", text: { path in
                let header = ["\(Self.exploreScriptMarker) \(depth) in a paxos-playground session: this session's commands, then the path.",
                              "# Replay: \(Self.replayCommand(path, seed: seed)) (the closing expect fails: that is the violation)."]
                return (header + script).joined(separator: "\n").appending("\n")
            }, then: { " (replay: \(Self.replayCommand($0, seed: seed)))" })
        }
        for line in report.lines(timed: false) { say(line) }
        searchStopped(report, goOn: "explore fewer steps ahead (each one multiplies the states), or search the cluster from its start with paxos-playground check --max-states N --max-seconds S")
    }

    /// A counterexample's path as the view shows it; under `view phases`, a last line says how many of its
    /// events the view leaves out (a progress counterexample has no violation event of its own to show).
    func pathLines(_ events: [TraceEvent]) -> [String] {
        let lines = viewed(events)
        guard case .phases(let phases) = view else { return lines }
        let hidden = events.count { !phases.contains($0.phase) && $0.phase != .invariant }
        guard hidden > 0 else { return lines }
        return lines + ["(\(counted(hidden, "event")) of the path \(hidden == 1 ? "is" : "are") in other phases: view full shows \(hidden == 1 ? "it" : "them"))"]
    }

    /// `bounds` with this session's policies, seed and settings (timers aside): what `explore` and `check`
    /// search under, within the REPL's budgets (``Limits/searchStatesMax``, ``Limits/searchSecondsMax``),
    /// and stopped by Ctrl-C.
    func withSessionSettings(_ bounds: CheckerConfiguration) -> CheckerConfiguration {
        let config = simulation.config
        var bounds = bounds
        bounds.registry = registry
        bounds.seed = options.seed
        bounds.election = electionName
        bounds.commit = commitName
        bounds.recovery = config.recovery
        bounds.breaks = config.breaks
        bounds.priorities = config.priorities
        bounds.batchSize = config.batchSize
        bounds.window = config.window
        bounds.stateLimit = searchStatesMax
        bounds.timeLimitSeconds = Double(Limits.searchSecondsMax)
        bounds.interrupted = interrupted
        return bounds
    }

    /// The search's progress line, for ``Session/progress``: `explore 12 · 1,204 states · …`.
    func searchProgress(_ command: String) -> (@Sendable (CheckProgress) -> Void)? {
        guard let draw = progress else { return nil }
        return { @Sendable progress in draw("\(command) · Ctrl-C stops · \(progress.line)") }
    }

    /// After a search that a limit or Ctrl-C stopped: how to go on.
    func searchStopped(_ report: CheckReport, goOn: String) {
        guard case .incomplete(let reason) = report.verdict else { return }
        if reason == CheckReport.interruptedReason { wasInterrupted = true }
        say("the search stopped before its end: \(goOn)")
    }

    /// `check`: the model check of `paxos-playground check` with `budgets`, from the start of a cluster like
    /// this session's (its size, the leader its `cluster` named, its policies, priorities, batch, window,
    /// recovery and protocol breaks; the checker's own timers). A counterexample is printed as a flow and
    /// written as a script whose set-up lines (`set break NAME` among them) replay it.
    func modelCheck(_ budgets: CheckBudgets) throws {
        var bounds = withSessionSettings(CheckerConfiguration())
        bounds.replicas = simulation.config.replicaCount
        if case .start(let setup) = journal.first { bounds.initialLeader = setup.leader }
        budgets.apply(to: &bounds)
        let checker: ModelChecker
        do {
            checker = try ModelChecker(bounds)
        } catch {
            throw CommandError(error.description)
        }
        say("checking: \(bounds.summary)")
        let report = checker.run(progress: searchProgress("check"))
        if let counterexample = report.counterexample {
            if !options.quiet {
                say(counterexample.flowHeading)
                for line in pathLines(counterexample.events) { say(line) }
            }
            writeScript(to: checkScriptPath, marker: Self.checkScriptMarker, what: "the counterexample as a script",
                        text: { _ in checker.script(for: counterexample) },
                        then: { " (replay: \(Self.replayCommand($0, seed: bounds.seed)))" })
        }
        for line in report.lines(timed: false) { say(line) }
        searchStopped(report, goOn: "lower the budgets, or run paxos-playground check with --max-states N --max-seconds S")
    }

    /// The command that replays a script `check` or `explore` wrote to `path`: `paxos-playground run FILE`, with
    /// `--seed N` when the seed is not the default one, since a script cannot set it (the `randomized` policy
    /// draws from it). Everything else the run needs (policies, cluster, settings, breaks) is in the script. A
    /// path a shell would split or expand is quoted.
    package static func replayCommand(_ path: String, seed: UInt64) -> String {
        "paxos-playground run " + (seed == 1 ? "" : "--seed \(seed) ") + shellWord(InputText.escaped(path))
    }

    /// `word` as one shell word: as it is when it holds only characters no shell treats specially, else in
    /// single quotes.
    static func shellWord(_ word: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/+,:=@%")
        if !word.isEmpty, word.allSatisfy({ plain.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The session's journal as script lines: running them from a fresh start rebuilds this world.
    func journalScriptLines() -> [String] {
        var lines: [String] = []
        for entry in journal {
            switch entry {
            case .start(let setup): lines += ScriptPrinter.lines(for: setup)
            case .setup(let command): lines.append(ScriptPrinter.line(command))
            case .action(let action): lines.append(ScriptPrinter.line(Command(action)))
            }
        }
        return lines
    }
}
