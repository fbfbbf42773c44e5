// §2(4) Commit and apply: the leader commits an entry only after accept votes from a majority (more than
// N/2, its own counted) for the entry's ballot, then tells every replica. The leader applies at once;
// followers apply per the commit policy. Entries are applied in index order, one at a time.

extension Replica {
    mutating func receiveVote(_ vote: Vote, from voter: ReplicaID, _ c: inout Context) {
        see(vote.ballot)
        // Reads the leader state where it lies and changes it in place: a copy would copy its tables.
        guard let ballot = leaderBallot, vote.ballot == ballot else {
            c.outcome(.staleVote(index: vote.index, ballot: vote.ballot, current: leaderBallot))
            return
        }
        let me = id
        let (majority, recorded) = (c.config.majority, vote.rejection == nil && vote.index >= log.start)
        updateLeadership { leader in
            leader.noteHeard(voter, leader: me, majority: majority)
            // A late accept for an entry already cleaned up counts for nothing: keep no record of it.
            if recorded { leader.accepts[vote.index, default: ReplicaSet()].insert(voter) }
        }
        switch vote.rejection {
        case nil:
            countAccepts(at: vote.index, &c)
        case .gap(let logEnd)?:
            fillGap(after: logEnd, through: vote.index, of: voter, &c)
        case .ballotBelowPromise(let higher)?, .stale(let higher)?:
            see(higher)
            guard higher.round > ballot.round else {
                // A higher ballot of this leader's own round is a rival candidate's promise to itself. It lost:
                // voters grant one ballot per round and a majority granted this one, so it never leads this
                // round. Stepping down would let the two time out together again and duel round after round;
                // the leader keeps leading with the others until the rival stands in a later round.
                c.outcome(.ignored(.rivalOfWonRound(ballot: ballot, rival: higher)))
                return
            }
            stepDown(learnedRound: higher.round, from: voter, &c)
        }
    }

    /// A follower's log ends at `logEnd`, below `index`, which it rejected: re-sends it the entries it
    /// misses, up to `index`, but not the ones already re-sent for a gap since the last heartbeat (they are
    /// on their way, or lost; the next heartbeat's reply asks for what is still missing).
    mutating func fillGap(after logEnd: Int, through index: Int, of follower: ReplicaID, _ c: inout Context) {
        let resent = readLeadership { $0.gapResentIndex(of: follower) } ?? 0
        guard resent < index else {
            c.outcome(.gapResentAlready(follower: follower, logEnd: logEnd, index: index, resentThrough: resent))
            return
        }
        updateLeadership { $0.noteGapResent(through: index, to: follower) }
        resend(from: max(logEnd, resent) + 1, through: index, to: follower, cause: .gap(logEnd: logEnd), &c)
    }

    /// Commits entry `index` once a majority accepted it under the leader's ballot, and says how far it is.
    mutating func countAccepts(at index: Int, _ c: inout Context) {
        // The entry's status is read in place; its records only when an observation is built.
        guard let ballot = leaderBallot, let status = log.status(at: index) else {
            c.outcome(.alreadyCommitted(index: index, acceptors: []))
            return
        }
        let acceptors = readLeadership { $0.accepts[index] ?? ReplicaSet() } ?? ReplicaSet()
        let needed = c.breaks.contains(.commitWithoutMajority) ? 1 : c.config.majority
        if status > .accepted {
            c.outcome(.alreadyCommitted(index: index, acceptors: acceptors.members))
        } else if acceptors.count < needed {
            // Right after proposing, only the leader's own accept is in: nothing to say yet.
            if acceptors != ReplicaSet(id) {
                c.outcome(.countsAccept(index: index, ballot: ballot, acceptors: acceptors.members, needed: needed))
            }
        } else {
            log.setStatus(.committed, at: index)
            let replicas = c.config.replicaCount
            c.observe(.committed(index: index, ballot: ballot, redo: log[index]?.redo ?? [], acceptors: acceptors.members))
            let majority = c.config.majority
            broadcast(.commit(index: index, ballot: ballot),
                      acceptors.count < majority
                          ? .commitsWithoutMajority(index: index, ballot: ballot, acceptors: acceptors.members, needed: majority)
                          : .majority(index: index, ballot: ballot, acceptors: acceptors.members, replicas: replicas), &c,
                      alone: .commitsAlone(index: index, ballot: ballot))
            advanceCommitIndex()
            applyCommitted(.leaderCommit, &c)
            proposeQueued(&c)
        }
    }

