import PaxosCore
import PaxosSimulation

/// Renders a trace as a Mermaid sequence diagram (`export mermaid FILE`).
///
/// One participant per replica, plus `client` on the left. Each event of the
/// trace becomes, in trace order:
/// - a message sent: an arrow from sender to receiver at the step that sent it, labelled with the step,
///   the phase tag (`§2(3) vote`), the message id and the payload. The arrow shows the message's fate,
///   which the rest of the trace tells: `->>` delivered, `-x` lost (dropped, or lost to a partition, a
///   cut or a crashed receiver), `-)` still in flight at the end. A duplicate's copy is drawn dotted
///   (`-->>`, `--x`, `--)`). A broadcast (one send to each peer) is one arrow per receiver.
/// - the annotation of a send (its rule): a `Note over` the sender and the receivers, once per broadcast.
/// - a delivery that sent nothing, a local event (apply, cleanup, timeout, elected, recovery) and a
///   fault (crash, restart, drop, partition, cut, heal): a `Note over` the replicas concerned.
/// - an invariant violation: a note inside a red `rect`.
///
/// Mermaid ends a message at `;` and starts a comment at `#` or `%%`, so labels write those characters
/// (and `&`, `<`, `>`) as look-alikes (`#12` as `№12`: see ``escape(_:)``); `<br/>` is the only markup,
/// a line break inside a note.
package struct MermaidRenderer: Sendable {
    /// Mermaid refuses a diagram longer than this many characters unless configured otherwise
    /// (`maxTextSize`); `export mermaid` says so when a run exceeds it.
    package static let defaultMaxTextSize = 50_000

    /// The replicas, `n1`…`nN`.
    package let replicas: [ReplicaID]

    package init(replicaCount: Int) {
        replicas = (1...max(1, replicaCount)).map(ReplicaID.init)
    }

    /// The participants, left to right.
    package var participants: [String] {
        ["client"] + replicas.map(\.description)
    }

    /// The diagram, one statement a line, ending with a newline. The leader's proposal to itself and its
    /// own vote are left out (``TraceEvent/isLeadersOwnMessage``).
    package func render(_ events: [TraceEvent]) -> String {
        let trace = events.filter { !$0.isLeadersOwnMessage }
        let fates = Self.fates(of: trace)
        var lines = ["sequenceDiagram"]
        lines += participants.map { "    participant \($0)" }
        var index = 0
        while index < trace.count {
            let group = Self.group(at: index, in: trace)
            lines += statements(for: group, fates: fates)
            index += group.count
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Statements

    /// What became of each message the trace sent.
    enum Fate { case delivered, lost, inFlight }

    private func statements(for group: [TraceEvent], fates: [Int: Fate]) -> [String] {
        guard let event = group.first else { return [] }
        if let violation = event.violation { return violationStatements(event, violation) }
        guard event.sentID != nil, event.from != event.to else {
            return ["    " + note(over: noteSpan(event), noteLines(event))]
        }
        var lines: [String] = []
        for send in group {
            guard let id = send.sentID else { continue }
            let copy = send.kind == .duplicate
            let fate = fates[id] ?? .inFlight
            let arrow = switch fate {
            case .delivered: copy ? "-->>" : "->>"
            case .lost: copy ? "--x" : "-x"
            case .inFlight: copy ? "--)" : "-)"
            }
            var label = "[\(send.step)] \(tag(send)) #\(id)"
            if !copy { label += " " + send.payload.rendered }
            if fate == .inFlight { label += " (in flight)" }
            lines.append("    \(send.from)\(arrow)\(send.to): \(Self.escape(label))")
        }
        lines.append("    " + note(over: span([event.from] + group.map(\.to), or: event.from), [event.note]))
        return lines
    }

    /// A violation: a red box with a note over the replicas involved.
    private func violationStatements(_ event: TraceEvent, _ violation: Violation) -> [String] {
        let over = span(violation.replicas.map(Endpoint.replica), or: event.from)
        let lines = ["[\(event.step)] ⚠ invariant \(violation.invariant) violated", event.note]
        return ["    rect rgb(255, 221, 221)", "    " + note(over: over, lines), "    end"]
    }

    /// The phase tag: `§2(3) vote`, `fault drop`, …
    private func tag(_ event: TraceEvent) -> String {
        event.phase == .fault ? "fault \(event.kind)" : "\(event.phase.section) \(event.phase.rawValue)"
    }

    /// A note for an event that is not an arrow: the step, the tag and the payload, then the annotation.
    private func noteLines(_ event: TraceEvent) -> [String] {
        var head = "[\(event.step)] "
        switch (event.phase, event.kind) {
        case (.fault, .drop):
            head += "✗ lost"
            if case .object(let fields) = event.payload, let id = fields.first(where: { $0.0 == "id" })?.1 {
                head += " #\(id.rendered)"
            }
        case (.fault, .crash): head += "✗ crash"
        case (.fault, .restart): head += "↻ restart"
        case (.fault, .partition), (.fault, .cut): head += "fault \(event.kind) \(event.payload.rendered)"
        case (.fault, _): head += "fault \(event.kind)"
        default:
            head += tag(event)
            if let cause = event.cause {
                head += event.from != event.to ? " #\(cause) delivered to \(event.to)" : " (on #\(cause))"
            }
            let payload = event.payload.rendered
            if payload != "{}" { head += " " + payload }
        }
        return [head, event.note]
    }

    /// Who a note spans: the receiver of a delivery, the replica of a local event, both ends of a lost
    /// message or a cut, every replica for a partition or heal.
    private func noteSpan(_ event: TraceEvent) -> [String] {
        switch event.kind {
        case .partition, .heal:
            return span(replicas.map(Endpoint.replica), or: .replica(ReplicaID(1)))
        case .drop, .cut, .duplicate:
            return span([event.from, event.to], or: event.from)
        default:
            return [event.to.description]
        }
    }

    /// The leftmost and rightmost of `endpoints`, or `fallback` alone.
    private func span(_ endpoints: [Endpoint], or fallback: Endpoint) -> [String] {
        let order = participants
        let positions = endpoints.compactMap { order.firstIndex(of: $0.description) }.sorted()
        guard let low = positions.first, let high = positions.last else { return [fallback.description] }
        return low == high ? [order[low]] : [order[low], order[high]]
    }

    /// `Note over A[,B]: line<br/>line`, each line escaped.
    private func note(over actors: [String], _ lines: [String]) -> String {
        "Note over \(actors.joined(separator: ",")): " + lines.map { Self.escape($0) }.joined(separator: "<br/>")
    }

    // MARK: - Reading the trace

    /// Consecutive sends of one broadcast (same step, kind, sender, payload and note), or one event.
    static func group(at index: Int, in trace: [TraceEvent]) -> [TraceEvent] {
        let first = trace[index]
        var group = [first]
        guard first.sentID != nil, first.from != first.to else { return group }
        while index + group.count < trace.count {
            let next = trace[index + group.count]
            guard next.sentID != nil, next.from != next.to, next.step == first.step, next.kind == first.kind,
                  next.from == first.from, next.payload == first.payload, next.note == first.note else { break }
            group.append(next)
        }
        return group
    }

    /// The fate of every message sent in `trace`: lost when a drop names it, delivered when an event
    /// was caused by it, else still in flight.
    static func fates(of trace: [TraceEvent]) -> [Int: Fate] {
        var fates: [Int: Fate] = [:]
        for event in trace {
            if let id = event.sentID, fates[id] == nil { fates[id] = .inFlight }
            if event.phase == .fault, event.kind == .drop {
                if case .object(let fields) = event.payload, case .int(let id)? = fields.first(where: { $0.0 == "id" })?.1 {
                    fates[id] = .lost
                }
            } else if let cause = event.cause, fates[cause] == .inFlight {
                fates[cause] = .delivered
            }
        }
        return fates
    }

    // MARK: - Escaping

    /// Keeps a label clear of what Mermaid's sequence grammar reads as syntax, by a safe transform.
    ///
    /// `;` ends a statement, `#` starts a comment and so does `%%`, so a label cannot hold them.
    /// Mermaid's documented escape, entity codes (`#59;`), is not decoded in sequence-diagram text by
    /// Mermaid 11 (checked with 11.16.0 in Chromium: `#quot;` shows as `ﬂ°quot¶ß`), and `&`, `<`, `>`
    /// show as `&amp;`, `&lt;`, `&gt;`. So: `#` becomes `№` (message ids read `№12`), `;` becomes a
    /// dash (`survive; its` → `survive — its`), `%%` gets a zero-width space between its signs, `<` and
    /// `>` become `‹` and `›`, `&` becomes `＆`. These render in the common fonts (DejaVu, Arial), as
    /// `Scripts/check-mermaid.sh` shows. Double quotes are plain text in a sequence diagram's messages
    /// and notes and stay, so payloads read as the JSON they are. A line break becomes a space; `<br/>`
    /// (which notes use between their lines) is added after escaping.
    ///
    /// Byte by byte (an export escapes thousands of labels): each character escaped is one ASCII byte. A
    /// byte stands for a character of its own when its neighbours are ASCII too, and it is not half of a
    /// CR LF; where a special byte has a non-ASCII neighbour (a combining mark, say, would make one
    /// character of the two), the text is escaped character by character, as Swift splits it.
    static func escape(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: isSpecial) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        let (cr, lf) = (UInt8(ascii: "\r"), UInt8(ascii: "\n"))
        for k in bytes.indices {
            let byte = bytes[k]
            guard isSpecial(byte) else {
                out.append(byte)
                continue
            }
            let before = k > 0 ? bytes[k - 1] : 0
            let after = k + 1 < bytes.count ? bytes[k + 1] : 0
            if before >= 0x80 || after >= 0x80 || (byte == cr && after == lf) || (byte == lf && before == cr) {
                return escapeByCharacter(text)
            }
            switch byte {
            case UInt8(ascii: "#"): out += "№".utf8
            case UInt8(ascii: ";"): out += " —".utf8
            case UInt8(ascii: "%"): out += (out.last == UInt8(ascii: "%") ? "\u{200B}%" : "%").utf8
            case UInt8(ascii: "&"): out += "＆".utf8
            case UInt8(ascii: "<"): out += "‹".utf8
            case UInt8(ascii: ">"): out += "›".utf8
            default: out.append(UInt8(ascii: " "))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of the characters ``escape(_:)`` replaces.
    private static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "#"), UInt8(ascii: ";"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): true
        default: false
        }
    }

    /// ``escape(_:)`` a character at a time.
    static func escapeByCharacter(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "#": out += "№"
            case ";": out += " —"
            case "%": out += out.last == "%" ? "\u{200B}%" : "%"
            case "&": out += "＆"
            case "<": out += "‹"
            case ">": out += "›"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
