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

/// A core rule applied by a replica: the reason the core gave, and who was down at the time (cleanup says
/// which of the replicas it waits for have crashed).
public struct Rule: Hashable, Sendable {
    public let reason: Reason
    public let by: ReplicaID
    /// The replicas down when the rule applied; filled only where the annotation reads it (a cleanup wait).
    public let down: [ReplicaID]
    /// How many ticks the replica's own clock ran ahead of the global tick in this step before the rule
    /// applied (`timeout nK` runs it until the election timer fires); 0 when time passed as usual.
    public let ranAhead: Int
    /// The global tick at which the timing last changed (`set timeout`, `set heartbeat`), when the ticks of
    /// silence this rule counts began there: the change restarted the clocks that watch a leader, so the
    /// silence before it is not in the count. Nil for every other rule.
    public let retimedAt: Int?
}

/// Why a message in flight did not arrive.
public enum Loss: Hashable, Sendable {
    /// `drop ID`: the user lost it.
    case dropped
    /// A one-way cut lies between sender and receiver.
    case cut
    /// A partition lies between them.
    case partitioned
    /// The receiver is down.
    case down(ReplicaID)
}

/// What a trace event records, with its values: the typed facts that the playground renders as the
/// annotation (`note`) and the payload of the flow, the JSON Lines and the diagrams.
public enum TraceFact: Hashable, Sendable {
    /// A replica sent `message` by `rule`.
    case sent(Message, Rule)
    /// A replica's local event (apply, cleanup, timeout, election, recovery, its own proposal and vote).
    case local(LocalEvent, Rule)
    /// What a replica did that sent nothing: about the delivered `message`, or, with none, on its own.
    case outcome(Message?, Rule)
    /// `message` reached a replica that sent nothing and changed nothing worth a rule.
    case received(Message, by: ReplicaID)
    /// The client sends transaction `message` to `target`, by `route`.
    case clientSends(Message, transaction: Int, to: ReplicaID, route: ClientRoute)
    /// The client stops retrying the transaction of a `redirect`: no leader is known, or this is the
    /// `attempts`-th redirect of it that came back (copies of the transaction count each), after
    /// `attempts - 1` re-sends. `copyUnderWay`: another copy of the transaction (or a redirect of one) is
    /// still in flight, so the transaction may yet commit.
    case clientGivesUp(redirect: Message, transaction: Int, leaderKnown: Bool, attempts: Int, copyUnderWay: Bool)
    /// The client sends `message` again, to the leader a redirect named.
    case clientResends(Message, transaction: Int, to: ReplicaID, redirectedBy: Endpoint)
    /// Item `id` was lost.
    case lost(id: Int, PendingItem, Loss)
    /// Item `id` was copied as `copy`.
    case duplicated(id: Int, PendingItem, copy: Int)
    case crashed(ReplicaID)
    /// The replica restarted with its log and this promise.
    case restarted(ReplicaID, promised: Ballot)
    case partitioned([[ReplicaID]])
    case healed
    case cut(from: ReplicaID, to: ReplicaID)
    case uncut(from: ReplicaID, to: ReplicaID)
    /// An invariant broke.
    case violated(Violation)

    /// The core rule behind the fact, if a replica applied one.
    public var rule: Rule? {
        switch self {
        case .sent(_, let rule), .local(_, let rule), .outcome(_, let rule): rule
        default: nil
        }
    }
}

/// Why the client sent a transaction where it did.
public enum ClientRoute: Hashable, Sendable {
    /// To the live replica leading with the highest ballot.
    case leader(Ballot)
    /// No replica leads and none is known: n1.
    case firstGuess
    /// No live leader: the last one the client knew.
    case lastKnown
}

/// One event of the trace: a message sent, a delivery that sent nothing, a local event, a fault, or an
/// invariant violation, as typed facts. Text, JSON Lines, Mermaid and HTML are views of these, rendered in
/// the playground.
public struct TraceEvent: Hashable, Sendable {
    public var step: Int
    public var tick: Int
    public var phase: Phase
    public var kind: EventKind
    public var from: Endpoint
    public var to: Endpoint
    /// What happened, with its values.
    public var fact: TraceFact
    /// The id of what this event put in flight: the message it sent, or, for a delivery that queued an
    /// apply event (a commit under a commit policy that applies in an event of its own), that apply's id.
    public var messageID: Int?
    /// The id of the delivered message that caused this event.
    public var cause: Int?

    /// The rule behind the event, for `explain`.
    public var reason: Reason? { fact.rule?.reason }

    /// The violation the event records, if it is one.
    public var violation: Violation? {
        switch fact {
        case .violated(let violation): return violation
        default: return nil
        }
    }

    /// For a violation, the invariant's number.
    public var invariant: Int? { violation?.invariant }

    /// For a violation, the replicas involved.
    public var replicas: [ReplicaID] { violation?.replicas ?? [] }

    /// A delivery that made the receiver send nothing and do nothing local: the event is the delivery.
    public var isDeliveryOutcome: Bool {
        switch fact {
        case .received: return true
        case .outcome(.some, _): return true
        default: return false
        }
    }

    /// The id of the message this event sent; nil for a delivery's outcome, even one that queued an apply.
    public var sentID: Int? { isDeliveryOutcome ? nil : messageID }

    /// The leader's proposal to itself and its own vote (§2(2), §2(3)): in the trace and its JSON Lines,
    /// left out of the flow and the diagrams, where the leader's "accepts" count already shows them.
    public var isLeadersOwnMessage: Bool {
        switch reason {
        case .proposesToItself, .votesForItself, .votesForItsCommitted: true
        default: false
        }
    }
}

extension Reason {
    /// The phase a reason belongs to when it is not a message's own (re-proposals are recovery).
    var phaseOverride: Phase? {
        switch self {
        case .reproposes: .recovery
        default: nil
        }
    }
}
