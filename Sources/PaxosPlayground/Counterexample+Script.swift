import PaxosChecker
import PaxosCore
import PaxosSimulation

// The model checker's findings as `.pxs` scripts: the checker returns them typed, ``ScriptPrinter`` writes
// their lines, and these put the lines together with the comments that say what they are.

extension Counterexample {
    /// The steps as script lines, each with a comment saying what it does.
    package var actionLines: [String] {
        zip(actions, labels).map { ScriptPrinter.line(ScriptPrinter.line(Command($0)), comment: $1) }
    }

    /// A script: `setup` lines, the steps, then `expect invariants` (which fails: that is the point), or,
    /// for a progress failure, the continuation that does not recover.
    package func script(setup: [String], header: [String] = []) -> String {
        var lines = header.map { "# \($0)" }
        lines += setup
        lines += actionLines
        if let continuation {
            lines.append("# the faults stop: time passes with every due message delivered")
            lines += ScriptPrinter.commands(for: continuation).map(ScriptPrinter.line)
        } else {
            lines.append(ScriptPrinter.line(.expect(.invariants)))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ModelChecker {
    /// The counterexample as a `.pxs` script that `paxos-playground run` replays to the same violation: the
    /// checker's header, the set-up, the steps.
    package func script(for counterexample: Counterexample) -> String {
        counterexample.script(setup: setupLines, header: scriptHeader(for: counterexample))
    }

    /// The set-up, then each transaction committed first: `submit x=k` and `run`, as the search's start has them.
    package var setupLines: [String] {
        var lines = ScriptPrinter.lines(for: setup)
        for action in CheckerConfiguration.committedFirstActions(configuration.committedFirst) {
            lines += [ScriptPrinter.line(Command(action)), ScriptPrinter.line(.run(.quiet))]
        }
        return lines
    }
}
