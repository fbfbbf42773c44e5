/// What handling one input produced: messages to send, local events, and facts for the invariants.
/// Each visible effect carries the ``Reason``: the protocol rule that produced it.
public enum Effect: Hashable, Sendable {
    /// A message to put on the network.
    case send(Envelope, Reason)
    /// A local event: apply, cleanup, timeout, elected, recovered.
    case local(LocalEvent, Reason)
    /// What the receiver did with a message that made it send nothing.
    case outcome(Reason)
    /// A fact the invariant checker watches; not shown in the flow.
    case observed(Observation)
    /// Under a commit policy that applies as its own event: one apply is now due at this replica.
    case queueApply
}

public enum LocalEvent: Hashable, Sendable {
    /// §2(2): the leader is one of the acceptors; its proposal to itself needs no network.
    case ownProposal(Proposal)
    /// §2(3): the leader's vote on its own proposal, counted with the others.
    case ownVote(Vote)
    case apply(index: Int, redo: [RedoRecord])
    case cleanup(through: Int)
    case cleanupWaits(index: Int, missing: [ReplicaID])
    case timeout
    case elected(Ballot)
    /// A leader that heard from no majority for too long leaves leadership.
    case stepDown(Ballot)
    case recovered(ballot: Ballot, from: Int, to: Int)
    /// §2(2) in a cluster of one: the leader's proposal has no one else to go to. The phase still happens, at
    /// the leader, and shows as this event instead of the messages.
    case proposesAlone(Proposal)
    /// §2(4) in a cluster of one: the leader's commit of `index` has no one else to go to.
    case commitsAlone(index: Int, ballot: Ballot)
}

public enum Observation: Hashable, Sendable {
    case accepted(index: Int, ballot: Ballot, redo: [RedoRecord])
    /// `acceptors` is the leader's count of accepts for the ballot; nil when a follower learns of a commit.
    case committed(index: Int, ballot: Ballot, redo: [RedoRecord], acceptors: [ReplicaID]?)
    case applied(index: Int, redo: [RedoRecord])
    /// The leader finished recovery and will propose: its log must hold every committed entry now.
    case leaderReady(Ballot)
}

