// §3(2) Election. A replica whose election timeout fired first asks for a pre-vote: "would you vote for me
// under a ballot above every round you promised?" A voter says yes only if it has not heard its own leader
// within the election timeout (leader stickiness), the round is above its promise, and its election policy
// prefers the candidate; the pre-vote binds nobody and raises no ballot, so a replica that cannot win (cut
// off, rejoining, or behind) never disturbs a leader that still hears a majority. With a majority of yeses
// the replica stands for real: it asks every replica to let it lead under a ballot above every round it has
// seen. A voter grants at most one candidate per round (the core's rule, a Paxos promise), and only one it
// would pre-vote for. A majority of grants, the candidate's own counted, makes it leader.
//
// Elections settle. A candidate that lost its round stands aside and follows: it hears a leader of its
// round or above, or a majority refused it, or its timeout passed without a majority. It then waits its
// retry timeout (``ClusterConfig/retryTimeoutTicks(of:)``), different for every replica, and a retry waits
// the base election timeout for its majority, the same for every replica (not the policy's draw), so
// candidates that failed together never collide again. A promise to a candidate whose round another leader
// won is withdrawn.

extension Replica {
    /// The first step of standing: asks every replica whether it would grant a ballot above every round
    /// seen. Nothing is promised yet.
    mutating func askPreVote(_ c: inout Context) {
        let ballot = Ballot(round: max(highestRound, promised.round) + 1, owner: id)
        guard c.config.majority > 1 else {
            becomeCandidate(ElectionState(ballot: ballot, preVote: true, granted: ReplicaSet(id), highestLastIndex: log.lastIndex))
            stand(&c)
            return
        }
        preVotes = min(preVotes + 1, Int(UInt32.max))  // as many as a message carries
        becomeCandidate(ElectionState(ballot: ballot, preVote: true, granted: ReplicaSet(id), highestLastIndex: log.lastIndex,
                                      attempt: preVotes))
        let candidacy = Candidacy(ballot: ballot, lastIndex: log.lastIndex, lastBallot: log.lastBallot,
                                  retry: failedElection, attempt: preVotes)
        broadcast(.preVote(candidacy), .asksPreVote(ballot: ballot), &c)
    }

    /// Why this replica would not vote for `candidacy` now, or nil if it would (pre-vote and real vote alike).
    /// Leader stickiness: a replica that follows a leader and heard it within the base election timeout
    /// refuses any other candidate (the vote's rule, and what the converged verdict reads of a candidacy on
    /// its way).
    public func refusesBySticking(_ candidate: ReplicaID, config: ClusterConfig) -> Bool {
        guard let leader = knownLeader, leader != candidate else { return false }
        return ticksWithoutLeader < config.electionTimeoutTicks
    }

    /// The three rules that keep a voter to one candidate a round, whatever its policy says: it promised
    /// another ballot of that round or a later one; it leads; it follows a leader it heard within the base
    /// election timeout (leader stickiness). `set break vote-twice-in-ballot` skips them.
    func oneCandidateRefusal(of ballot: Ballot, by candidate: ReplicaID, config: ClusterConfig) -> Refusal? {
        if ballot.round <= promised.round, ballot != promised {
            return .alreadyPromised(voter: id, promised: promised)
        }
        if let leading = leaderBallot, leading != ballot {
            return .leads(voter: id, ballot: leading)
        }
        if refusesBySticking(candidate, config: config), let leader = knownLeader {
            return .followsLeader(voter: id, leader: leader, ticksAgo: ticksWithoutLeader, timeout: config.electionTimeoutTicks)
        }
        return nil
    }

    /// What a grant under `set break vote-twice-in-ballot` overrides: the one-candidate rule that refuses it.
    func grantAgainstRule(of ballot: Ballot, by candidate: ReplicaID, config: ClusterConfig) -> Refusal? {
        config.breaks.contains(.voteTwiceInBallot) ? oneCandidateRefusal(of: ballot, by: candidate, config: config) : nil
    }

    mutating func refusal(of candidacy: Candidacy, _ c: inout Context) -> Refusal? {
        let ballot = candidacy.ballot
        guard let candidate = ballot.ownerID else { return .noOwner(ballot: ballot) }
        if !c.breaks.contains(.voteTwiceInBallot), let why = oneCandidateRefusal(of: ballot, by: candidate, config: c.config) {
            return why
        }
        // A policy shapes a candidate's first attempt only: a retry after a failed election is judged by
        // the core's rules alone, so no policy, however it answers, can keep a live majority leaderless.
        if candidacy.retry { return nil }
        let view = CandidateView(id: candidate, ballot: ballot, lastIndex: candidacy.lastIndex,
                                 lastBallot: candidacy.lastBallot)
        do {
            switch try c.policies.election.preference(of: voterView, for: view, config: c.config) {
            case .grant: return nil
            case .refuse(let why): return .policy(why)
            }
        } catch {
            let policy = c.policies.electionName
            c.outcome(.policyFailed(policy: policy, error: "\(error)", fallback: "refuse the vote"))
            return .policyFailed(policy: policy)
        }
    }

