// §2(3) Vote: an acceptor accepts a proposal only if
//   (a) legality: its ballot is not below the one the acceptor promised, and it is newer than what the
//       acceptor accepted at that index; and
//   (b) log compatibility: the index directly follows the acceptor's log (no gap).
// A reject carries the reason; on a gap it says where the acceptor's log ends.

extension Replica {
    mutating func receivePropose(_ proposal: Proposal, _ c: inout Context) {
        let leaderID = Endpoint.replica(proposal.ballot.ownerID ?? id)
        let promisedBefore = promised
        // Only an elected leader proposes: follow it (or withdraw a promise to a candidate it beat) first.
        _ = hearLeader(proposal.ballot, &c)
        if let rejection = rejection(of: proposal, c.breaks) {
            let vote = Vote(index: proposal.index, ballot: proposal.ballot, rejection: rejection)
            c.send(.vote(vote), from: id, to: leaderID, .rejects(index: proposal.index, ballot: proposal.ballot, rejection))
            return
        }
        // What the legality check, skipped by `set break accept-lower-ballot`, would have said.
        let againstRule = c.breaks.contains(.acceptLowerBallot) ? rejection(of: proposal, []) : nil
        let logEnd = log.lastIndex
        let cleaned = proposal.index < log.start
        let compared = min(promisedBefore, promised)
        // What the acceptor held there and overwrites: other records (a new leader's recovery chose another
        // entry for the index), said so in the annotation.
        var replaced: ReplacedEntry?
        if let held = log[proposal.index], held.redo != proposal.redo {
            replaced = ReplacedEntry(ballot: held.ballot, redo: held.redo, status: held.status)
        }
        accept(proposal)
        c.observe(.accepted(index: proposal.index, ballot: proposal.ballot, redo: proposal.redo))
        c.send(.vote(Vote(index: proposal.index, ballot: proposal.ballot, rejection: nil)), from: id, to: leaderID,
               againstRule.map { .acceptsAgainstRule(index: proposal.index, ballot: proposal.ballot, rule: $0) }
                   ?? .accepts(index: proposal.index, ballot: proposal.ballot, promised: compared, logEnd: logEnd,
                               replaced: replaced, cleaned: cleaned))
    }

    /// Why the proposal must be rejected, or nil to accept it.
    func rejection(of proposal: Proposal, _ breaks: ProtocolBreaks) -> RejectReason? {
        if !breaks.contains(.acceptLowerBallot) {
            if proposal.ballot < promised { return .ballotBelowPromise(promised: promised) }
            if let held = log.ballot(at: proposal.index), held > proposal.ballot { return .stale(accepted: held) }
        }
        if proposal.index > log.lastIndex + 1 { return .gap(logEnd: log.lastIndex) }
        return nil
    }

    /// Writes the accepted proposal into the log. An entry already committed or applied keeps its status
    /// (Paxos guarantees the same records); a cleaned-up index needs nothing.
    mutating func accept(_ proposal: Proposal) {
        guard proposal.index >= log.start else { return }
        var status = EntryStatus.accepted
        if let held = log.status(at: proposal.index), held > .accepted, log[proposal.index]?.redo == proposal.redo {
            status = held
        }
        log.put(LogEntry(index: proposal.index, ballot: proposal.ballot, redo: proposal.redo,
                         transactions: proposal.transactions, status: status))
    }
}
