/// The role a replica plays now, by name (``Replica/role``).
public enum Role: String, Hashable, Sendable {
    case follower, candidate, leader
}

/// The role a replica plays now, with the state only that role has: a candidate's election, a leader's
/// leader state. ``Replica/state`` is written only by the `become…` functions of `Replica.swift`.
public enum RoleState: Hashable, Sendable {
    case follower
    /// Standing for election: its pre-vote or its real vote, with the answers collected.
    case candidate(ElectionState)
    case leader(LeaderState)
}

/// One input to a replica.
public enum Input: Hashable, Sendable {
    /// A message delivered by the network.
    case receive(Envelope)
    /// One logical tick of time (the original's "1 second").
    case tick
    /// Under a commit policy that applies as its own event: apply the next committed entry.
    case applyNext
    /// The replica crashes: every volatile state is lost; the log, the ballot, the commit and applied
    /// indexes and the data survive.
    case crash
    /// The replica comes back after a crash: committed entries not yet applied are applied per the commit
    /// policy.
    case restart
}

/// The shared core replica: one value per replica, the same whatever the policies.
///
/// ``handle(_:policies:config:into:outbox:)`` is the only way in: an input goes in, ``Effect``s come out.
/// No I/O, clock, printing or global randomness: the election policy's draws come from the replica's own
/// seeded generator.
/// Each phase of Docs/Protocol.md lives in one file: `Replica+Transaction` (§2(1)), `+Propose` (§2(2)),
/// `+Vote` (§2(3)), `+Commit` (§2(4) commit and apply), `+Ack` (§2(5) ack and cleanup), `+Heartbeat`
/// (§3(1)), `+Election` (§3(2)), `+Recovery` (§3(3)).
public struct Replica: Hashable, Sendable {
    /// Renamed only by ``relabeled(by:)``.
    public package(set) var id: ReplicaID

    // MARK: Durable state (survives a crash, as if on disk)

    /// The highest ballot this replica promised (phase 1) or accepted under (phase 2).
    public package(set) var promised: Ballot = .zero
    public package(set) var log = RedoLog()
    /// Every entry up to here is committed.
    public internal(set) var commitIndex = 0
    /// Every entry up to here is applied to `data`, in order.
    public internal(set) var appliedIndex = 0
    /// The key/value state that applying the redo records produced.
    public internal(set) var data = KeyValueData()
    /// The pre-votes it has asked for, ever: each pre-vote carries its number, and only answers that carry
    /// it back are counted, so a late answer to an earlier pre-vote for the same ballot (a voter that would
    /// have granted it then, and would not now) never makes it stand. Kept across a crash, so that numbers
    /// are never reused.
    public internal(set) var preVotes = 0

    // MARK: Volatile state (lost in a crash)

    /// Follower, candidate with its election, or leader with its leader state. Only the `become…` functions
    /// below write it; ``leadership`` and ``election`` change the state of the role it has, in place.
    public private(set) var state: RoleState = .follower
    public package(set) var knownLeader: ReplicaID?
    package var ticksWithoutLeader = 0
    public package(set) var electionTimeoutTicks: Int
    /// The election policy's last draw: the timeout it waits while it follows a leader. After a failed
    /// election it waits its retry timeout, then the base timeout for its retry's majority, until it
    /// follows a leader again and its policy's timeout is back (so `priority`'s order holds at the next
    /// failure).
    package var drawnTimeoutTicks: Int
    /// The highest round seen in any ballot, so a new candidacy goes above it.
    var highestRound = 0
    package var random: SplitMix64
    /// Under `ApplyMode.afterTicks`: ticks left before each pending apply.
    var applyCountdowns: [Int] = []
    /// Its last election failed (or its policy told it not to stand) and it has followed no leader since:
    /// its next candidacy is a retry, which voters judge without their election policy.
    var failedElection = false

    /// A fresh replica; `seed` feeds its generator (timeouts drawn by the election policy).
    public init(id: ReplicaID, seed: UInt64, policies: Policies, config: ClusterConfig) {
        self.id = id
        random = SplitMix64(seed: seed ^ (UInt64(id.number) &* 0x9E37_79B9_7F4A_7C15))
        electionTimeoutTicks = config.electionTimeoutTicks
        drawnTimeoutTicks = config.electionTimeoutTicks
        drawnTimeoutTicks = Context.with(policies, config) { c in drawTimeout(&c) }
        electionTimeoutTicks = drawnTimeoutTicks
    }

    /// The role, by name.
    public var role: Role {
        switch state {
        case .follower: .follower
        case .candidate: .candidate
        case .leader: .leader
        }
    }

