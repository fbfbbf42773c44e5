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

/// What a trace event is: a message's kind, a replica's local event, a fault, a violation, or a note. The
/// raw value is the trace's name for it (the JSON Lines' `kind`).
public enum EventKind: String, Hashable, Sendable, CustomStringConvertible {
    // Messages
    case transaction, redirect, propose, vote, commit, ack, heartbeat
    case heartbeatReply = "heartbeat_reply"
    case preVote = "pre_vote"
    case preVoteReply = "pre_vote_reply"
    case candidacy, promise
    case requestLogRange = "request_log_range"
    case logRange = "log_range"
    // A replica's local events
    case apply, cleanup, timeout, elected
    case stepDown = "step_down"
    case recovered
    // Faults
    case crash, restart, drop, duplicate, partition, cut, heal
    /// An invariant broken.
    case violation
    /// A replica's remark tied to no message.
    case note

    public var description: String { rawValue }
}

/// One event of the trace: a message sent, a delivery that sent nothing, a local event, a fault, or an
/// invariant violation. Text, JSON Lines, Mermaid and HTML are views of these.
public struct TraceEvent: Hashable, Sendable {
    public var step: Int
    public var tick: Int
    public var phase: Phase
    public var kind: EventKind
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
            ("step", .int(step)), ("tick", .int(tick)), ("phase", .string(phase.rawValue)), ("kind", .string(kind.rawValue)),
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
