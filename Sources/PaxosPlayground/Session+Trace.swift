import PaxosSimulation

extension Session {
    /// The trace as JSON Lines (REPL.md's trace section): one event a line.
    public var traceJSONLines: String {
        trace.map { $0.jsonLine + "\n" }.joined()
    }
}