    mutating func receivePreVote(_ candidacy: Candidacy, _ c: inout Context) {
        let ballot = candidacy.ballot
        guard let candidate = ballot.ownerID else { return }
        if ballot == promised {
            // It promised this very ballot already: the candidate has stood with it, and this is a late copy
            // of its pre-vote. It would grant it again, as it grants a copy of the candidacy.
            let answer = Promise(ballot: ballot, refusal: nil, promised: promised, lastIndex: log.lastIndex,
                                 attempt: candidacy.attempt)
            c.send(.preVoteReply(answer), from: id, to: .replica(candidate),
                   .grantsAgain(ballot: ballot, followsIt: knownLeader == candidate, preVote: true))
            return
        }
        let why = refusal(of: candidacy, &c)
        let answer = Promise(ballot: ballot, refusal: why, promised: promised, lastIndex: log.lastIndex,
                             attempt: candidacy.attempt)
        let reason: Reason
        if let why {
            reason = .refusesPreVote(ballot: ballot, why: why)
        } else if let rule = grantAgainstRule(of: ballot, by: candidate, config: c.config) {
            reason = .grantsAgainstRule(ballot: ballot, preVote: true, rule: rule)
        } else {
            let leader = voterLeader(candidate: candidate)
            reason = candidacy.retry ? .grantsRetryPreVote(ballot: ballot, leader: leader)
                : .grantsPreVote(ballot: ballot, leader: leader)
        }
        c.send(.preVoteReply(answer), from: id, to: .replica(candidate), reason)
    }

    /// Why the leader this replica follows, if any, does not keep it from granting `candidate` a pre-vote.
    /// Asked only when no one-candidate rule refuses: a leader it follows, other than the candidate, has been
    /// silent for the base election timeout at least (leader stickiness would refuse otherwise).
    private func voterLeader(candidate: ReplicaID) -> VoterLeader {
        guard let leader = knownLeader else { return .none }
        return leader == candidate ? .candidate : .silent(leader, ticks: ticksWithoutLeader)
    }

    mutating func receivePreVoteReply(_ answer: Promise, from voter: ReplicaID, _ c: inout Context) {
        see(answer.promised)
        // The pre-vote it asks now, if any: only answers to that one count.
        var asking: (ballot: Ballot, attempt: Int)?
        if let election, election.preVote { asking = (election.ballot, election.attempt) }
        guard let asking, asking.ballot == answer.ballot, asking.attempt == answer.attempt, var state = election else {
            // Asking for the same ballot again: the answer is to an earlier pre-vote of it.
            let again = asking?.ballot == answer.ballot ? asking?.attempt : nil
            c.outcome(.stalePreVote(ballot: answer.ballot, attempt: answer.attempt, askingAgainIn: again))
            return
        }
        if !answer.granted, answer.promised.round >= state.ballot.round {
            // The voter promised a round at or above the one asked for: ask again above it, at once.
            c.outcome(.asksAbove(ballot: state.ballot, promised: answer.promised))
            askPreVote(&c)
            return
        }
        if answer.granted { state.granted.insert(voter) } else { state.refused.insert(voter) }
        election = state
        let needed = c.config.majority
        if state.granted.count >= needed {
            stand(&c)
        } else if state.refused.count >= needed {
            standAside(.preVoteRefused(state.refused.members), &c)
        } else {
            c.outcome(.countsPreVote(ballot: state.ballot, granted: state.granted.members,
                                     refused: state.refused.members, needed: needed))
        }
    }

    /// Stands for election under a new ballot, voting for itself.
    mutating func stand(_ c: inout Context) {
        highestRound = max(highestRound, promised.round) + 1
        let ballot = Ballot(round: highestRound, owner: id)
        promised = ballot
        becomeCandidate(ElectionState(ballot: ballot, preVote: false, granted: ReplicaSet(id), highestLastIndex: log.lastIndex))
        let candidacy = Candidacy(ballot: ballot, lastIndex: log.lastIndex, lastBallot: log.lastBallot,
                                  retry: failedElection)
        broadcast(.candidacy(candidacy), .stands(ballot: ballot), &c)
        if c.config.majority <= 1 { lead(&c) }
    }

