import PaxosSimulation

/// Runs a script: the same commands as the REPL, one a line. Stops at the first error.
public enum ScriptRunner {
    /// Exit codes of `paxos-playground run`.
    public enum Exit: Int32, Sendable {
        /// Every `expect` held.
        case passed = 0
        /// At least one `expect` failed.
        case expectFailed = 1
        /// A line could not be run.
        case scriptError = 2
        /// Ctrl-C stopped a command, and the script there (128 + SIGINT, as a shell reports it).
        case interrupted = 130
    }

    /// Runs `text` in `session`; errors are reported as `name:line: error: ...`.
    public static func run(_ text: String, name: String, in session: Session) -> Exit {
        defer { session.errorLocation = nil }
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            session.errorLocation = "\(name):\(offset + 1)"
            let outcome = session.execute(String(line))
            if case .error = outcome { return .scriptError }
            if outcome == .interrupted {
                session.write("\(name):\(offset + 1): interrupted by Ctrl-C: the script stops here")
                return .interrupted
            }
            if outcome == .quit { break }
        }
        return session.failedExpectations > 0 ? .expectFailed : .passed
    }
}
