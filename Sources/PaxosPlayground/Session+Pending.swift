import PaxosSimulation

// Commands of later issues, until they land: each says so clearly and changes nothing.
extension Session {
    func explore(depth: Int) throws {
        throw CommandError("explore is not built yet (issue 3/6)")
    }

    func compare(_ a: String, _ b: String) throws {
        throw CommandError("compare is not built yet (issue 4/6)")
    }

    func export(_ format: ExportFormat, to path: String) throws {
        throw CommandError("export is not built yet (issue 4/6)")
    }
}

struct Quiz {
    var isOn = false
    mutating func toggle(_ on: Bool) -> String { "quiz is not built yet (issue 4/6)" }
    func ask(before action: Action, in session: Session) throws {}
    func reveal(_ events: [TraceEvent], in session: Session) {}
    var score: String { "" }
}