    /// A follower learns that entry `index` is committed under `ballot`.
    mutating func receiveCommit(index: Int, ballot: Ballot, _ c: inout Context) {
        // Only a leader with a majority for `ballot` commits under it: follow it. A stale commit still
        // says what was chosen at `index`.
        _ = hearLeader(ballot, &c)
        if index < log.start || (log.ballot(at: index) == ballot && log.status(at: index) == .applied) {
            // Applied already: the leader has no ack of it from this replica (it missed the ack, or it is a
            // new leader that re-proposed the entry).
            c.send(.ack(index: index), from: id, to: .replica(ballot.ownerID ?? id),
                   .reacks(index: index, leader: ballot, cleaned: index < log.start))
            return
        }
        guard log.ballot(at: index) == ballot else {
            c.outcome(.cannotCommit(index: index, ballot: ballot, holds: log.ballot(at: index)))
            return
        }
        guard log.status(at: index) == .accepted else {
            c.outcome(.ignored(.alreadyCommitted(index: index)))
            return
        }
        log.setStatus(.committed, at: index)
        c.observe(.committed(index: index, ballot: ballot, redo: log[index]?.redo ?? [], acceptors: nil))
        if c.breaks.contains(.applyOutOfOrder) {
            let applied = appliedIndex
            if index > applied {
                apply(index, .appliesOutOfOrder(index: index), &c)
            } else {
                c.outcome(.ignored(.appliedPast(index: index, applied: applied)))
            }
            return
        }
        guard index > appliedIndex else {
            // Only an unsafe run gets here: other records were applied at this index before.
            c.outcome(.ignored(.divergedAt(index: index, ballot: ballot)))
            return
        }
        let before = commitIndex
        advanceCommitIndex()
        if commitIndex == before {
            c.outcome(.commitWaitsForGap(index: index, commitIndex: commitIndex))
        }
        scheduleApplies(from: before + 1, through: commitIndex, .commitMessage, &c)
    }

    /// Moves the commit index over every contiguous committed entry.
    mutating func advanceCommitIndex() {
        while let status = log.status(at: commitIndex + 1), status >= .committed {
            commitIndex += 1
        }
    }

    /// Applies (or schedules the applying of) entries `from...through` per the commit policy.
    mutating func scheduleApplies(from: Int, through: Int, _ trigger: ApplyTrigger, _ c: inout Context) {
        guard from <= through else { return }
        for index in from..<(through + 1) {  // half-open: a closed range's iteration is not specialised
            let mode: ApplyMode
            do {
                mode = try c.policies.commit.applyMode(for: id, index: index, config: c.config)
            } catch {
                let policy = c.policies.commitName
                c.outcome(.policyFailed(policy: policy, error: "\(error)", fallback: "apply at once"))
                mode = .immediately
            }
            switch mode {
            case .immediately:
                applyCommitted(trigger, &c)
            case .separateEvent:
                // The apply first: the outcome that says so follows it, and the trace names the apply's id.
                c.queueApply()
                c.outcome(.learnsCommit(index: index, ballot: log[index]?.ballot ?? promised, mode: mode))
            case .afterTicks(let ticks):
                c.outcome(.learnsCommit(index: index, ballot: log[index]?.ballot ?? promised, mode: mode))
                applyCountdowns.append(max(0, ticks))
            }
        }
    }

    /// Applies every committed entry not yet applied, in order.
    mutating func applyCommitted(_ trigger: ApplyTrigger, _ c: inout Context) {
        while appliedIndex < commitIndex {
            apply(appliedIndex + 1, trigger, &c)
        }
    }

    /// The `apply nK` event: applies the next committed entry, if there is one.
    mutating func applyNextCommitted(_ trigger: ApplyTrigger, _ c: inout Context) {
        guard appliedIndex < commitIndex else {
            c.outcome(.nothingToApply(appliedIndex: appliedIndex, commitIndex: commitIndex))
            return
        }
        apply(appliedIndex + 1, trigger, &c)
    }

    mutating func tickApplyCountdowns(_ c: inout Context) {
        guard !applyCountdowns.isEmpty else { return }
        applyCountdowns = applyCountdowns.map { $0 - 1 }
        while let first = applyCountdowns.first, first <= 0 {
            applyCountdowns.removeFirst()
            applyNextCommitted(.timer, &c)
        }
    }

    /// Applies entry `index` to the data, then (a follower) acks it to the leader.
    mutating func apply(_ index: Int, _ trigger: ApplyTrigger, _ c: inout Context) {
        apply(index, .applies(index: index, trigger: trigger), &c)
    }

    /// Applies entry `index`, for `reason` (built only when the step records reasons).
    mutating func apply(_ index: Int, _ reason: @autoclosure () -> Reason, _ c: inout Context) {
        guard let entry = log[index] else { return }
        data.apply(entry.redo)
        log.setStatus(.applied, at: index)
        appliedIndex = max(appliedIndex, index)
        c.observe(.applied(index: index, redo: entry.redo))
        c.local(.apply(index: index, redo: entry.redo), reason())
        if hasLeadership {
            let (applied, me) = (appliedIndex, id)
            updateLeadership { $0.noteAck(applied, from: me) }
            // Alone in its cluster, the leader's own ack is every replica's: no ack will arrive to clean up on.
            if c.config.replicaCount == 1 { cleanUp(after: index, &c) }
        } else if let target = knownLeader ?? promised.ownerID, target != id {
            c.send(.ack(index: index), from: id, to: .replica(target), .acks(index: index))
        }
    }
}
