import PaxosCore

/// The phase tags of the trace, each with the section of the source document it belongs to.
public enum Phase: String, Hashable, Sendable, CaseIterable {
    case transaction, propose, vote, commit, apply, ack, cleanup, heartbeat, timeout, election, recovery
    case fault, invariant

    /// `§2(3)` for vote; faults and invariants are the playground's own.
    public var section: String {
        switch self {
        case .transaction: "§2(1)"
        case .propose: "§2(2)"
        case .vote: "§2(3)"
        case .commit, .apply: "§2(4)"
        case .ack, .cleanup: "§2(5)"
        case .heartbeat, .timeout: "§3(1)"
        case .election: "§3(2)"
        case .recovery: "§3(3)"
        case .fault: "faults"
        case .invariant: "invariants"
        }
    }
}

/// One event of the trace: a message sent, a delivery that sent nothing, a local event, a fault, or an
/// invariant violation. Text, JSON Lines, Mermaid and HTML are views of these.
public struct TraceEvent: Hashable, Sendable {
    public var step: Int
    public var tick: Int
    public var phase: Phase
    public var kind: String
    public var from: Endpoint
    public var to: Endpoint
    public var payload: JSONValue
    public var note: String
    /// The rule behind the event, for `explain`.
    public var reason: Reason?
    /// The id of the message this event sent.
    public var messageID: Int?
    /// The id of the delivered message that caused this event.
    public var cause: Int?
    /// For violations: the invariant's number and the replicas involved.
    public var invariant: Int?
    public var replicas: [ReplicaID] = []

    /// A delivery that made the receiver send nothing and do nothing local: the event is the delivery.
    public var isDeliveryOutcome = false

    /// The leader's proposal to itself and its own vote (§2(2), §2(3)): in the trace and its JSON Lines,
    /// left out of the flow and the diagrams, where the leader's "accepts" count already shows them.
    public var isLeadersOwnMessage: Bool {
        switch reason {
        case .proposesToItself, .votesForItself: true
        default: false
        }
    }

    /// The JSON Lines form of REPL.md's trace section.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("step", .int(step)), ("tick", .int(tick)), ("phase", .string(phase.rawValue)), ("kind", .string(kind)),
            ("from", .string(from.description)), ("to", .string(to.description)), ("payload", payload),
            ("note", .string(note)),
        ]
        if let messageID { fields.append(("id", .int(messageID))) }
        if let cause { fields.append(("cause", .int(cause))) }
        if let invariant {
            fields.append(("invariant", .int(invariant)))
            fields.append(("replicas", .array(replicas.map { .string($0.description) })))
        }
        return .object(fields)
    }

    public var jsonLine: String { json.rendered }
}
