import PaxosSimulation

extension Session {
    /// The trace as JSON Lines (REPL.md's trace section): one event a line.
    public var traceJSONLines: String {
        var out: [UInt8] = []
        for event in trace {
            event.json.write(to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
