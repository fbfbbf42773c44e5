import PaxosCore
import PaxosSimulation

// The message shapes of Docs/Protocol.md, as valid JSON. Where the source prints invalid JSON
// (`{"commit": "proposal_id": 1}`) the playground prints the valid form, and says so in Docs/Fidelity.md.
// Each trace event's payload and JSON Lines form are rendered here from its typed facts.

extension TraceEvent {
    /// The event's payload: the message as the protocol prints it, a local event's values, or a fault's.
    public var payload: JSONValue {
        switch fact {
        case .sent(let message, _), .received(let message, _), .clientSends(let message, _, _, _),
             .clientGivesUp(let message, _, _, _, _), .clientResends(let message, _, _, _):
            message.payload
        case .local(let event, _):
            event.payload
        case .outcome(let message, _):
            message?.payload ?? .object([])
        case .lost(let id, _, _):
            .object([("id", .int(id))])
        case .duplicated(let id, _, let copy):
            .object([("id", .int(id)), ("copy", .int(copy))])
        case .crashed(let r), .restarted(let r, _):
            .object([("replica", .string(r.description))])
        case .partitioned(let groups):
            .object([("groups", .array(groups.map { .array($0.map { .string($0.description) }) }))])
        case .healed:
            .object([])
        case .cut(let from, let to):
            .object([("from", .string(from.description)), ("to", .string(to.description))])
        case .uncut(let from, let to):
            .object([("from", .string(from.description)), ("to", .string(to.description)), ("restored", true)])
        case .violated(let v):
            .object([("invariant", .int(v.invariant)), ("name", .string(v.name))]
                    + (v.index.map { [("index", JSONValue.int($0))] } ?? [])
                    + [("replicas", .array(v.replicas.map { .string($0.description) }))])
        }
    }

    /// The JSON Lines form of REPL.md's trace section.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("step", .int(step)), ("tick", .int(tick)), ("phase", .string(phase.rawValue)), ("kind", .string(kind.rawValue)),
            ("from", .string(from.description)), ("to", .string(to.description)), ("payload", payload),
            ("note", .string(note)),
        ]
        if let sentID {
            fields.append(("id", .int(sentID)))
        } else if let messageID {
            fields.append(("queued", .int(messageID)))  // the apply event a delivered commit queued (async)
        }
        if let cause { fields.append(("cause", .int(cause))) }
        if let invariant {
            fields.append(("invariant", .int(invariant)))
            fields.append(("replicas", .array(replicas.map { .string($0.description) })))
        }
        return .object(fields)
    }

    public var jsonLine: String { json.rendered }
}

extension Message {
    public var payload: JSONValue {
        switch self {
        case .transaction(let transaction):
            .object([("type", "transaction"), ("redo_log", transaction.redo.json)])
        case .redirect(let transaction, let leader):
            .object([("type", "redirect"), ("leader", leader.map { .string($0.description) } ?? .null),
                     ("redo_log", transaction.redo.json)])
        case .propose(let proposal):
            .object([("proposal_id", .int(proposal.index)), ("ballot", proposal.ballot.json),
                     ("redo_log", proposal.redo.json)])
        case .vote(let vote):
            .object([("vote", vote.accepted ? "accept" : "reject"), ("proposal_id", .int(vote.index)),
                     ("ballot", vote.ballot.json)] + (vote.rejection?.fields ?? []))
        case .commit(let index, let ballot):
            .object([("commit", .object([("proposal_id", .int(index)), ("ballot", ballot.json)]))])
        case .ack(let index):
            .object([("ack", .object([("proposal_id", .int(index))]))])
        case .heartbeat(let heartbeat):
            .object([("heartbeat", .object([("ballot", heartbeat.ballot.json),
                                             ("commit_index", .int(heartbeat.commitIndex)),
                                             ("cleanup_index", .int(heartbeat.cleanupIndex))]))])
        case .heartbeatReply(let reply):
            .object([("heartbeat_reply", .object([("ballot", reply.ballot.json), ("promised", reply.promised.json),
                                                   ("log_end", .int(reply.logEnd)),
                                                   ("applied_index", .int(reply.appliedIndex))]))])
        case .candidacy(let candidacy):
            .object([("candidacy", candidacy.json)])
        case .preVote(let candidacy):
            .object([("pre_vote", candidacy.json)])
        case .promise(let promise):
            .object([("promise", promise.json)])
        case .preVoteReply(let promise):
            .object([("pre_vote_reply", promise.json)])
        case .requestLogRange(let ballot, let from, let to):
            .object([("request_log_range", .object([("from", .int(from)), ("to", .int(to)), ("ballot", ballot.json)]))])
        case .logRange(let range):
            .object([("log_range", .object([("from", .int(range.from)), ("to", .int(range.to)),
                                            ("ballot", range.ballot.json),
                                            ("entries", .array(range.entries.map(\.json)))]))])
        }
    }
}