    /// The leader state, when this replica leads: a copy, for callers outside the core, and changed in
    /// place through `leadership?.…` (see ``updateLeadership(_:)``). The core reads single fields where they
    /// lie (``readLeadership(_:)``): `leadership?.ballot` through this getter would copy the whole leader
    /// state (a retain and a release of each of its tables) to read one field. Assigning a leader state to a
    /// replica that does not lead, or nil to one that does, is no transition: ``becomeLeader(_:)`` and
    /// ``becomeFollower(of:)`` are.
    public package(set) var leadership: LeaderState? {
        get { readLeadership { copy $0 } }
        _modify {
            // The leader state is taken out of the role, and the role let go of it (it holds `.follower`
            // meanwhile): the state taken is then its tables' only owner, so a change appends or writes in
            // place instead of copying a whole table (copy-on-write with two owners). Put back after.
            guard let leader = takeLeadership() else {
                var none: LeaderState? = nil
                yield &none
                assert(none == nil, "a replica becomes leader through becomeLeader")
                return
            }
            var held: LeaderState? = consume leader
            yield &held
            assert(held != nil, "a leader stops leading through becomeFollower or becomeCandidate")
            if let changed = consume held { state = .leader(changed) }
        }
    }

    /// `read` of the leader state where it lies in the role (borrowed, not copied); nil when this replica
    /// does not lead.
    func readLeadership<R>(_ read: (borrowing LeaderState) -> R) -> R? {
        switch state {
        case .leader(let leader): return read(leader)
        default: return nil
        }
    }

    /// Moves the leader state out of the role, leaving `.follower` there, without copying it: the role is
    /// swapped out whole and its payload taken (no retain of the state's tables, no release of the role's);
    /// nil, and the role untouched, when this replica does not lead.
    private mutating func takeLeadership() -> LeaderState? {
        guard hasLeadership else { return nil }
        switch takeRole() {
        case .leader(let leader): return leader
        case let other:
            state = other
            return nil
        }
    }

    /// The election moved out of the role as ``takeLeadership()`` moves the leader state.
    private mutating func takeElection() -> ElectionState? {
        guard case .candidate = state else { return nil }
        switch takeRole() {
        case .candidate(let election): return election
        case let other:
            state = other
            return nil
        }
    }

    /// The role, moved out whole; `.follower` is left in its place.
    private mutating func takeRole() -> RoleState {
        var role = RoleState.follower
        swap(&role, &state)
        return role
    }

    /// Changes the leader state in place, as `leadership?.…` does, for changes of several fields at once;
    /// nil (and `change` not called) when this replica does not lead.
    @discardableResult
    mutating func updateLeadership<R>(_ change: (inout LeaderState) -> R) -> R? {
        // The role lets go of the leader state for the change (see ``leadership``): `leader` is then its
        // tables' only owner, and the change is made in place.
        guard var leader = takeLeadership() else { return nil }
        let result = change(&leader)
        state = .leader(consume leader)
        return result
    }

    /// The election, when this replica stands. Changed in place, as ``leadership`` is.
    package var election: ElectionState? {
        get {
            switch state {
            case .candidate(let election): return election
            default: return nil
            }
        }
        _modify {
            guard let election = takeElection() else {
                var none: ElectionState? = nil
                yield &none
                assert(none == nil, "a replica stands through becomeCandidate")
                return
            }
            var held: ElectionState? = consume election
            yield &held
            assert(held != nil, "a candidate stops standing through becomeLeader or becomeFollower")
            if let changed = consume held { state = .candidate(changed) }
        }
    }

    /// Whether this replica holds leader state.
    var hasLeadership: Bool {
        switch state {
        case .leader: return true
        default: return false
        }
    }

    /// The current leader's ballot, when this replica leads.
    public var leaderBallot: Ballot? { readLeadership { $0.ballot } }
    /// The client transactions the leader has queued (0 unless this replica leads).
    public var queuedTransactions: Int { readLeadership { $0.queue.count } ?? 0 }
    /// Leading and done with recovery: accepting new transactions.
    public var isReadyLeader: Bool { readLeadership { $0.recovery == nil } ?? false }

    // MARK: - The one entry point

    /// Handles one input and appends what it produced, in order, to `effects` (what `effects` held before is
    /// left as it was: a caller that handles many inputs empties one buffer between them and so allocates
    /// no array per input).
    ///
    /// With an `outbox`, the replica hands it only what it asks of the world, as it happens: each message it
    /// sends (the envelope of a ``Effect/send(_:_:)``) and each apply it queues (a ``Effect/queueApply``);
    /// `effects` is left as it was. The same code runs, with the same sends and queued applies in the same
    /// order and the same replica state after; what only explains or reports (the reasons, outcomes, local
    /// events and the observations for the invariant checks) is not built.
    public mutating func handle(_ input: Input, policies: Policies, config: ClusterConfig, into effects: inout [Effect],
                                outbox: (any ReplicaOutbox)? = nil) {
        Context.with(policies, config, outbox: outbox) { context in
            guard case .none = outbox else { return run(input, &context) }
            // The caller's buffer becomes the context's for the call (a swap moves no element, copies nothing).
            swap(&context.effects, &effects)
            run(input, &context)
            swap(&context.effects, &effects)
        }
    }