/// Why a replica did what it did: the rule of Docs/Protocol.md it applied, with the values it compared.
public enum Reason: Hashable, Sendable {
    // §2(1) transaction
    case redirects(knownLeader: ReplicaID?)
    /// A leader that leaves leadership hands a transaction it queued and never proposed back to the client,
    /// redirected to the leader it now follows, if it knows one.
    case handsBack(transaction: Int, knownLeader: ReplicaID?)
    case queues(transaction: Int, queueLength: Int, cause: QueueCause)
    // §2(2) propose
    case proposes(index: Int, ballot: Ballot, transactions: [Int])
    case resends(index: Int, ballot: Ballot, cause: ResendCause)
    case proposesToItself(index: Int, ballot: Ballot)
    case votesForItself(index: Int, ballot: Ballot)
    /// The leader accepts its own re-proposal of an entry committed in its log already (a recovery
    /// re-proposes what it learned committed): there is nothing to count.
    case votesForItsCommitted(index: Int, ballot: Ballot)
    // §2(3) vote
    /// `replaced`: the different entry the acceptor held at `index` and overwrites (recovery chose another).
    /// `cleaned`: the index is below the acceptor's log, cleaned up already, so nothing is stored.
    case accepts(index: Int, ballot: Ballot, promised: Ballot, logEnd: Int, replaced: ReplacedEntry?, cleaned: Bool)
    case rejects(index: Int, ballot: Ballot, RejectReason)
    // §2(4) commit
    case majority(index: Int, ballot: Ballot, acceptors: [ReplicaID], replicas: Int)
    case countsAccept(index: Int, ballot: Ballot, acceptors: [ReplicaID], needed: Int)
    case alreadyCommitted(index: Int, acceptors: [ReplicaID])
    case staleVote(index: Int, ballot: Ballot, current: Ballot?)
    case preempted(by: Ballot)
    case learnsCommit(index: Int, ballot: Ballot, mode: ApplyMode)
    case cannotCommit(index: Int, ballot: Ballot, holds: Ballot?)
    case commitWaitsForGap(index: Int, commitIndex: Int)
    case retransmitsCommit(index: Int, ballot: Ballot)
    /// A gap `follower` reported (its log ends at `logEnd`, below `index`) whose entries were re-sent to it,
    /// through `resentThrough`, since the last heartbeat: nothing is sent again.
    case gapResentAlready(follower: ReplicaID, logEnd: Int, index: Int, resentThrough: Int)
    // §2(4) apply
    case applies(index: Int, trigger: ApplyTrigger)
    case nothingToApply(appliedIndex: Int, commitIndex: Int)
    // §2(5) ack and cleanup
    case acks(index: Int)
    /// A commit for an entry the replica applied (or cleaned up) already: it only acks it, to the leader of
    /// `leader`. Whether that leader had its ack before is not the replica's to know (a new leader that
    /// re-proposed the entry never had it; a leader that re-sends the commit missed it).
    case reacks(index: Int, leader: Ballot, cleaned: Bool)
    case cleansUp(through: Int)
    /// `follower`'s heartbeat reply said it applied through `applied`, which completes every replica's
    /// ack of `through`: the leader cleans up.
    case cleansUpOnReply(through: Int, follower: ReplicaID, applied: Int)
    case cleanupWaits(index: Int, missing: [ReplicaID])
    case countsAck(index: Int)
    // §3(1) heartbeat, its reply, and timeout
    case heartbeat(ballot: Ballot, commitIndex: Int)
    /// A follower answers its leader's heartbeat with where its log ends and what it applied.
    case followsLeader(ballot: Ballot, cleanedThrough: Int?, logEnd: Int, applied: Int)
    /// A heartbeat below the promise is ignored, and answered with the promise so its sender learns it.
    case ignoresStaleLeader(ballot: Ballot, promised: Ballot)
    /// The leader reads a heartbeat reply: the follower misses nothing.
    case followerUpToDate(follower: ReplicaID, logEnd: Int, applied: Int)
    /// A leader that has heard from no majority for `ticks` ticks steps down; `heard`: whom it heard from
    /// (itself included) since the last majority was complete.
    case lostMajority(ballot: Ballot, ticks: Int, heard: [ReplicaID])
    /// No heartbeat from a leader it could follow for `ticks` ticks (a stale one, below its promise, does not count).
    case timedOut(ticks: Int)
    /// The election policy said not to stand yet: the replica waits `ticks` more; at its next timeout
    /// without a leader it stands whatever the policy says.
    case waitsToStand(ticks: Int)
    // §3(2) election
    case asksPreVote(ballot: Ballot)
    /// The voter would grant; `leader` says why its leader, if it has one, does not keep it from granting.
    case grantsPreVote(ballot: Ballot, leader: VoterLeader)
    /// The candidate asks again after a failed election: the voter's policy was not asked.
    case grantsRetryPreVote(ballot: Ballot, leader: VoterLeader)
    case refusesPreVote(ballot: Ballot, why: Refusal)
    case countsPreVote(ballot: Ballot, granted: [ReplicaID], refused: [ReplicaID], needed: Int)
    /// A pre-vote answer for a ballot it no longer asks for, or to an earlier pre-vote (`attempt`) for
    /// the ballot it asks for again (in pre-vote `askingAgainIn`): not counted.
    case stalePreVote(ballot: Ballot, attempt: Int, askingAgainIn: Int?)
    /// A voter refused a pre-vote for having promised `promised`, of a round at or above `ballot`'s: the
    /// would-be candidate asks again above it.
    case asksAbove(ballot: Ballot, promised: Ballot)
    case stands(ballot: Ballot)
    case grants(ballot: Ballot)
    case grantsRetry(ballot: Ballot)
    /// A candidacy, or with `preVote` a late pre-vote, for the ballot it promised already (it granted a copy
    /// of it, or it follows that ballot's leader: `followsIt`): granted again, and nothing changes.
    case grantsAgain(ballot: Ballot, followsIt: Bool, preVote: Bool)
    case refuses(ballot: Ballot, why: Refusal)
    case countsPromise(ballot: Ballot, granted: [ReplicaID], refused: [ReplicaID], needed: Int)
    case stalePromise(ballot: Ballot)
    /// A majority promised `ballot`: this replica leads, and recovers the log first unless recovery is off
    /// (`recovers` false: the unsafe setting, which re-proposes only its own entries).
    case elected(ballot: Ballot, granted: [ReplicaID], recovers: Bool)
    /// A candidate that lost its round follows, and retries after `retryTicks` if no leader is heard. With
    /// `preVote` it had only asked for pre-votes for `ballot` and raised no ballot: it drops the question.
    case standsAside(ballot: Ballot, preVote: Bool, cause: StandAsideCause, retryTicks: Int)
    /// A replica withdraws the promise it gave a candidate of `leader`'s round: `leader` won that round,
    /// and one vote per round means the candidate never can.
    case withdraws(promised: Ballot, leader: Ballot)
    /// A leader learned that `replica` promised a round above its own: it steps down.
    case learnsHigherRound(round: Int, replica: ReplicaID)
    // §3(3) recovery
    case requestsLogRange(from: Int, to: Int)
    case sendsLogRange(from: Int, to: Int, count: Int)
    case ignoresLogRequest(ballot: Ballot, promised: Ballot)
    case countsLogRange(ballot: Ballot, replied: [ReplicaID], needed: Int)
    case recovered(from: Int, to: Int, chosen: [Int: Ballot])
    case recoverySkipped
    case reproposes(index: Int, ballot: Ballot, was: Ballot)
    // Decisions a protocol break (`set break`) made against the rule it breaks: each names the rule's
    // verdict, so that the annotation says what the break changed instead of the rule's reasoning.
    /// `accept-lower-ballot`: the acceptor accepts a proposal that the legality check rejects (`rule`).
    case acceptsAgainstRule(index: Int, ballot: Ballot, rule: RejectReason)
    /// `commit-without-majority`: the leader commits with fewer accepts than the `needed` majority.
    case commitsWithoutMajority(index: Int, ballot: Ballot, acceptors: [ReplicaID], needed: Int)
    /// `vote-twice-in-ballot`: the voter grants `ballot` (a pre-vote when `preVote`) that `rule`, one of the
    /// rules keeping a voter to one candidate a round, refuses.
    case grantsAgainstRule(ballot: Ballot, preVote: Bool, rule: Refusal)
    /// `apply-out-of-order`: a follower applies `index` as its commit arrives, whatever it has applied below it.
    case appliesOutOfOrder(index: Int)
    /// `skip-highest-ballot-choice`: recovery kept the lowest-ballot entry per index.
    case recoveredLowest(from: Int, to: Int, chosen: [Int: Ballot])
    /// `ignore-recovered-values`: a majority's log ranges arrived, and the new leader ignores them.
    case ignoresRecoveredValues(from: Int, to: Int)
    /// `no-catch-up`: the leader catches no follower up from a heartbeat reply: it sends the follower nothing.
    case readsNoPosition(follower: ReplicaID, logEnd: Int, applied: Int)
    // A policy failed: the core fell back to the safe default.
    case policyFailed(policy: String, error: String, fallback: String)
    /// The message changes nothing, for the reason given.
    case ignored(Ignored)
}

