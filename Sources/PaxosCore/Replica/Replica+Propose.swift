// §2(2) Propose: the leader turns queued transactions into proposals (up to `batch` transactions each,
// up to `window` proposals in flight) and sends each to every replica, itself included. The proposal id is
// the entry's log index; the pair (ballot, index) is unique.

extension Replica {
    /// Proposes queued transactions while the window has room. Only a ready leader proposes.
    mutating func proposeQueued(_ c: inout Context) {
        while var leader = leadership, leader.recovery == nil, !leader.queue.isEmpty,
              log.lastIndex - commitIndex < c.config.window {
            let batch = Array(leader.queue.prefix(max(1, c.config.batchSize)))
            leader.queue.removeFirst(batch.count)
            leadership = leader
            let entry = LogEntry(index: log.lastIndex + 1, ballot: leader.ballot, redo: batch.flatMap(\.redo),
                                 transactions: batch.map(\.id))
            propose(entry, .proposes(index: entry.index, ballot: leader.ballot, transactions: entry.transactions), &c)
        }
    }

    /// Accepts `entry` under the leader's ballot itself and sends it to every other replica.
    mutating func propose(_ entry: LogEntry, _ reason: Reason, _ c: inout Context) {
        guard var leader = leadership else { return }
        var own = entry
        own.status = max(entry.status, log[entry.index]?.status ?? .accepted)
        if own.status > .accepted, log[entry.index]?.redo != entry.redo { own.status = .accepted }
        log.put(own)
        c.observe(.accepted(index: entry.index, ballot: leader.ballot, redo: entry.redo))
        leader.accepts[entry.index] = ReplicaSet(id)
        leadership = leader
        broadcast(.propose(Proposal(entry, ballot: leader.ballot)), reason, &c)
        countAccepts(at: entry.index, &c)
    }

    /// Sends entries `from...to` again to one follower (a gap it reported, or a retransmission).
    func resend(from: Int, through to: Int, to follower: ReplicaID, cause: ResendCause, _ c: inout Context) {
        guard let leader = leadership else { return }
        for entry in log.entries(from: from, through: to) {
            c.send(.propose(Proposal(entry, ballot: leader.ballot)), from: id, to: .replica(follower),
                   .resends(index: entry.index, ballot: leader.ballot, cause: cause))
        }
    }
}
