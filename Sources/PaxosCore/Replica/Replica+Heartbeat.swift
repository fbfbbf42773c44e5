// §3(1) Heartbeat and timeout: the leader sends a heartbeat to every follower each heartbeat interval. A
// follower answers it with where its log ends and what it applied, and the leader sends it at once what it
// misses (proposals it did not accept, commits of entries it did not apply): catch-up is driven by these
// answers, as §3(3) has followers return the missing redo log, not by a timer alone. A leader that hears
// from no majority for an election timeout and a heartbeat interval has lost its majority and steps down.
// A follower that hears no leader it can follow for its election timeout reports "Leader heartbeat
// timeout" to the monitor, and failure recovery starts (`Replica+Election`: a pre-vote first).

extension Replica {
    mutating func leaderTick(_ c: inout Context) {
        guard var leader = leadership else { return }
        leader.ticksSinceHeartbeat += 1
        leader.ticksWithoutMajority += 1
        if leader.ticksWithoutMajority >= c.config.stepDownTicks, c.config.majority > 1 {
            leadership = leader
            stepDown(&c)
            return
        }
        guard leader.ticksSinceHeartbeat >= c.config.heartbeatIntervalTicks else {
            leadership = leader
            return
        }
        leader.ticksSinceHeartbeat = 0
        leadership = leader
        sendHeartbeat(&c)
        if let recovery = leader.recovery {
            for peer in c.config.replicas where peer != id && !recovery.replied.contains(peer) {
                c.send(.requestLogRange(ballot: leader.ballot, from: recovery.from, to: recovery.to), from: id,
                       to: .replica(peer), .requestsLogRange(from: recovery.from, to: recovery.to))
            }
        }
    }

    /// Sends a heartbeat to every follower, and marks how far the log and the commits went before it.
    mutating func sendHeartbeat(_ c: inout Context) {
        guard let ballot = leaderBallot else { return }
        let (lastIndex, committed) = (log.lastIndex, commitIndex)
        updateLeadership { leader in
            leader.markedLastIndex = lastIndex
            leader.markedCommitIndex = committed
            // The replies to this heartbeat say what is still missing: a gap may be filled once more.
            for k in leader.gapResent.indices { leader.gapResent[k] = 0 }
        }
        let heartbeat = Heartbeat(ballot: ballot, commitIndex: commitIndex, cleanupIndex: cleanupIndex)
        broadcast(.heartbeat(heartbeat), .heartbeat(ballot: ballot, commitIndex: commitIndex), &c)
    }

    /// A leader that heard from no majority (itself counted) for ``ClusterConfig/stepDownTicks`` ticks
    /// leaves leadership: it may be cut off, and a majority elsewhere may elect another.
    mutating func stepDown(_ c: inout Context) {
        guard let leader = leadership else { return }
        var heard = leader.heard
        heard.insert(id)
        c.local(.stepDown(leader.ballot),
                .lostMajority(ballot: leader.ballot, ticks: leader.ticksWithoutMajority, heard: heard.members))
        becomeFollower(of: nil, &c)
    }

    mutating func receiveHeartbeat(_ heartbeat: Heartbeat, _ c: inout Context) {
        guard hearLeader(heartbeat.ballot, &c) else {
            // Stale: answered with the promise, so a leader left behind learns it is.
            c.send(.heartbeatReply(reply(to: heartbeat.ballot)), from: id, to: .replica(heartbeat.ballot.ownerID ?? id),
                   .ignoresStaleLeader(ballot: heartbeat.ballot, promised: promised))
            return
        }
        let cleanable = min(heartbeat.cleanupIndex, appliedIndex)
        var cleaned: Int?
        if cleanable >= log.start {
            log.removeEntries(through: cleanable)
            cleaned = cleanable
        }
        c.send(.heartbeatReply(reply(to: heartbeat.ballot)), from: id, to: .replica(heartbeat.ballot.ownerID ?? id),
               .followsLeader(ballot: heartbeat.ballot, cleanedThrough: cleaned, logEnd: log.lastIndex, applied: appliedIndex))
    }

    private func reply(to ballot: Ballot) -> HeartbeatReply {
        HeartbeatReply(ballot: ballot, promised: promised, logEnd: log.lastIndex, appliedIndex: appliedIndex)
    }