    private mutating func run(_ input: Input, _ c: inout Context) {
        switch input {
        case .receive(let envelope):
            receive(envelope, &c)
        case .tick:
            tick(&c)
        case .applyNext:
            applyNextCommitted(.applyEvent, &c)
        case .crash:
            crash()
        case .restart:
            restart(&c)
        }
    }

    mutating func receive(_ envelope: Envelope, _ c: inout Context) {
        let sender = envelope.from.replica
        switch envelope.message {
        case .transaction(let transaction):
            receiveTransaction(transaction, &c)
        case .redirect:
            c.outcome(.ignored(.redirect))
        case .propose(let proposal):
            receivePropose(proposal, &c)
        case .vote(let vote):
            if let sender { receiveVote(vote, from: sender, &c) }
        case .commit(let index, let ballot):
            receiveCommit(index: index, ballot: ballot, &c)
        case .ack(let index):
            if let sender { receiveAck(index: index, from: sender, &c) }
        case .heartbeat(let heartbeat):
            receiveHeartbeat(heartbeat, &c)
        case .heartbeatReply(let reply):
            if let sender { receiveHeartbeatReply(reply, from: sender, &c) }
        case .preVote(let candidacy):
            receivePreVote(candidacy, &c)
        case .preVoteReply(let answer):
            if let sender { receivePreVoteReply(answer, from: sender, &c) }
        case .candidacy(let candidacy):
            receiveCandidacy(candidacy, &c)
        case .promise(let promise):
            if let sender { receivePromise(promise, from: sender, &c) }
        case .requestLogRange(let ballot, let from, let to):
            receiveLogRequest(ballot: ballot, from: from, to: to, &c)
        case .logRange(let range):
            if let sender { receiveLogRange(range, from: sender, &c) }
        }
    }

    // MARK: - Time

    mutating func tick(_ c: inout Context) {
        if hasLeadership {
            leaderTick(&c)
        } else {
            ticksWithoutLeader += 1
            if ticksWithoutLeader >= electionTimeoutTicks {
                heartbeatTimedOut(&c)
            }
        }
        tickApplyCountdowns(&c)
    }

    /// How many ticks can pass for this replica with nothing happening: before its election timer fires or
    /// an apply it waits for falls due. 0 for a leader, whose every tick may send (heartbeats, a step-down).
    package var quietTicks: Int {
        guard !hasLeadership else { return 0 }
        var quiet = max(0, electionTimeoutTicks - ticksWithoutLeader - 1)
        if let soonest = applyCountdowns.min() { quiet = min(quiet, max(0, soonest - 1)) }
        return quiet
    }

    /// Lets up to ``quietTicks`` ticks pass at once: the same as that many `tick` inputs, which would do
    /// nothing but count, so there is nothing to report.
    package mutating func passQuietTicks(_ ticks: Int) {
        let ticks = min(max(0, ticks), quietTicks)
        guard ticks > 0 else { return }
        ticksWithoutLeader += ticks
        applyCountdowns = applyCountdowns.map { $0 - ticks }
    }

    // MARK: - Crash and restart

    /// Loses every volatile state; the log, the ballot, the commit and applied indexes and the data survive.
    mutating func crash() {
        becomeFollower(of: nil)
        failedElection = false
        applyCountdowns = []
        highestRound = promised.round
    }

    /// Comes back after a crash: committed entries not yet applied are applied per the commit policy.
    mutating func restart(_ c: inout Context) {
        highestRound = promised.round
        drawnTimeoutTicks = drawTimeout(&c)
        electionTimeoutTicks = drawnTimeoutTicks
        scheduleApplies(from: appliedIndex + 1, through: commitIndex, .restart, &c)
    }

    /// Draws a new election timeout, as after a policy switch; the time already waited counts.
    public mutating func redrawElectionTimeout(policies: Policies, config: ClusterConfig) -> [Effect] {
        Context.with(policies, config) { c in
            drawnTimeoutTicks = drawTimeout(&c)
            electionTimeoutTicks = drawnTimeoutTicks
            return c.effects
        }
    }

    /// The heartbeat interval or the base election timeout changed. Silence counted under the old timing
    /// says nothing under the new one (a follower that waited 3 ticks between heartbeats sent every 4 has
    /// heard nothing wrong, but would time out at once under a timeout of 2), so the clocks that watch a
    /// leader start over: a follower that follows one restarts its wait for a heartbeat, and a leader its
    /// count of ticks without a majority. A change of settings alone then deposes no healthy leader. A
    /// replica that follows nobody, or stands for election, keeps the time it waited.
    public mutating func timingChanged() {
        if hasLeadership {
            updateLeadership { leader in
                leader.ticksWithoutMajority = 0
                leader.heard = ReplicaSet()
            }
        } else if knownLeader != nil, election == nil {
            ticksWithoutLeader = 0
        }
    }

