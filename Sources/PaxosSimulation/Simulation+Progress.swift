import PaxosCore

/// Why the cluster is not converged (Docs/Protocol.md, "Progress (liveness)"): the first problem found.
///
/// Converged means: a majority of replicas is up; exactly one live replica leads and has finished log
/// recovery; every other live replica follows it (role follower, knows it as leader, promised its ballot)
/// and hears it (no partition or one-way cut stands between the leader and it: such a follower's election
/// timer fires once the leader's heartbeats stop arriving, so the cluster would not stay so); the leader hears
/// a majority (no one-way cuts towards it from so many followers that their answers reach no majority: it
/// would step down); no message on its way to a live replica carries a round above the leader's (a reply
/// that would make it step down, a candidacy a follower might grant, a message of a later leader); no timer fires
/// before the leader's next heartbeat, or its answers, can reset it (the leader's step-down, a follower's
/// election timer), so the cluster stays so with no new fault; every live replica has applied every entry committed at any live replica; and
/// the leader has committed every entry of its log, so no work is under way that a message lost before the
/// faults stopped could hold up until the next heartbeat; and no client transaction is on its way to a live
/// replica (or back to the client in a redirect), which would start such work.
public enum Divergence: Hashable, Sendable, CustomStringConvertible {
    /// Fewer than a majority of replicas are up: `up` lists the live ones in id order.
    case noMajorityUp(up: [ReplicaID], needed: Int)
    /// No live replica is in role leader.
    case noLeader
    /// Several live replicas are in role leader, in id order.
    case severalLeaders([ReplicaID])
    /// The one leader has not finished log recovery, so it does not take new transactions yet.
    case leaderRecovering(ReplicaID, ballot: Ballot)
    /// A live replica is a candidate instead of following the leader: it stands for election with
    /// `ballot`, or, with `preVote`, only asks for pre-votes for it (it raised no ballot).
    case candidate(ReplicaID, ballot: Ballot, preVote: Bool, leader: ReplicaID)
    /// A live follower knows another replica as leader, or none (`follows` nil).
    case notFollowing(ReplicaID, follows: ReplicaID?, leader: ReplicaID)
    /// A live follower knows the leader but promised another ballot than the leader's.
    case promisedAnotherBallot(ReplicaID, promised: Ballot, leaderBallot: Ballot)
    /// The leader has heard from no majority for `ticks` ticks: it steps down within `within` ticks, before
    /// its next heartbeat's answers can come (a fault that just ended, such as a partition, still counts),
    /// so the cluster is not settled yet.
    case leaderLosingMajority(ReplicaID, ticks: Int, within: Int)
    /// A live follower has not heard its leader for `ticks` ticks: its election timer fires within `within`
    /// ticks, before the leader's next heartbeat reaches it (a fault that just ended still counts), so the
    /// cluster is not settled yet.
    case timerDue(ReplicaID, leader: ReplicaID, ticks: Int, within: Int)
    /// A live follower cannot hear the leader: a partition or a one-way cut from the leader to it stands, so
    /// its election timer fires once the leader's heartbeats stop arriving.
    case cutOff(ReplicaID, leader: ReplicaID, by: Network.Blocked)
    /// The leader cannot hear a majority: one-way cuts from the live followers `cutFrom` (in id order) to it
    /// stand, so their answers are lost and it steps down once no majority has answered it for long enough.
    case leaderUnheard(ReplicaID, cutFrom: [ReplicaID])
    /// Message `id`, of `kind`, from `from`, is on its way to live replica `to` with `carried`, a round above
    /// the leader's ballot `leaderBallot`; what it does when delivered is `effect`.
    case higherRoundUnderWay(id: Int, kind: EventKind, from: Endpoint, to: ReplicaID, carried: Ballot,
                             leaderBallot: Ballot, effect: HigherRoundEffect)
    /// A live replica has not applied an entry committed at some live replica; `index` is the first it lacks.
    case lacksCommitted(ReplicaID, index: Int)
    /// The leader holds entries it has not committed yet, from `index` to `last`: proposals are under way
    /// (or lost, until the next heartbeat's reply asks for them again).
    case uncommitted(ReplicaID, index: Int, last: Int)
    /// A client transaction is on its way: to live replica `to` (`.transaction`), or back to the client
    /// in a redirect (which it sends again, to the leader, unless it gives up). Once it reaches the leader it is proposed, and the cluster would stop
    /// being converged with no new fault (a transaction on its way to a replica that is down is lost).
    case transactionUnderWay(transaction: Int, to: Endpoint)

