import PaxosCore

// The message shapes of PROTOCOL.md, as valid JSON. Where the source prints invalid JSON
// (`{"commit": "proposal_id": 1}`) the playground prints the valid form, and says so in Docs/Fidelity.md.

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
                + (retry ? [("retry", JSONValue.bool(true))] : []))
    }
}

extension Promise {
    var json: JSONValue {
        .object([("ballot", ballot.json), ("granted", .bool(granted))]
            + (refusal.map { [("reason", JSONValue.string($0.description))] } ?? [])
            + [("promised", promised.json), ("last_index", .int(lastIndex))])
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

extension Message {
    /// The message's kind, as the trace names it.
    public var kind: EventKind {
        switch self {
        case .transaction: .transaction
        case .redirect: .redirect
        case .propose: .propose
        case .vote: .vote
        case .commit: .commit
        case .ack: .ack
        case .heartbeat: .heartbeat
        case .heartbeatReply: .heartbeatReply
        case .preVote: .preVote
        case .preVoteReply: .preVoteReply
        case .candidacy: .candidacy
        case .promise: .promise
        case .requestLogRange: .requestLogRange
        case .logRange: .logRange
        }
    }
}

extension LocalEvent {
    public var kind: EventKind {
        switch self {
        case .ownProposal: .propose
        case .ownVote: .vote
        case .apply: .apply
        case .cleanup, .cleanupWaits: .cleanup
        case .timeout: .timeout
        case .elected: .elected
        case .stepDown: .stepDown
        case .recovered: .recovered
        }
    }

    public var payload: JSONValue {
        switch self {
        case .ownProposal(let proposal): Message.propose(proposal).payload
        case .ownVote(let vote): Message.vote(vote).payload
        case .apply(let index, let redo): .object([("proposal_id", .int(index)), ("redo_log", redo.json)])
        case .cleanup(let through): .object([("cleanup", .object([("through", .int(through))]))])
        case .cleanupWaits(let index, let missing):
            .object([("cleanup", .object([("index", .int(index)),
                                           ("waiting_for", .array(missing.map { .string($0.description) }))]))])
        case .timeout: "Leader heartbeat timeout"
        case .elected(let ballot): .object([("ballot", ballot.json)])
        case .stepDown(let ballot): .object([("step_down", .object([("ballot", ballot.json)]))])
        case .recovered(let ballot, let from, let to):
            .object([("ballot", ballot.json), ("from", .int(from)), ("to", .int(to))])
        }
    }
}