    /// Sets up `self` as the leader of `ballot` with an empty log (the `cluster N leader nK` start).
    public mutating func startAsLeader(ballot: Ballot, config: ClusterConfig) {
        promised = ballot
        highestRound = ballot.round
        becomeLeader(LeaderState(ballot: ballot, replicaCount: config.replicaCount))
    }

    /// Sets up `self` as a follower that promised `ballot` (the `cluster N leader nK` start).
    public mutating func startAsFollower(of ballot: Ballot) {
        promised = ballot
        highestRound = ballot.round
        knownLeader = ballot.ownerID
    }
}

extension Replica {
    /// Every other replica, in id order.
    func peers(_ config: ClusterConfig) -> [ReplicaID] {
        config.replicas.filter { $0 != id }
    }

    /// Sends `message` to every other replica, in id order (as `peers`, without building the list).
    /// With `alone`, a replica alone in its cluster records that local event instead of the broadcast it
    /// cannot send (a proposal, a commit: phases the flow must show); other broadcasts (heartbeats,
    /// elections) to no one leave nothing.
    func broadcast(_ message: Message, _ reason: @autoclosure () -> Reason, _ c: inout Context,
                   alone: @autoclosure () -> LocalEvent? = nil) {
        if c.config.replicaCount <= 1, let event = alone() {
            c.local(event, reason())
            return
        }
        c.sendToEach(message, from: id, numbers: 1..<(max(1, c.config.replicaCount) + 1), reason())
    }

    /// A view of this replica for the election policy.
    var voterView: VoterView {
        VoterView(id: id, role: role, promised: promised, lastIndex: log.lastIndex, lastBallot: log.lastBallot,
                  commitIndex: commitIndex, knownLeader: knownLeader)
    }

    /// Notes a ballot seen in any message, so a later candidacy goes above it.
    mutating func see(_ ballot: Ballot) {
        highestRound = max(highestRound, ballot.round)
    }

    // MARK: - Role transitions: the only writers of `state`

    /// Follows `ballot`'s owner, or nobody, as ``becomeFollower(of:)``; a leader first hands every transaction
    /// it queued and never proposed back to the client, redirected to the leader it now follows if it knows
    /// one, so that no transaction vanishes without a word when leadership is lost. Every transition out of
    /// leadership takes this one but a crash, which loses the queue with the replica.
    mutating func becomeFollower(of ballot: Ballot?, _ c: inout Context) {
        if let queue = readLeadership({ $0.queue }), !queue.isEmpty {
            let leader = ballot?.ownerID
            for transaction in queue {
                c.send(.redirect(transaction, leader: leader), from: id, to: .client,
                       .handsBack(transaction: transaction.id, knownLeader: leader))
            }
        }
        becomeFollower(of: ballot)
    }

    /// Leaves leadership or candidacy and follows `ballot`'s owner (or nobody), a leader's state dropped with
    /// it: a crash's transition, and the last step of ``becomeFollower(of:_:)``.
    mutating func becomeFollower(of ballot: Ballot?) {
        state = .follower
        knownLeader = ballot?.ownerID
        ticksWithoutLeader = 0
        if ballot != nil {
            failedElection = false
            electionTimeoutTicks = drawnTimeoutTicks
        }
    }

    /// Stands for election (a pre-vote or the real vote): follows nobody while it does.
    mutating func becomeCandidate(_ election: ElectionState) {
        state = .candidate(election)
        knownLeader = nil
        ticksWithoutLeader = 0
    }

    /// Leads with `leader`'s ballot.
    mutating func becomeLeader(_ leader: LeaderState) {
        state = .leader(leader)
        knownLeader = id
        failedElection = false
    }

    /// The election policy's timeout for this replica, kept by the core between the base timeout and
    /// ``ClusterConfig/longestElectionTimeoutTicks`` (no policy can stop progress by waiting for ever).
    mutating func drawTimeout(_ c: inout Context) -> Int {
        let base = max(1, c.config.electionTimeoutTicks)
        do {
            let drawn = try c.policies.election.electionTimeout(for: id, config: c.config, random: &random)
            return min(max(base, drawn), max(base, c.config.longestElectionTimeoutTicks))
        } catch {
            let policy = c.policies.electionName, ticks = c.config.electionTimeoutTicks
            c.outcome(.policyFailed(policy: policy, error: "\(error)", fallback: "timeout of \(ticks) tick\(ticks == 1 ? "" : "s")"))
            return base
        }
    }
}