    /// One short line, such as `n3 lacks committed 1`.
    public var description: String {
        switch self {
        case .noMajorityUp(let up, let needed):
            guard !up.isEmpty else { return "no replica is up: a majority needs \(needed)" }
            let names = up.map(\.description).joined(separator: " ")
            return "only \(names) \(up.count == 1 ? "is" : "are") up: a majority needs \(needed)"
        case .noLeader:
            return "no leader"
        case .severalLeaders(let leaders):
            let names = leaders.map(\.description)
            guard let last = names.last, names.count > 1 else { return "\(names.first ?? "no one") leads" }
            let listed = names.dropLast().joined(separator: ", ") + " and " + last
            return "\(listed) \(names.count == 2 ? "both" : "all") lead"
        case .leaderRecovering(let id, let ballot):
            return "\(id) leads \(ballot) but is still recovering its log"
        case .candidate(let id, let ballot, true, let leader):
            return "\(id) asks for pre-votes for \(ballot) (it raised no ballot), not following the leader \(leader)"
        case .candidate(let id, let ballot, false, let leader):
            return "\(id) stands for election with \(ballot), not following the leader \(leader)"
        case .notFollowing(let id, let follows, let leader):
            return "\(id) follows \(follows.map(\.description) ?? "no one"), not the leader \(leader)"
        case .promisedAnotherBallot(let id, let promised, let leaderBallot):
            return "\(id) promised \(promised), not the leader's ballot \(leaderBallot)"
        case .leaderLosingMajority(let id, let ticks, let within):
            let when = within == 1 ? "at the next tick" : "within \(within) ticks, before its next heartbeat can be answered"
            return "\(id) has heard from no majority for \(ticks) tick\(ticks == 1 ? "" : "s"): it steps down \(when)"
        case .timerDue(let id, let leader, let ticks, let within):
            let when = within == 1 ? "at the next tick" : "within \(within) ticks, before \(leader)'s next heartbeat reaches it"
            return "\(id) has not heard its leader \(leader) for \(ticks) tick\(ticks == 1 ? "" : "s"): its election timer fires \(when)"
        case .cutOff(let id, let leader, .partitioned):
            return "\(id) cannot hear the leader \(leader): a partition stands between them (heal lifts it)"
        case .cutOff(let id, let leader, .cut):
            return "\(id) cannot hear the leader \(leader): the cut from \(leader) to \(id) stands (uncut \(leader) \(id) lifts it)"
        case .leaderUnheard(let id, let cutFrom):
            let names = cutFrom.map(\.description)
            let from = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
            let first = cutFrom.first.map { "uncut \($0) \(id)" } ?? "heal"
            return "\(id) hears no majority: the cut\(cutFrom.count == 1 ? "" : "s") from \(from) to \(id) stand\(cutFrom.count == 1 ? "s" : "") (\(first) lifts \(cutFrom.count == 1 ? "it" : "one")), so it would step down"
        case .higherRoundUnderWay(let id, let kind, let from, let to, let carried, let leaderBallot, let effect):
            let leader = leaderBallot.ownerID.map(\.description) ?? "the leader"
            let kind = String(kind.rawValue.map { $0 == "_" ? " " : $0 })
            switch effect {
            case .deposes:
                return "#\(id), \(from)'s \(kind) to \(to), carries its promise \(carried), above the leader's \(leaderBallot): delivered, it makes \(to) step down"
            case .preempts:
                return "#\(id), a \(kind) \(from) sent as leader of \(carried), is on its way to \(to): above \(to)'s \(leaderBallot), delivered, it makes \(to) step down"
            case .mayBeGranted:
                return "#\(id), \(from)'s candidacy for \(carried), is on its way to \(to): a round above the leader's \(leaderBallot), which \(to) may grant"
            case .drawsAway:
                return "#\(id), a \(kind) \(from) sent as leader of \(carried), is on its way to \(to): above \(leader)'s \(leaderBallot), delivered, it draws \(to) away from \(leader)"
            }
        case .lacksCommitted(let id, let index):
            return "\(id) lacks committed \(index)"
        case .uncommitted(let id, let index, let last):
            return "\(id) has not committed \(index == last ? "\(index)" : "\(index) to \(last)") yet: its proposals are under way"
        case .transactionUnderWay(let transaction, .client):
            return "a redirect of t\(transaction) is on its way to the client: the transaction is under way"
        case .transactionUnderWay(let transaction, let to):
            return "t\(transaction) is on its way to \(to): the client's transaction is under way"
        }
    }
}

