import PaxosCore
import PaxosSimulation

/// `lanes [N]`: the last N events as a space-time diagram in text. A column per replica and one for the
/// client, a row per event (time runs down): an arrow per message sent, labelled with its kind, from the
/// sender's column to the receiver's; `✗` where a message was lost; `●` a local event; `╳` a crash, `↺` a
/// restart, a `╌` row a partition, a heal or a cut. The column of a replica that is down is dotted. Right of
/// the columns, each row says its decisive value, as `view compact` does. Rendered from the typed facts.
package struct LanesRenderer: Sendable {
    package let replicas: Int
    /// Plain ASCII (`--ascii`, `NO_COLOR`): `-->`, `x`, `*`, `X`, `^`, `|`, `:`, `=` rows.
    package let ascii: Bool
    /// The columns a row may take: the note right of the lanes is cut with `…` there; nil cuts nothing.
    package let width: Int?
    /// Columns between two lanes.
    static let spacing = 15
    /// `step tick ` before the lanes.
    static let prefixWidth = 11

    package init(replicas: Int, ascii: Bool, width: Int? = nil) {
        self.replicas = replicas
        self.ascii = ascii
        self.width = width
    }

    /// The diagram of the last `count` events of `trace` (the leader's own proposal and vote left out, as
    /// in the flow).
    ///
    /// The trace is read in place, not copied (a long session holds tens of thousands of events): the
    /// events shown are found from its end, and who is down before them from the crashes and restarts
    /// before that.
    package func render(_ trace: [TraceEvent], last count: Int) -> String {
        var shown: [Int] = []
        var total = 0
        for k in trace.indices.reversed() where !trace[k].isLeadersOwnMessage {
            total += 1
            if shown.count < count { shown.append(k) }
        }
        shown.reverse()
        guard let first = shown.first else { return "no events yet: lanes draws the last N events of the run" }
        var down = Set<Int>()
        for k in 0..<first { track(trace[k], &down) }
        var lines = [
            "last \(shown.count) of \(counted(total, "event")), time runs down · ──▶ message ✗ lost ● local ╳ crash ↺ restart ┊ down",
            header(),
        ]
        for k in shown {
            lines.append(row(trace[k], down: down))
            track(trace[k], &down)
        }
        let text = lines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            if let width, line.count > width { line = String(line.prefix(width - 1)) + "…" }
            return line
        }.joined(separator: "\n")
        return ascii ? Self.plain(text) : text
    }

    // MARK: - Layout

    /// The column of lane `lane` (0 the client, k replica nk) in the canvas.
    func x(_ lane: Int) -> Int { 3 + lane * Self.spacing }

    var canvasWidth: Int { x(replicas) + 1 }

    func lane(_ endpoint: Endpoint) -> Int? {
        switch endpoint {
        case .client: 0
        case .replica(let id): id.number >= 1 && id.number <= replicas ? id.number : nil
        case .monitor: nil
        }
    }

    func header() -> String {
        var canvas = Array(repeating: Character(" "), count: canvasWidth + 4)
        let names = ["client"] + (1...max(1, replicas)).map { "n\($0)" }
        for (index, name) in names.enumerated() where index <= replicas {
            let start = max(0, x(index) - name.count / 2)
            for (offset, character) in name.enumerated() where start + offset < canvas.count {
                canvas[start + offset] = character
            }
        }
        return "step tick  " + String(canvas)
    }

    func row(_ event: TraceEvent, down: Set<Int>) -> String {
        var canvas = Array(repeating: Character(" "), count: canvasWidth)
        for index in 0...replicas { canvas[x(index)] = down.contains(index) ? "┊" : "│" }
        let note: String
        switch event.fact {
        case .lost(_, let item, _):
            if case .message(let envelope) = item, let from = lane(envelope.from), let to = lane(envelope.to) {
                arrow(&canvas, from: from, to: to, label: Self.label(envelope.message), head: "✗")
            } else if let at = lane(event.to) {
                canvas[x(at)] = "✗"
            }
            note = event.decisiveValue
        case .duplicated:
            if let at = lane(event.from) { canvas[x(at)] = "●" }
            note = "duplicate: \(event.decisiveValue)"
        case .crashed(let id):
            canvas[x(id.number)] = "╳"
            note = "\(id) crashes"
        case .restarted(let id, let promised):
            canvas[x(id.number)] = "↺"
            note = "\(id) restarts, promised \(promised)"
        case .partitioned, .healed, .cut, .uncut:
            for index in canvas.indices where canvas[index] == " " { canvas[index] = "╌" }
            note = "\(event.kind): \(event.decisiveValue)"
        case .violated:
            note = "!! \(event.decisiveValue)"
        default:
            if event.sentID != nil, event.from != event.to, let from = lane(event.from), let to = lane(event.to),
               let message = event.message {
                arrow(&canvas, from: from, to: to, label: Self.label(message), head: "▶")
                note = "\(event.decisiveValue)  #\(event.messageID.map(String.init) ?? "")"
            } else if event.isDeliveryOutcome, let at = lane(event.to) {
                canvas[x(at)] = "●"
                let kind = event.message.map(Self.label) ?? event.kind.rawValue
                note = "\(event.to) takes #\(event.cause.map(String.init) ?? "?") \(kind): \(event.decisiveValue)"
            } else if let at = lane(event.to) {
                canvas[x(at)] = "●"
                let value = event.decisiveValue
                note = "\(event.to) \(event.kind)\(value.isEmpty ? "" : ": \(value)")"
            } else {
                note = "\(event.kind) \(event.decisiveValue)"
            }
        }
        return "\(String(event.step).leftPadded(4)) t\(String(event.tick).rightPadded(4)) " + String(canvas) + "  " + note
    }

    /// An arrow from lane `from` to lane `to` with `label` in it: `│──propose───▶│`.
    func arrow(_ canvas: inout [Character], from: Int, to: Int, label: String, head: Character) {
        guard from != to else { return }
        let (left, right) = (min(x(from), x(to)), max(x(from), x(to)))
        let length = right - left - 1
        var text = label
        if text.count > length - 3 { text = String(text.prefix(max(0, length - 4))) + "…" }
        var body = Array(repeating: Character("─"), count: length)
        let start = 1 + (length - 1 - text.count) / 2
        for (offset, character) in text.enumerated() { body[start + offset] = character }
        if from < to { body[length - 1] = head } else { body[0] = head == "▶" ? "◀" : head }
        for (offset, character) in body.enumerated() { canvas[left + 1 + offset] = character }
    }

    /// Follows crashes and restarts: the lanes that are down.
    func track(_ event: TraceEvent, _ down: inout Set<Int>) {
        switch event.fact {
        case .crashed(let id): down.insert(id.number)
        case .restarted(let id, _): down.remove(id.number)
        default: break
        }
    }

    /// A message's label in its arrow: its kind, at most 11 characters.
    static func label(_ message: Message) -> String {
        switch message {
        case .transaction: "transaction"
        case .redirect: "redirect"
        case .propose: "propose"
        case .vote: "vote"
        case .commit: "commit"
        case .ack: "ack"
        case .heartbeat: "heartbeat"
        case .heartbeatReply: "hb reply"
        case .preVote: "pre-vote"
        case .preVoteReply: "pre-reply"
        case .candidacy: "candidacy"
        case .promise: "promise"
        case .requestLogRange: "log request"
        case .logRange: "log range"
        }
    }

    /// The diagram in plain ASCII.
    static func plain(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "│": out += "|"
            case "┊": out += ":"
            case "─", "–": out += "-"
            case "╌": out += "="
            case "▶": out += ">"
            case "◀": out += "<"
            case "✗": out += "x"
            case "●": out += "*"
            case "╳": out += "X"
            case "↺": out += "^"
            case "…": out += "~"
            case "→": out += "->"
            case "↛": out += "-/->"
            default: out.append(character)
            }
        }
        return out
    }
}

extension TraceEvent {
    /// The message the event is about, if any.
    var message: Message? {
        switch fact {
        case .sent(let message, _), .received(let message, _), .clientSends(let message, _, _, _),
             .clientGivesUp(let message, _, _, _, _), .clientResends(let message, _, _, _):
            message
        case .outcome(let message, _):
            message
        case .lost(_, .message(let envelope), _), .duplicated(_, .message(let envelope), _):
            envelope.message
        default:
            nil
        }
    }
}
