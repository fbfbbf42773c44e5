// §3(3) Log recovery: the new leader sends `request_log_range(from, to)` to the replicas that promised (a
// majority, itself included) and, once a majority has answered, keeps for each index the entry with the
// highest ballot among the replies. It re-proposes those entries under its own ballot, and only then
// proposes new transactions. This is Paxos phase 1: whichever replica wins, it learns every entry a
// majority accepted. Any live majority ends recovery: with each heartbeat the leader asks every replica
// that has not answered yet, voter or not, and a replica that answers promises the leader's ballot first
// (if it had not), so the leader does not wait for ever on a voter that crashed after its vote. The range
// ends at the last index any voter reported: no entry past it can be committed, since every majority that
// accepted one includes a voter, which reported it.

extension Replica {
    mutating func startRecovery(askFrom voters: ReplicaSet, upTo highestLastIndex: Int, _ c: inout Context) {
        guard var leader = leadership else { return }
        guard c.config.recovery else {
            // Unsafe teaching setting: re-propose only what this replica holds itself.
            sendHeartbeat(&c)
            finishRecovery(with: Dictionary(uniqueKeysWithValues: log.entries(from: commitIndex + 1, through: log.lastIndex)
                .map { ($0.index, $0) }), from: commitIndex + 1, to: log.lastIndex, skipped: true, &c)
            return
        }
        let from = commitIndex + 1, to = max(highestLastIndex, log.lastIndex)
        guard from <= to else {
            // Every promiser's log ends at or below this leader's commit index: nothing to learn.
            sendHeartbeat(&c)
            finishRecovery(with: [:], from: from, to: to, &c)
            return
        }
        var recovery = RecoveryState(from: from, to: to, replied: ReplicaSet(id))
        for entry in log.entries(from: from, through: to) { recovery.best[entry.index] = entry }
        leader.recovery = recovery
        leadership = leader
        for peer in voters.members where peer != id {
            c.send(.requestLogRange(ballot: leader.ballot, from: from, to: to), from: id, to: .replica(peer),
                   .requestsLogRange(from: from, to: to))
        }
        if recovery.replied.count >= c.config.majority {
            finishRecovery(with: recovery.best, from: from, to: to, &c)
        }
    }

    mutating func receiveLogRequest(ballot: Ballot, from: Int, to: Int, _ c: inout Context) {
        // Only an elected leader asks: answering promises its ballot (Paxos phase 1) if this replica had not.
        guard hearLeader(ballot, &c), ballot == promised, let leaderID = ballot.ownerID else {
            c.outcome(.ignoresLogRequest(ballot: ballot, promised: promised))
            return
        }
        let entries = log.entries(from: from, through: to)
        c.send(.logRange(LogRange(ballot: ballot, from: from, to: to, entries: entries)), from: id,
               to: .replica(leaderID), .sendsLogRange(from: from, to: to, count: entries.count))
    }

    mutating func receiveLogRange(_ range: LogRange, from replier: ReplicaID, _ c: inout Context) {
        guard var leader = leadership, var recovery = leader.recovery, range.ballot == leader.ballot,
              !recovery.replied.contains(replier) else {
            c.outcome(.ignored(.unexpectedLogRange))
            return
        }
        recovery.replied.insert(replier)
        leader.noteHeard(replier, leader: id, majority: c.config.majority)
        if !c.breaks.contains(.ignoreRecoveredValues) {
            let keepLowest = c.breaks.contains(.skipHighestBallotChoice)
            for entry in range.entries {
                guard let best = recovery.best[entry.index] else {
                    recovery.best[entry.index] = entry
                    continue
                }
                if keepLowest ? entry.ballot < best.ballot : entry.ballot > best.ballot {
                    recovery.best[entry.index] = entry
                }
            }
        }
        leader.recovery = recovery
        leadership = leader
        if recovery.replied.count >= c.config.majority {
            finishRecovery(with: recovery.best, from: recovery.from, to: recovery.to, &c)
        } else {
            let needed = c.config.majority
            c.outcome(.countsLogRange(ballot: leader.ballot, replied: recovery.replied.members, needed: needed))
        }
    }

    /// Why recovery ended as it did: the rule, or the protocol break that changed it.
    private static func recoveryReason(from: Int, to: Int, chosen: [Int: Ballot], skipped: Bool,
                                       _ breaks: ProtocolBreaks) -> Reason {
        if skipped { return .recoverySkipped }
        guard from <= to else { return .recovered(from: from, to: to, chosen: chosen) }
        if breaks.contains(.ignoreRecoveredValues) { return .ignoresRecoveredValues(from: from, to: to) }
        if breaks.contains(.skipHighestBallotChoice) { return .recoveredLowest(from: from, to: to, chosen: chosen) }
        return .recovered(from: from, to: to, chosen: chosen)
    }

    /// Re-proposes the chosen entries, in index order, under the new ballot; then new transactions may go.
    /// `skipped`: recovery is off, and `best` is only this replica's own log.
    mutating func finishRecovery(with best: [Int: LogEntry], from: Int, to: Int, skipped: Bool = false,
                                 _ c: inout Context) {
        guard var leader = leadership else { return }
        leader.recovery = nil
        leadership = leader
        var index = from
        var chosen: [Int: Ballot] = [:]
        while let entry = best[index] {
            chosen[index] = entry.ballot
            index += 1
        }
        let breaks = c.breaks
        c.local(.recovered(ballot: leader.ballot, from: from, to: index - 1),
                Self.recoveryReason(from: from, to: to, chosen: chosen, skipped: skipped, breaks))
        for i in from..<index {
            guard let entry = best[i] else { break }
            propose(entry, .reproposes(index: i, ballot: leader.ballot, was: entry.ballot), &c)
        }
        c.observe(.leaderReady(leader.ballot))
        proposeQueued(&c)
    }
}