/// What a message carrying a round above the leader's does when it is delivered.
public enum HigherRoundEffect: Hashable, Sendable {
    /// A heartbeat reply or a vote to the leader with a promise of a higher round: the leader steps down.
    case deposes
    /// A message only a leader sends, of a later leader, to the leader: it steps down and follows that one.
    case preempts
    /// A candidacy of a higher round to a follower: it may grant it (one whose leader is silent does).
    case mayBeGranted
    /// A message only a leader sends (heartbeat, proposal, commit, request_log_range) of a later leader, to a
    /// follower: it follows that leader.
    case drawsAway
}

extension Simulation {
    /// Why the cluster is not converged now, or nil when it is (Docs/Protocol.md, "Progress (liveness)").
    ///
    /// A pure read of the state. The checks run in the order of ``Divergence``'s cases (majority up, one
    /// leader, its recovery, every other live replica following and hearing it, every live replica applied every
    /// committed entry, the leader committed its whole log, no client transaction on its way), each scanning
    /// the replicas in id order (the in-flight items in id order), and the first problem found is reported.
    /// For one replica that does not follow, its role is checked first, then the leader it knows, then its
    /// promise.
    public func divergence() -> Divergence? {
        let live = replicas.filter { isAlive($0.id) }
        guard live.count >= config.majority else {
            return .noMajorityUp(up: live.map(\.id), needed: config.majority)
        }
        let leaders = live.filter { $0.role == .leader }
        guard let leader = leaders.first else { return .noLeader }
        guard leaders.count == 1 else { return .severalLeaders(leaders.map(\.id)) }
        let ballot = leader.leaderBallot ?? leader.promised
        guard leader.isReadyLeader else { return .leaderRecovering(leader.id, ballot: ballot) }
        // Settled, not just aligned: no timer left over from a fault fires before the leader's next heartbeat
        // (in `heartbeatIn` ticks) and its answers can reset it, unless what is on its way resets it first.
        let heartbeatIn = max(1, config.heartbeatIntervalTicks - (leader.leadership?.ticksSinceHeartbeat ?? 0))
        if let leadership = leader.leadership, config.majority > 1,
           leadership.ticksWithoutMajority.saturatingAdding(heartbeatIn) >= config.stepDownTicks,
           !answersOnTheirWay(to: leader.id, ballot: ballot, heard: leadership.heard) {
            return .leaderLosingMajority(leader.id, ticks: leadership.ticksWithoutMajority, within: heartbeatIn)
        }
        for replica in live where replica.id != leader.id {
            if let election = replica.election {
                return .candidate(replica.id, ballot: election.ballot, preVote: election.preVote, leader: leader.id)
            }
            if replica.knownLeader != leader.id {
                return .notFollowing(replica.id, follows: replica.knownLeader, leader: leader.id)
            }
            if replica.promised != ballot {
                return .promisedAnotherBallot(replica.id, promised: replica.promised, leaderBallot: ballot)
            }
            if replica.ticksWithoutLeader.saturatingAdding(heartbeatIn) >= replica.electionTimeoutTicks,
               !leaderMessageOnItsWay(from: leader.id, ballot: ballot, to: replica.id) {
                return .timerDue(replica.id, leader: leader.id, ticks: replica.ticksWithoutLeader, within: heartbeatIn)
            }
            if let blocked = network.blocked(from: .replica(leader.id), to: .replica(replica.id)) {
                return .cutOff(replica.id, leader: leader.id, by: blocked)
            }
        }
        let unheard = live.filter { $0.id != leader.id && network.blocked(from: .replica($0.id), to: .replica(leader.id)) != nil }
        if live.count - unheard.count < config.majority {
            return .leaderUnheard(leader.id, cutFrom: unheard.map(\.id))
        }
        let committed = live.map(\.commitIndex).max() ?? 0
        if let behind = live.first(where: { $0.appliedIndex < committed }) {
            return .lacksCommitted(behind.id, index: behind.appliedIndex + 1)
        }
        if leader.commitIndex < leader.log.lastIndex {
            return .uncommitted(leader.id, index: leader.commitIndex + 1, last: leader.log.lastIndex)
        }
        for flight in inFlight {
            guard case .message(let envelope) = flight.item else { continue }
            switch envelope.message {
            case .transaction(let transaction):
                if case .replica(let to) = envelope.to, isAlive(to) {
                    return .transactionUnderWay(transaction: transaction.id, to: envelope.to)
                }
            case .redirect(let transaction, _):
                return .transactionUnderWay(transaction: transaction.id, to: .client)
            default:
                // A message a standing partition or cut will drop, or to a replica that is down, does nothing.
                guard case .replica(let to) = envelope.to, isAlive(to), network.blocked(from: envelope.from, to: envelope.to) == nil,
                      let (carried, effect) = Self.higherRound(envelope.message, to: to, leader: leader.id, above: ballot),
                      effect != .mayBeGranted || config.breaks.contains(.voteTwiceInBallot)
                        || !replicas[to.number - 1].refusesBySticking(carried.ownerID ?? to, config: config)
                else { continue }
                return .higherRoundUnderWay(id: flight.id, kind: envelope.message.kind, from: envelope.from, to: to,
                                            carried: carried, leaderBallot: ballot, effect: effect)
            }
        }
        return nil
    }

