import PaxosSimulation

/// Runs a script: the same commands as the REPL, one a line. Stops at the first error.
public enum ScriptRunner {
    /// Exit codes of `paxos-playground run`.
    public enum Exit: Int32, Sendable {
        /// Every `expect` held.
        case passed = 0
        /// At least one `expect` failed.
        case expectFailed = 1
        /// A line could not be run, or the file could not be read.
        case scriptError = 2
        /// Ctrl-C stopped a command, and the script there (128 + SIGINT, as a shell reports it).
        case interrupted = 130
    }

    /// The name a script on standard input goes by in errors.
    public static let standardInputName = "<stdin>"

    /// Reads the script at `path` (`-`: standard input) through ``InputText`` and runs it in `session`. A file
    /// that cannot be read, or is not UTF-8 text, is reported as `FILE: error: ...`, and nothing of it runs
    /// (`read` is false).
    public static func run(file path: String, in session: Session) -> (exit: Exit, read: Bool) {
        guard let script = load(file: path, in: session) else { return (.scriptError, false) }
        return run(script, in: session)
    }

    /// A script read whole, ready to run: its name in errors and its lines.
    public struct Script: Sendable {
        public let name: String
        public let lines: [String]
    }

    /// Reads the script at `path` (`-`: standard input); nil, after `FILE: error: ...` in `session`, when it
    /// cannot be read or is not UTF-8 text. (The command line reads it before it catches Ctrl-C, so that
    /// Ctrl-C ends a read that waits, on a named pipe or a terminal.)
    public static func load(file path: String, in session: Session) -> Script? {
        let name = path == "-" ? standardInputName : path
        guard !path.isEmpty else {
            // An error line that starts with the file's name would start with nothing.
            _ = session.fail("an empty file name: name a .pxs script, or - for standard input")
            return nil
        }
        do {
            let bytes = path == "-" ? try InputText.standardInput() : try InputText.contents(ofFile: path)
            return Script(name: name, lines: try InputText.lines(bytes))
        } catch {
            report(error, name: name, in: session)
            return nil
        }
    }

    /// Runs a script read by ``load(file:in:)`` in `session`.
    public static func run(_ script: Script, in session: Session) -> (exit: Exit, read: Bool) {
        // A script with no command is not run (`read` is false): the one check, in ``run(lines:name:in:)``.
        guard hasCommand(script.lines) else { return (run(lines: script.lines, name: script.name, in: session), false) }
        return (runCommands(script.lines, name: script.name, in: session), true)
    }

    /// Runs `text`, read as a file holding it would be (``InputText/lines(_:)``); errors are reported as
    /// `name:line: error: ...`.
    public static func run(_ text: String, name: String, in session: Session) -> Exit {
        do {
            return run(lines: try InputText.lines(of: text), name: name, in: session)
        } catch {
            report(error, name: name, in: session)
            return .scriptError
        }
    }

    /// Runs `lines` in `session`, stopping at the first error; errors are reported as `name:line: error: ...`.
    /// A script with no command (empty, or only blank lines, comments and a byte-order mark) is a script
    /// error, `name: error: nothing to run: ...`: it proves nothing, so it does not pass.
    public static func run(lines: [String], name: String, in session: Session) -> Exit {
        guard hasCommand(lines) else {
            reportNothingToRun(name: name, in: session)
            return .scriptError
        }
        return runCommands(lines, name: name, in: session)
    }

    /// Runs `lines`, which hold a command, line by line (``run(lines:name:in:)`` without its check).
    private static func runCommands(_ lines: [String], name: String, in session: Session) -> Exit {
        defer { session.errorLocation = nil }
        for (offset, line) in lines.enumerated() {
            session.errorLocation = "\(name):\(offset + 1)"
            let outcome = session.execute(line)
            if case .error = outcome { return .scriptError }
            if outcome == .interrupted {
                session.write("\(name):\(offset + 1): interrupted by Ctrl-C: the script stops here")
                return .interrupted
            }
            if outcome == .quit { break }
        }
        return session.failedExpectations > 0 ? .expectFailed : .passed
    }

    /// The line of a script with no command to run.
    static let nothingToRun = "nothing to run: the script has no commands, only blank lines or comments; write one a line, such as cluster 3 leader n1"

    /// Whether a line of `lines` is a command: not blank, not a comment (a line that is not a valid command
    /// counts: running it reports it). It stops at the first, so a script pays for one line or two.
    static func hasCommand(_ lines: [String]) -> Bool {
        lines.contains { line in
            do {
                return try CommandParser.parse(line) != nil
            } catch {
                return true
            }
        }
    }

    static func reportNothingToRun(name: String, in session: Session) {
        session.errorLocation = name
        defer { session.errorLocation = nil }
        _ = session.fail(nothingToRun)
    }

    /// `FILE: error: ...`: what keeps a whole file from running.
    static func report(_ problem: InputText.Problem, name: String, in session: Session) {
        session.errorLocation = name
        defer { session.errorLocation = nil }
        _ = session.fail(problem.description)
    }
}