extension Candidacy {
    var json: JSONValue {
        .object([("ballot", ballot.json), ("last_index", .int(lastIndex)), ("last_ballot", lastBallot.json)]
                + (retry ? [("retry", JSONValue.bool(true))] : [])
                + (attempt > 0 ? [("attempt", JSONValue.int(attempt))] : []))
    }
}

extension Promise {
    var json: JSONValue {
        .object([("ballot", ballot.json), ("granted", .bool(granted))]
            + (refusal.map { [("reason", JSONValue.string($0.description))] } ?? [])
            + [("promised", promised.json), ("last_index", .int(lastIndex))]
            + (attempt > 0 ? [("attempt", JSONValue.int(attempt))] : []))
    }
}

extension RejectReason {
    var fields: [(String, JSONValue)] {
        switch self {
        case .ballotBelowPromise(let promised): [("reason", "ballot below promise"), ("promised", promised.json)]
        case .stale(let accepted): [("reason", "stale"), ("accepted", accepted.json)]
        case .gap(let logEnd): [("reason", "gap"), ("log_end", .int(logEnd))]
        }
    }
}

extension Ballot {
    public var json: JSONValue { .string(description) }
}

extension Array where Element == RedoRecord {
    public var json: JSONValue { .array(map { .string($0.description) }) }
}

extension LogEntry {
    public var json: JSONValue {
        .object([("index", .int(index)), ("ballot", ballot.json), ("status", .string(status.description)),
                 ("redo_log", redo.json)])
    }
}

extension LocalEvent {
    public var payload: JSONValue {
        switch self {
        case .ownProposal(let proposal): Message.propose(proposal).payload
        case .ownVote(let vote): Message.vote(vote).payload
        case .proposesAlone(let proposal): Message.propose(proposal).payload
        case .commitsAlone(let index, let ballot): Message.commit(index: index, ballot: ballot).payload
        case .apply(let index, let redo): .object([("proposal_id", .int(index)), ("redo_log", redo.json)])
        case .cleanup(let through): .object([("cleanup", .object([("through", .int(through))]))])
        case .cleanupWaits(let index, let missing):
            .object([("cleanup", .object([("index", .int(index)),
                                           ("waiting_for", .array(missing.map { .string($0.description) }))]))])
        case .timeout: "Leader heartbeat timeout"
        case .elected(let ballot): .object([("ballot", ballot.json)])
        case .stepDown(let ballot): .object([("step_down", .object([("ballot", ballot.json)]))])
        case .recovered(let ballot, let from, let to):
            // An empty range (every promiser's log ends at or below the commit index): nothing from..to.
            from > to
                ? .object([("ballot", ballot.json), ("range", "none"), ("committed_through", .int(from - 1))])
                : .object([("ballot", ballot.json), ("from", .int(from)), ("to", .int(to))])
        }
    }
}