    /// The leader reads a follower's answer: it heard from it, and sends it what it misses.
    mutating func receiveHeartbeatReply(_ reply: HeartbeatReply, from follower: ReplicaID, _ c: inout Context) {
        see(reply.promised)
        guard let ballot = leaderBallot, reply.ballot == ballot else {
            c.outcome(.ignored(.lateHeartbeatReply(ballot: reply.ballot)))
            return
        }
        if reply.promised.round > ballot.round {
            stepDown(learnedRound: reply.promised.round, from: follower, &c)
            return
        }
        let me = id
        let majority = c.config.majority
        updateLeadership { $0.noteHeard(follower, leader: me, majority: majority) }
        if c.breaks.contains(.noCatchUp) {
            c.outcome(.readsNoPosition(follower: follower, logEnd: reply.logEnd, applied: reply.appliedIndex))
        } else {
            let sent = c.produced
            retransmit(to: follower, applied: reply.appliedIndex, &c)
            if c.produced == sent {
                c.outcome(.followerUpToDate(follower: follower, logEnd: reply.logEnd, applied: reply.appliedIndex))
            }
        }
        noteApplied(reply.appliedIndex, by: follower, &c)
    }

    /// Sends `follower` every proposal it has not accepted under this ballot and the commit of every entry
    /// it has not applied, above `applied` (what its heartbeat reply said it applied), of those sent before
    /// the last heartbeat. All at once, not a window's worth per heartbeat: a follower far behind (a long
    /// partition while the leader committed hundreds of entries) then catches up within one heartbeat
    /// round, whatever its backlog, as the progress bound K assumes. A committed entry it had not accepted
    /// goes as its proposal and its commit at once. While the leader recovers, only committed entries go:
    /// the others are not settled until recovery ends.
    ///
    /// An ack says the follower applied the entry, not that it accepted it under this ballot: entries this
    /// leader has not committed yet are proposed again even to a follower that acked them (an ack from an
    /// earlier leader's time), or the leader would wait forever for the accepts that commit them.
    func retransmit(to follower: ReplicaID, applied: Int, _ c: inout Context) {
        guard let leader = leadership else { return }
        let confirmed = min(max(leader.ackedIndex(of: follower), applied), commitIndex)
        let through = min(leader.isRecovering ? commitIndex : log.lastIndex, leader.markedLastIndex)
        for entry in log.entries(from: max(log.start, confirmed + 1), through: through) {
            let accepted = leader.accepts[entry.index]?.contains(follower) == true
            let committed = entry.status > .accepted && entry.index <= leader.markedCommitIndex
            guard !accepted || committed else { continue }
            if !accepted {
                c.send(.propose(Proposal(entry, ballot: leader.ballot)), from: id, to: .replica(follower),
                       .resends(index: entry.index, ballot: leader.ballot, cause: .retransmit))
            }
            if committed {
                c.send(.commit(index: entry.index, ballot: leader.ballot), from: id, to: .replica(follower),
                       .retransmitsCommit(index: entry.index, ballot: leader.ballot))
            }
        }
    }

    /// The election timeout fired. A candidate whose election reached no majority in time stands aside and
    /// waits its retry timeout; a follower reports "Leader heartbeat timeout" to the monitor and, if its
    /// policy says so, asks for a pre-vote. A policy may hold a replica back for one timeout, not two: at
    /// the next one without a leader it stands whatever the policy says.
    mutating func heartbeatTimedOut(_ c: inout Context) {
        let waited = ticksWithoutLeader
        ticksWithoutLeader = 0
        knownLeader = nil
        if election != nil {
            standAside(.noMajority(ticks: waited), &c)
            return
        }
        c.local(.timeout, .timedOut(ticks: waited))
        // A retry after a failed election waits the base timeout for its majority, the same for every replica
        // (the policy still draws, so its generator moves as before): candidates that failed together then
        // stand aside together and ask again one retry timeout apart, never colliding again. With a drawn
        // wait, one draw a tick longer than another's could cancel the retry timeouts' difference, round
        // after round.
        drawnTimeoutTicks = drawTimeout(&c)
        electionTimeoutTicks = failedElection ? c.config.electionTimeoutTicks : drawnTimeoutTicks
        let stands = failedElection || policySaysStand(&c)
        if stands {
            askPreVote(&c)
        } else {
            failedElection = true
            c.outcome(.waitsToStand(ticks: electionTimeoutTicks))
        }
    }

    /// The election policy's `shouldStand`; a policy that fails is taken to say yes.
    mutating func policySaysStand(_ c: inout Context) -> Bool {
        do {
            return try c.policies.election.shouldStand(voterView, config: c.config)
        } catch {
            let policy = c.policies.electionName
            c.outcome(.policyFailed(policy: policy, error: "\(error)", fallback: "stand"))
            return true
        }
    }
}
