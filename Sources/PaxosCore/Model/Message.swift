/// Every message of the protocol, in the shapes of Docs/Protocol.md.
public enum Message: Hashable, Sendable {
    /// §2(1) client → leader.
    case transaction(Transaction)
    /// §2(1) a follower's answer to a transaction: the leader it knows, if any.
    case redirect(Transaction, leader: ReplicaID?)
    /// §2(2) leader → every replica.
    case propose(Proposal)
    /// §2(3) replica → leader.
    case vote(Vote)
    /// §2(4) leader → all: entry `index`, proposed under `ballot`, is committed.
    case commit(index: Int, ballot: Ballot)
    /// §2(5) follower → leader: entry `index` is applied.
    case ack(index: Int)
    /// §3(1) leader → followers, every heartbeat interval.
    case heartbeat(Heartbeat)
    /// §3(1) follower → leader: the answer to a heartbeat, saying where the follower's log ends and what it
    /// applied (so the leader sends what it misses, as §3(3) has followers return the missing redo log),
    /// and what it promised (so a leader below it learns so).
    case heartbeatReply(HeartbeatReply)
    /// §3(2) would-be candidate → all: "would you vote for me?" (a pre-vote), asked before raising any
    /// ballot, so a replica that cannot win never disturbs the others.
    case preVote(Candidacy)
    /// §3(2) voter → would-be candidate: the answer to a pre-vote; it binds the voter to nothing.
    case preVoteReply(Promise)
    /// §3(2) candidate → all: a request to lead under a higher ballot.
    case candidacy(Candidacy)
    /// §3(2) voter → candidate: the vote (a Paxos promise), granted or refused.
    case promise(Promise)
    /// §3(3) new leader → follower: `request_log_range(from, to)`.
    case requestLogRange(ballot: Ballot, from: Int, to: Int)
    /// §3(3) follower → new leader: the entries it holds in the range.
    case logRange(LogRange)
}

/// A proposal: the entry at `index` (the proposal id) under `ballot`.
public struct Proposal: Hashable, Sendable {
    public let index: Int
    public let ballot: Ballot
    public let redo: [RedoRecord]
    public let transactions: [Int]

    public init(index: Int, ballot: Ballot, redo: [RedoRecord], transactions: [Int]) {
        self.index = index
        self.ballot = ballot
        self.redo = redo
        self.transactions = transactions
    }

    init(_ entry: LogEntry, ballot: Ballot) {
        self.init(index: entry.index, ballot: ballot, redo: entry.redo, transactions: entry.transactions)
    }
}

/// Why an acceptor refuses a proposal.
public enum RejectReason: Hashable, Sendable {
    /// Legality: the proposal's ballot is below the one the acceptor promised.
    case ballotBelowPromise(promised: Ballot)
    /// Legality: the acceptor already accepted a newer proposal at that index.
    case stale(accepted: Ballot)
    /// Log compatibility: the index does not follow the acceptor's log, which ends at `logEnd`.
    case gap(logEnd: Int)
}

/// An acceptor's vote on one proposal.
public struct Vote: Hashable, Sendable {
    public let index: Int
    public let ballot: Ballot
    /// nil for an accept.
    public let rejection: RejectReason?

    public init(index: Int, ballot: Ballot, rejection: RejectReason?) {
        self.index = index
        self.ballot = ballot
        self.rejection = rejection
    }

    public var accepted: Bool { rejection == nil }
}

public struct Heartbeat: Hashable, Sendable {
    public let ballot: Ballot
    public let commitIndex: Int
    /// Every replica has acked up to here: followers may clean their logs up to it too.
    public let cleanupIndex: Int

    public init(ballot: Ballot, commitIndex: Int, cleanupIndex: Int) {
        self.ballot = ballot
        self.commitIndex = commitIndex
        self.cleanupIndex = cleanupIndex
    }
}

/// A follower's answer to a heartbeat.
public struct HeartbeatReply: Hashable, Sendable {
    /// The heartbeat's ballot: the leader it answers.
    public let ballot: Ballot
    /// The follower's own promise after the heartbeat: above `ballot` when it ignored a stale leader.
    public let promised: Ballot
    /// The last index in the follower's log.
    public let logEnd: Int
    /// The follower's applied index.
    public let appliedIndex: Int

