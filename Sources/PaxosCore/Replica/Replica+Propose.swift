// §2(2) Propose: the leader turns queued transactions into proposals (up to `batch` transactions each,
// up to `window` proposals in flight) and sends each to every replica, itself included. The proposal id is
// the entry's log index; the pair (ballot, index) is unique.

extension Replica {
    /// Proposes queued transactions while the window has room. Only a ready leader proposes.
    mutating func proposeQueued(_ c: inout Context) {
        // The leader state is read where it lies and changed in place: a copy of it would copy the whole queue.
        while let ballot = leaderBallot, readLeadership({ $0.recovery == nil && !$0.queue.isEmpty }) == true,
              log.lastIndex - commitIndex < c.config.window {
            guard let (redo, transactions) = updateLeadership({ $0.takeBatch(max(1, c.config.batchSize)) }) else { return }
            let entry = LogEntry(index: log.lastIndex + 1, ballot: ballot, redo: redo, transactions: transactions)
            propose(entry, .proposes(index: entry.index, ballot: ballot, transactions: entry.transactions), &c)
        }
    }

    /// Accepts `entry` under the leader's ballot itself and sends it to every other replica.
    ///
    /// A re-proposal in recovery carries the ballot and the status it had at the replica that reported it.
    /// The leader's own copy takes the new ballot, as every acceptor's does (or a later recovery would rank
    /// it too low), and this leader's own status: a status it did not reach itself would make it skip the
    /// commit (and the apply) of that entry.
    mutating func propose(_ entry: LogEntry, _ reason: @autoclosure () -> Reason, _ c: inout Context) {
        guard let ballot = leaderBallot else { return }
        var own = entry
        own.ballot = ballot
        if let held = log[entry.index], held.redo == entry.redo {
            own.status = held.status
        } else {
            own.status = .accepted
        }
        log.put(own)
        c.observe(.accepted(index: entry.index, ballot: ballot, redo: entry.redo))
        let me = ReplicaSet(id)
        updateLeadership { $0.accepts[entry.index] = me }
        let proposal = Proposal(entry, ballot: ballot)
        broadcast(.propose(proposal), reason(), &c, alone: .proposesAlone(proposal))
        c.local(.ownProposal(proposal), .proposesToItself(index: entry.index, ballot: ballot))
        // Committed in its log already (a recovery re-proposes what it learned committed): nothing to count.
        let committed = own.status > .accepted
        c.local(.ownVote(Vote(index: entry.index, ballot: ballot, rejection: nil)),
                committed ? .votesForItsCommitted(index: entry.index, ballot: ballot)
                    : .votesForItself(index: entry.index, ballot: ballot))
        if !committed { countAccepts(at: entry.index, &c) }
    }

    /// Sends entries `from...to` again to one follower (a gap it reported, or a retransmission).
    func resend(from: Int, through to: Int, to follower: ReplicaID, cause: ResendCause, _ c: inout Context) {
        guard let ballot = leaderBallot else { return }
        for entry in log.entries(from: from, through: to) {
            c.send(.propose(Proposal(entry, ballot: ballot)), from: id, to: .replica(follower),
                   .resends(index: entry.index, ballot: ballot, cause: cause))
        }
    }
}
