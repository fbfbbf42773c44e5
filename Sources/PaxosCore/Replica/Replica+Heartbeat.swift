// §3(1) Heartbeat and timeout: the leader sends a heartbeat to every follower each heartbeat interval, and
// with it re-sends what a follower has not confirmed (proposals it did not accept, commits it did not ack).
// A follower that hears no leader for its election timeout reports "Leader heartbeat timeout" to the
// monitor, and failure recovery starts.

extension Replica {
    mutating func leaderTick(_ c: inout Context) {
        guard var leader = leadership else { return }
        leader.ticksSinceHeartbeat += 1
        guard leader.ticksSinceHeartbeat >= c.config.heartbeatIntervalTicks else {
            leadership = leader
            return
        }
        leader.ticksSinceHeartbeat = 0
        leadership = leader
        let heartbeat = Heartbeat(ballot: leader.ballot, commitIndex: commitIndex, cleanupIndex: cleanupIndex)
        broadcast(.heartbeat(heartbeat), .heartbeat(ballot: leader.ballot, commitIndex: commitIndex), &c)
        if let recovery = leader.recovery {
            for peer in recovery.asked.members where peer != id && !recovery.replied.contains(peer) {
                c.send(.requestLogRange(ballot: leader.ballot, from: recovery.from, to: recovery.to), from: id,
                       to: .replica(peer), .requestsLogRange(from: recovery.from, to: recovery.to))
            }
        } else {
            for peer in peers(c.config) { retransmit(to: peer, &c) }
        }
    }

    /// Re-sends to `follower` up to `window` proposals it has not accepted, and commits it has not acked.
    ///
    /// An ack says the follower applied the entry, not that it accepted it under this ballot: entries this
    /// leader has not committed yet are proposed again even to a follower that acked them (an ack from an
    /// earlier leader's time), or the leader would wait forever for the accepts that commit them.
    func retransmit(to follower: ReplicaID, _ c: inout Context) {
        guard let leader = leadership else { return }
        var budget = max(1, c.config.window)
        let confirmed = min(leader.ackedIndex(of: follower), commitIndex)
        for entry in log.entries(from: max(log.start, confirmed + 1), through: log.lastIndex) where budget > 0 {
            if leader.accepts[entry.index]?.contains(follower) != true {
                c.send(.propose(Proposal(entry, ballot: leader.ballot)), from: id, to: .replica(follower),
                       .resends(index: entry.index, ballot: leader.ballot, cause: .retransmit))
                budget -= 1
            } else if entry.status > .accepted {
                c.send(.commit(index: entry.index, ballot: leader.ballot), from: id, to: .replica(follower),
                       .retransmitsCommit(index: entry.index, ballot: leader.ballot))
                budget -= 1
            }
        }
    }

    mutating func receiveHeartbeat(_ heartbeat: Heartbeat, _ c: inout Context) {
        see(heartbeat.ballot)
        guard heartbeat.ballot >= promised else {
            c.outcome(.ignoresStaleLeader(ballot: heartbeat.ballot, promised: promised))
            return
        }
        promised = heartbeat.ballot
        if hasLeadership || role != .follower || knownLeader != heartbeat.ballot.ownerID {
            becomeFollower(of: heartbeat.ballot)
        }
        ticksWithoutLeader = 0
        let cleanable = min(heartbeat.cleanupIndex, appliedIndex)
        var cleaned: Int?
        if cleanable >= log.start {
            log.removeEntries(through: cleanable)
            cleaned = cleanable
        }
        c.outcome(.followsLeader(ballot: heartbeat.ballot, cleanedThrough: cleaned))
    }

    /// The election timeout fired: report it to the monitor, and stand if the policy says so.
    mutating func heartbeatTimedOut(_ c: inout Context) {
        let waited = ticksWithoutLeader
        ticksWithoutLeader = 0
        knownLeader = nil
        c.local(.timeout, .timedOut(ticks: waited))
        electionTimeoutTicks = drawTimeout(&c)
        let stands: Bool
        do {
            stands = try c.policies.election.shouldStand(voterView, config: c.config)
        } catch {
            let policy = c.policies.electionName
            c.outcome(.policyFailed(policy: policy, error: "\(error)", fallback: "stand"))
            stands = true
        }
        if stands { stand(&c) }
    }
}