    /// The round above `ballot`'s that `message`, on its way to `to`, carries, and what it does there; nil when
    /// it carries none or does nothing with it (a leader refuses a candidacy; a pre-vote binds no one; a
    /// promise or a log range reaches a leader that is no candidate and ignores it).
    /// Whether answers on their way to the leader under `ballot` (heartbeat replies, votes), with those it
    /// `heard` since its last majority, complete a majority: delivered before the next tick, they restart its
    /// count of ticks without one.
    private func answersOnTheirWay(to leader: ReplicaID, ballot: Ballot, heard: ReplicaSet) -> Bool {
        var answered = heard
        answered.insert(leader)
        for flight in inFlight {
            guard case .message(let envelope) = flight.item, envelope.to == .replica(leader),
                  case .replica(let from) = envelope.from, network.blocked(from: envelope.from, to: envelope.to) == nil
            else { continue }
            switch envelope.message {
            case .heartbeatReply(let reply) where reply.ballot == ballot && reply.promised.round <= ballot.round:
                answered.insert(from)
            case .vote(let vote) where vote.ballot == ballot:
                answered.insert(from)
            default:
                continue
            }
        }
        return answered.count >= config.majority
    }

    /// Whether a message of the leader's under `ballot` is on its way to `follower` (a heartbeat, a
    /// proposal, a commit, a request_log_range): delivered before the next tick, it restarts its timer.
    private func leaderMessageOnItsWay(from leader: ReplicaID, ballot: Ballot, to follower: ReplicaID) -> Bool {
        inFlight.contains { flight in
            guard case .message(let envelope) = flight.item, envelope.from == .replica(leader),
                  envelope.to == .replica(follower), network.blocked(from: envelope.from, to: envelope.to) == nil
            else { return false }
            return Self.leadersBallot(in: envelope.message) == ballot
        }
    }

