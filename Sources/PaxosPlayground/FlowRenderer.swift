import PaxosCore
import PaxosSimulation

/// Renders trace events as annotated message flows: one line per event (step, tick, phase tag with its
/// section, sender → receiver, payload), and under it the rule that was applied.
package struct FlowRenderer: Sendable {
    package let color: Bool
    /// The columns flow lines are wrapped to (`--width`, `COLUMNS`, the terminal's); nil wraps nothing.
    package let width: Int?

    package init(color: Bool, width: Int? = nil) {
        self.color = color
        self.width = width
    }

    /// The lines for `events`; a broadcast (same step, kind, sender, payload and note) is one line. The
    /// leader's proposal to itself and its own vote are left out (``TraceEvent/isLeadersOwnMessage``).
    /// Outcomes of one delivery (a candidate that stands aside on a commit it cannot apply yet; two commits
    /// learned at once, each queuing its apply) share its line, which names every item they put in flight,
    /// with a rule under it for each.
    package func render(_ trace: [TraceEvent]) -> [String] {
        var lines: [String] = []
        var groups = Self.groups(trace)[...]
        while let group = groups.popFirst() {
            guard let event = group.first, event.isDeliveryOutcome, let cause = event.cause else {
                lines += renderGroup(group)
                continue
            }
            var outcomes = group
            while let next = groups.first?.first, next.isDeliveryOutcome, next.step == event.step, next.cause == cause {
                outcomes += groups.popFirst() ?? []
            }
            lines += renderGroup([event], ids: outcomes.compactMap(\.messageID))
            lines += outcomes.dropFirst().flatMap(noteLines)
        }
        return lines
    }

    /// The events of `trace` as the flow shows them: broadcasts (same step, kind, sender, payload and note)
    /// grouped, the leader's own proposal and vote left out.
    package static func groups(_ trace: [TraceEvent]) -> [[TraceEvent]] {
        let events = trace.filter { !$0.isLeadersOwnMessage }
        var groups: [[TraceEvent]] = []
        var index = 0
        while index < events.count {
            let first = events[index]
            var group = [first]
            while index + group.count < events.count {
                let next = events[index + group.count]
                guard next.sentID != nil, first.sentID != nil, next.step == first.step, next.kind == first.kind,
                      next.from == first.from, next.payload == first.payload, next.note == first.note else { break }
                group.append(next)
            }
            groups.append(group)
            index += group.count
        }
        return groups
    }

    /// `line` wrapped to ``width`` under a hanging indent of `indent`, each piece painted.
    func fitted(_ line: String, indent: Int, _ paint: (String) -> String) -> [String] {
        TextWrap.wrap(line, width: width, indent: indent).map(paint)
    }

    /// The line of `group` (a broadcast, or one event), naming `ids` (by default the group's own) as put in
    /// flight, and its rule.
    private func renderGroup(_ group: [TraceEvent], ids: [Int]? = nil) -> [String] {
        guard let event = group.first else { return [] }
        let receivers = group.map(\.to.description).joined(separator: ", ")
        let route = event.from == event.to ? event.from.description : "\(event.from) → \(receivers)"
        var marks = ""
        let ids = ids ?? group.compactMap(\.messageID)
        if !ids.isEmpty { marks = "  → " + ids.map { "#\($0)" }.joined(separator: " ") }
        if let cause = event.cause { marks += event.isDeliveryOutcome ? "  (#\(cause) delivered)" : "  (on #\(cause))" }
        let (tag, name) = switch event.phase {
        case .fault: ("fault", event.kind.rawValue)
        case .invariant: ("!!", "VIOLATION")
        default: (event.phase.section, event.phase.rawValue)
        }
        let head = "\(String(event.step).leftPadded(4)) t\(String(event.tick).rightPadded(3)) \(tag.rightPadded(6)) \(name.rightPadded(11))"
        let payload = event.payload.rendered
        var line = "\(head) \(route.rightPadded(14)) \(payload == "{}" ? "" : payload)\(marks)"
        while line.last == " " { line.removeLast() }
        return fitted(line, indent: 10) { paint($0, event.phase) } + noteLines(event)
    }

    private func noteLines(_ event: TraceEvent) -> [String] {
        fitted("      ↳ \(event.note)", indent: 8) { paint($0, .dim) }
    }

    // MARK: - Colour

    enum Style { case dim, bold, red, green }

    func paint(_ text: String, _ phase: Phase) -> String {
        guard color else { return text }
        return "\u{1B}[\(Self.code(phase))m\(text)\u{1B}[0m"
    }

    func paint(_ text: String, _ style: Style) -> String {
        guard color else { return text }
        let code = switch style {
        case .dim: "2"
        case .bold: "1"
        case .red: "1;31"
        case .green: "1;32"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    static func code(_ phase: Phase) -> String {
        switch phase {
        case .transaction: "36"
        case .propose: "34"
        case .vote: "35"
        case .commit: "32"
        case .apply: "92"
        case .ack: "33"
        case .cleanup: "90"
        case .heartbeat: "37"
        case .timeout: "91"
        case .election: "93"
        case .recovery: "96"
        case .fault: "31"
        case .invariant: "1;97;41"
        }
    }

    package func error(_ text: String) -> String {
        fitted(text, indent: 4) { paint($0, .red) }.joined(separator: "\n")
    }

    package func expectation(held: Bool, _ text: String) -> String {
        fitted("\(held ? "✓" : "✗") \(text)", indent: 2) { paint($0, held ? .green : .red) }.joined(separator: "\n")
    }
}