/// The entry an acceptor held at an index before it accepted a different one there.
public struct ReplacedEntry: Hashable, Sendable {
    public let ballot: Ballot
    public let redo: [RedoRecord]
    public let status: EntryStatus

    public init(ballot: Ballot, redo: [RedoRecord], status: EntryStatus) {
        self.ballot = ballot
        self.redo = redo
        self.status = status
    }
}

/// What a voter that would grant a pre-vote knows of a leader: why leader stickiness does not keep it
/// from granting.
public enum VoterLeader: Hashable, Sendable {
    /// It follows no leader.
    case none
    /// The leader it follows is the candidate itself, now asking for a ballot of its own.
    case candidate
    /// The leader it follows has been silent for `ticks` ticks, at least the base election timeout.
    case silent(ReplicaID, ticks: Int)
}

/// Why a replica ignores a message that changes nothing (its wording is rendered outside the core).
public enum Ignored: Hashable, Sendable {
    /// An ack reached a replica that does not lead.
    case ackNotLeading
    /// A log range reached a replica that is not waiting for it.
    case unexpectedLogRange
    /// A heartbeat reply for `ballot` reached a replica that no longer leads it.
    case lateHeartbeatReply(ballot: Ballot)
    /// A redirect reached a replica: redirects are for the client.
    case redirect
    /// A leader keeps leading `ballot`: `rival` is a candidacy of a round it won.
    case rivalOfWonRound(ballot: Ballot, rival: Ballot)
    /// The replica already knows `index` is committed.
    case alreadyCommitted(index: Int)
    /// An unsafe run only: `index` is committed under `ballot`, but other records were applied there before.
    case divergedAt(index: Int, ballot: Ballot)
    /// `apply-out-of-order` only: `index` is committed, but the follower applied `applied`, past it, and never
    /// applies it.
    case appliedPast(index: Int, applied: Int)
}

/// What made a replica apply an entry.
public enum ApplyTrigger: Hashable, Sendable {
    /// The leader applies as soon as it commits.
    case leaderCommit
    /// A follower, while handling the commit message (`sync`).
    case commitMessage
    /// Its own apply event (`async`, `apply nK`).
    case applyEvent
    /// A commit policy's delay ran out.
    case timer
    /// Restarted with committed entries not yet applied.
    case restart
}

public enum QueueCause: Hashable, Sendable {
    case recovering
    case windowFull(inFlight: Int, window: Int)
}

public enum ResendCause: Hashable, Sendable {
    /// The follower's log ends at `logEnd`: the leader fills the gap.
    case gap(logEnd: Int)
    /// The follower's heartbeat reply shows it lacks the entry, or its commit: sent again.
    case retransmit
}

/// Why a candidate stood aside.
public enum StandAsideCause: Hashable, Sendable {
    /// It heard the leader of a ballot of its round or above.
    case heardLeader(Ballot)
    /// A majority refused its real candidacy.
    case refused([ReplicaID])
    /// A majority refused its pre-vote.
    case preVoteRefused([ReplicaID])
    /// Its election (or pre-vote) reached no majority within its timeout of `ticks`.
    case noMajority(ticks: Int)
}