    /// The ballot of a message only a leader sends (heartbeat, proposal, commit, request_log_range).
    private static func leadersBallot(in message: Message) -> Ballot? {
        switch message {
        case .heartbeat(let heartbeat): heartbeat.ballot
        case .propose(let proposal): proposal.ballot
        case .commit(_, let ballot), .requestLogRange(let ballot, _, _): ballot
        default: nil
        }
    }

    private static func higherRound(_ message: Message, to: ReplicaID, leader: ReplicaID, above ballot: Ballot)
        -> (Ballot, HigherRoundEffect)? {
        let toLeader = to == leader
        switch message {
        case .heartbeatReply(let reply) where toLeader && reply.ballot == ballot && reply.promised.round > ballot.round:
            return (reply.promised, .deposes)
        case .vote(let vote) where toLeader && vote.ballot == ballot:
            switch vote.rejection {
            case .ballotBelowPromise(let higher)?, .stale(let higher)?:
                return higher.round > ballot.round ? (higher, .deposes) : nil
            default:
                return nil
            }
        case .candidacy(let candidacy) where !toLeader && candidacy.ballot.round > ballot.round:
            return (candidacy.ballot, .mayBeGranted)
        default:
            guard let later = leadersBallot(in: message), later.round > ballot.round else { return nil }
            return (later, toLeader ? .preempts : .drawsAway)
        }
    }
}

extension ClusterConfig {
    /// A split this cluster can make, for errors: `partition n1 | n2` of two replicas, `partition n1 n2 | n3`
    /// (the others forming one more group) of more; nil for a cluster of one.
    public var partitionExample: String? {
        switch replicaCount {
        case ...1: nil
        case 2: "partition n1 | n2"
        default: "partition n1 n2 | n3"
        }
    }

    /// K of the progress property (`Docs/Progress.md`): once the faults stop, the cluster converges within
    /// this many ticks. With T the base election timeout, H the heartbeat interval and N the replicas:
    /// K = S + 2 (Tmax + Rmax), where S = T + H is how long a leader without a majority takes to step down,
    /// Tmax = 2T + N the longest timeout the core lets a policy draw, and Rmax = T + 2N - 1 the longest
    /// retry timeout after a failed election; that is K = 7T + H + 6N - 2. Saturates instead of trapping.
    public var progressBoundTicks: Int {
        let total = electionTimeoutTicks.saturatingMultiplied(by: 7).saturatingAdding(heartbeatIntervalTicks)
            .saturatingAdding(replicaCount.saturatingMultiplied(by: 6))
        return total == .max ? .max : max(0, total - 2)
    }
}

// MARK: - Once the faults stop

/// Why the cluster did not make progress once the faults stopped (`Docs/Progress.md`).
public enum ProgressFailure: Hashable, Sendable, CustomStringConvertible {
    /// `tick` ticks after the faults stopped, at or past the bound K, the cluster was not converged.
    case notConverged(tick: Int, bound: Int, Divergence)
    /// Deliveries went on without end, with no time passing.
    case messagesKeepFlowing(tick: Int)
    /// Converged, but the transaction submitted then was not applied at this live replica.
    case transactionNotApplied(ReplicaID)

    public var description: String {
        switch self {
        case .notConverged(let tick, let bound, let divergence):
            "not converged for good within K = \(counted(bound, "tick")) after the faults stopped: at tick \(tick), \(divergence)"
        case .messagesKeepFlowing(let tick):
            "at tick \(tick) after the faults stopped, messages kept flowing without time passing"
        case .transactionNotApplied(let replica):
            "converged, but a transaction submitted then is not applied at \(replica)"
        }
    }
}

extension ClusterConfig {
    /// The election timeout and heartbeat interval time passes with once the faults stop: this config's
    /// own when the timeout is above the heartbeat interval (the progress property assumes it: a follower
    /// must hear a heartbeat before it times out), else the playground's defaults.
    package var progressTiming: (timeout: Int, heartbeat: Int) {
        if electionTimeoutTicks > heartbeatIntervalTicks { return (electionTimeoutTicks, heartbeatIntervalTicks) }
        let defaults = ClusterConfig(replicaCount: replicaCount)
        return (defaults.electionTimeoutTicks, defaults.heartbeatIntervalTicks)
    }
}