    mutating func receiveCandidacy(_ candidacy: Candidacy, _ c: inout Context) {
        let ballot = candidacy.ballot
        see(ballot)
        guard let candidate = ballot.ownerID else { return }
        if ballot == promised {
            // It promised this ballot already (it granted a copy of this candidacy, or it follows the ballot's
            // leader): the same grant again. Nothing changes: a follower of that leader keeps following it.
            c.send(.promise(Promise(ballot: ballot, refusal: nil, promised: promised, lastIndex: log.lastIndex)),
                   from: id, to: .replica(candidate), .grantsAgain(ballot: ballot, followsIt: knownLeader == candidate, preVote: false))
            return
        }
        if let why = refusal(of: candidacy, &c) {
            c.send(.promise(Promise(ballot: ballot, refusal: why, promised: promised, lastIndex: log.lastIndex)),
                   from: id, to: .replica(candidate), .refuses(ballot: ballot, why: why))
            return
        }
        let againstRule = grantAgainstRule(of: ballot, by: candidate, config: c.config)
        promised = ballot
        becomeFollower(of: nil, &c)
        c.send(.promise(Promise(ballot: ballot, refusal: nil, promised: promised, lastIndex: log.lastIndex)),
               from: id, to: .replica(candidate),
               againstRule.map { .grantsAgainstRule(ballot: ballot, preVote: false, rule: $0) }
                   ?? (candidacy.retry ? .grantsRetry(ballot: ballot) : .grants(ballot: ballot)))
    }

    mutating func receivePromise(_ promise: Promise, from voter: ReplicaID, _ c: inout Context) {
        see(promise.promised)
        guard role == .candidate, var state = election, !state.preVote, state.ballot == promise.ballot else {
            c.outcome(.stalePromise(ballot: promise.ballot))
            return
        }
        let needed = c.config.majority
        if promise.granted {
            state.granted.insert(voter)
            state.highestLastIndex = max(state.highestLastIndex, promise.lastIndex)
        } else {
            state.refused.insert(voter)
        }
        election = state
        if state.granted.count >= needed {
            lead(&c)
        } else if state.refused.count >= needed, !c.breaks.contains(.noStandAside) {
            standAside(.refused(state.refused.members), &c)
        } else {
            c.outcome(.countsPromise(ballot: state.ballot, granted: state.granted.members,
                                     refused: state.refused.members, needed: needed))
        }
    }

    /// A candidate that lost its round follows nobody and waits its retry timeout, different for every
    /// replica, before it asks again.
    mutating func standAside(_ cause: StandAsideCause, _ c: inout Context) {
        guard let state = election else { return }
        let retry = c.config.retryTimeoutTicks(of: id)
        c.outcome(.standsAside(ballot: state.ballot, preVote: state.preVote, cause: cause, retryTicks: retry))
        becomeFollower(of: nil, &c)
        failedElection = true
        electionTimeoutTicks = retry
    }

    /// A message only an elected leader sends (heartbeat, proposal, commit, request_log_range) came under
    /// `ballot`. This replica follows that leader: a candidate stands aside, a leader of a lower ballot
    /// steps down, and a promise to a candidate of the same round is withdrawn (that candidate lost its
    /// round: voters grant one candidate per round, and a majority granted `ballot`, so it can never win
    /// it). Returns false, following nobody, when `ballot` is below the promise in an earlier round: stale.
    mutating func hearLeader(_ ballot: Ballot, _ c: inout Context) -> Bool {
        see(ballot)
        if let own = leaderBallot, own == ballot { return true }
        if ballot < promised {
            guard ballot.round == promised.round, !hasLeadership, !c.breaks.contains(.noStandAside) else { return false }
            c.outcome(.withdraws(promised: promised, leader: ballot))
            promised = ballot
        }
        promised = max(promised, ballot)
        if hasLeadership || role != .follower || knownLeader != ballot.ownerID {
            if let state = election {
                c.outcome(.standsAside(ballot: state.ballot, preVote: state.preVote, cause: .heardLeader(ballot),
                                       retryTicks: electionTimeoutTicks))
            } else if hasLeadership {
                c.outcome(.preempted(by: ballot))
            }
            becomeFollower(of: ballot, &c)
        }
        ticksWithoutLeader = 0
        return true
    }

    /// A leader learned that `replica` promised a round above its own: that replica refuses all it sends.
    /// It steps down. If no newer leader exists, it times out first (its followers still count it as their
    /// leader, so they refuse anyone else's pre-vote for an election timeout but grant its own) and stands
    /// above that round; if one exists, its heartbeat arrives and this replica follows it.
    mutating func stepDown(learnedRound round: Int, from replica: ReplicaID, _ c: inout Context) {
        c.outcome(.learnsHigherRound(round: round, replica: replica))
        highestRound = max(highestRound, round)
        becomeFollower(of: nil, &c)
    }

    /// A majority promised: lead, and recover the log before anything new. The voters learn of the new
    /// leader at once from its `request_log_range` (or, with nothing to recover, from a heartbeat); the
    /// others from its first heartbeat.
    mutating func lead(_ c: inout Context) {
        // A candidate that has since promised a higher ballot cannot lead under its own.
        guard let state = election, !state.preVote, state.ballot == promised else { return }
        var leader = LeaderState(ballot: state.ballot, replicaCount: c.config.replicaCount)
        leader.noteAck(appliedIndex, from: id)
        becomeLeader(leader)
        let recovers = c.config.recovery
        c.local(.elected(state.ballot), .elected(ballot: state.ballot, granted: state.granted.members, recovers: recovers))
        startRecovery(askFrom: state.granted, upTo: state.highestLastIndex, &c)
    }
}
