import PaxosCore

// The phase and kind the trace gives each message and local event.

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
        case .proposesAlone: .propose
        case .commitsAlone: .commit
        }
    }
}

extension Message {
    public var phase: Phase {
        switch self {
        case .transaction, .redirect: .transaction
        case .propose: .propose
        case .vote: .vote
        case .commit: .commit
        case .ack: .ack
        case .heartbeat, .heartbeatReply: .heartbeat
        case .candidacy, .promise, .preVote, .preVoteReply: .election
        case .requestLogRange, .logRange: .recovery
        }
    }
}

extension LocalEvent {
    public var phase: Phase {
        switch self {
        case .ownProposal: .propose
        case .ownVote: .vote
        case .apply: .apply
        case .cleanup, .cleanupWaits: .cleanup
        case .timeout: .timeout
        case .elected, .stepDown: .election
        case .recovered: .recovery
        case .proposesAlone: .propose
        case .commitsAlone: .commit
        }
    }
}