extension Simulation {
    /// What ends the faults, as actions: heal the network if it is partitioned or cut; deliver, oldest
    /// first, every message in flight to a crashed replica, which loses it as a down replica loses whatever
    /// reaches it; then restart crashed replicas, lowest-numbered first, until a majority is up (`all`:
    /// every one of them). A restarted replica so starts from what it kept, not from messages sent before
    /// it came back (it catches up from the leader's heartbeats): whether such a message was lost or is
    /// still in flight then makes no difference, which lets the checker discard it at once (dead letters).
    package func faultsStopActions(restartingAll all: Bool) -> [Action] {
        var actions: [Action] = partition != nil || !cuts.isEmpty ? [.heal] : []
        if alive.contains(false) {
            for flight in inFlight {
                guard case .message(let envelope) = flight.item, case .replica(let to) = envelope.to, !isAlive(to) else { continue }
                actions.append(.deliver(flight.id))
            }
        }
        var up = alive.count { $0 }
        for (k, isUp) in alive.enumerated() where !isUp && (all || up < config.majority) {
            actions.append(.restart(ReplicaID(k + 1)))
            up += 1
        }
        return actions
    }

    /// A digest of everything that decides what happens next once the faults stop: the replicas (timers
    /// and generators included), which are up, the in-flight items in order, the network's partitions
    /// and cuts, the client, and the timing. Not stable across processes (it uses `Hasher`): for in-memory
    /// memos and cycle detection only.
    package func futureDigest() -> Int {
        var hasher = Hasher()
        hasher.combine(replicas)
        hasher.combine(alive)
        hasher.combine(inFlight.count)
        for flight in inFlight { hasher.combine(flight.item) }
        hasher.combine(partition)
        hasher.combine(cuts)
        hasher.combine(client)
        hasher.combine(config.electionTimeoutTicks)
        hasher.combine(config.heartbeatIntervalTicks)
        return hasher.finalize()
    }
}

/// Watches the ticks after the faults stop, one tick boundary (every due message delivered) at a time,
/// and decides whether the cluster converged for good within K. The cluster is deterministic once the
/// faults stop, so when the state at a boundary repeats an earlier one, what follows repeats for ever:
/// the watch can decide there. Otherwise it decides after 2K ticks, as the fault suite does.
package struct ProgressWatch: Sendable {
    package let bound: Int
    /// The last boundary at which the cluster was not converged, and why.
    package private(set) var lastDiverged: (tick: Int, divergence: Divergence)?
    private var digests: [Int] = []
    private var diverged: [Divergence?] = []

    package init(bound: Int) { self.bound = bound }

    package enum Decision: Hashable, Sendable {
        /// Converged for good from this tick on (0: it was already).
        case convergedFrom(Int)
        case failed(ProgressFailure)
    }

    /// Notes boundary `digests.count` (tick 0 is right after the faults stopped): its state's digest and
    /// divergence. Returns a decision once there is one.
    package mutating func observe(digest: Int, divergence: Divergence?) -> Decision? {
        let tick = digests.count
        if let divergence { lastDiverged = (tick, divergence) }
        if let earlier = digests.firstIndex(of: digest) {
            // Ticks earlier...tick-1 repeat for ever: a divergence among them comes back past any bound.
            if let first = diverged[earlier...].indices.first(where: { diverged[$0] != nil }), let why = diverged[first] {
                let period = tick - earlier
                let late = first + max(0, (bound - first + period - 1) / period) * period
                return .failed(.notConverged(tick: late, bound: bound, why))
            }
            return decide()
        }
        digests.append(digest)
        diverged.append(divergence)
        if tick >= 2 * bound { return decide() }
        return nil
    }

    private func decide() -> Decision {
        guard let (tick, divergence) = lastDiverged else { return .convergedFrom(0) }
        return tick >= bound ? .failed(.notConverged(tick: tick, bound: bound, divergence)) : .convergedFrom(tick + 1)
    }
}