    public init(ballot: Ballot, promised: Ballot, logEnd: Int, appliedIndex: Int) {
        self.ballot = ballot
        self.promised = promised
        self.logEnd = logEnd
        self.appliedIndex = appliedIndex
    }
}

public struct Candidacy: Hashable, Sendable {
    public let ballot: Ballot
    public let lastIndex: Int
    public let lastBallot: Ballot
    /// The candidate asks again after a failed election without having heard a leader since: voters
    /// decide by the core's rules alone, without asking their election policy.
    public let retry: Bool
    /// ``attempt`` in 32 bits, in the padding after `retry` (as ``Promise`` keeps it).
    private let attemptNumber: UInt32

    /// A pre-vote's number among the candidate's pre-votes (``Replica/preVotes``), which its answers carry
    /// back: a late answer to an earlier pre-vote for the same ballot is not counted for this one. 0 in a
    /// real candidacy, whose ballot is its own (a replica stands only under a new round).
    public var attempt: Int { Int(attemptNumber) }

    public init(ballot: Ballot, lastIndex: Int, lastBallot: Ballot, retry: Bool = false, attempt: Int = 0) {
        self.ballot = ballot
        self.lastIndex = lastIndex
        self.lastBallot = lastBallot
        self.retry = retry
        attemptNumber = UInt32(clamping: attempt)
    }
}

/// Why a voter would not vote for a candidate (pre-vote and real vote alike): the rule, with its values.
/// Its wording is rendered outside the core (`Annotations.swift`); only a policy's own reason is text.
public enum Refusal: Hashable, Sendable {
    /// The candidacy's ballot names no replica.
    case noOwner(ballot: Ballot)
    /// One candidate a round: the voter promised another ballot of that round or a later one.
    case alreadyPromised(voter: ReplicaID, promised: Ballot)
    /// The voter leads another ballot: a leader votes for no one until it steps down.
    case leads(voter: ReplicaID, ballot: Ballot)
    /// Leader stickiness: the voter's leader has been silent for `ticksAgo` ticks (since the voter last heard
    /// it or began to follow it), fewer than the base election timeout.
    case followsLeader(voter: ReplicaID, leader: ReplicaID, ticksAgo: Int, timeout: Int)
    /// The election policy refused, for the reason it gave.
    case policy(String)
    /// The election policy failed; the core refused for it.
    case policyFailed(policy: String)
}

public struct Promise: Hashable, Sendable {
    /// The candidacy's ballot this answers.
    public let ballot: Ballot
    /// nil when granted, else why not.
    public let refusal: Refusal?
    /// ``attempt``, kept in 32 bits beside `refusal`, in the padding after it: a promise is the largest
    /// message, and every in-flight message is as large as it (a 64-bit field made each 8 bytes larger).
    private let attemptNumber: UInt32
    /// The voter's own promise after handling the candidacy.
    public let promised: Ballot
    public let lastIndex: Int

    /// The ``Candidacy/attempt`` this answers: which of the candidate's pre-votes (0 for a real vote).
    public var attempt: Int { Int(attemptNumber) }

    public init(ballot: Ballot, refusal: Refusal?, promised: Ballot, lastIndex: Int, attempt: Int = 0) {
        self.ballot = ballot
        self.refusal = refusal
        attemptNumber = UInt32(clamping: attempt)
        self.promised = promised
        self.lastIndex = lastIndex
    }

    public var granted: Bool { refusal == nil }
}

/// The reply to `request_log_range`: what the replica accepted in the range, with ballots.
public struct LogRange: Hashable, Sendable {
    public let ballot: Ballot
    public let from: Int
    public let to: Int
    public let entries: [LogEntry]

    public init(ballot: Ballot, from: Int, to: Int, entries: [LogEntry]) {
        self.ballot = ballot
        self.from = from
        self.to = to
        self.entries = entries
    }
}

/// A message on the wire.
public struct Envelope: Hashable, Sendable {
    public let from: Endpoint
    public let to: Endpoint
    public let message: Message

    public init(from: Endpoint, to: Endpoint, message: Message) {
        self.from = from
        self.to = to
        self.message = message
    }
}
