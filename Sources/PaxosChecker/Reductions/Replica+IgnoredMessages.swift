import PaxosCore

// What the checker's ignored-message reduction needs of the core: which messages a replica will ignore
// whenever they arrive. It reads the replica's `package` state; the core knows nothing of it.

extension Replica {
    /// Whether this replica will ignore `envelope` whenever it arrives, now or after anything else happens
    /// (crash and restart included): it changes nothing and sends nothing. The model checker takes such
    /// messages off the network at once, since delivering, dropping or duplicating them can make no
    /// difference. Conservative: false when unsure, and always with a protocol break on (`set break`).
    ///
    /// Why each case lasts: the round of `promised` only grows and survives a crash (within a round the
    /// promise may move down, when it is withdrawn for the leader of that round, so rounds are compared, not
    /// ballots); a crash lowers the highest round seen no lower than `promised.round`; a replica stands (or
    /// asks a pre-vote) only under a new ballot above every round it saw, so it is never again candidate or
    /// leader under a ballot of an earlier round; a recovery starts only as its replica becomes leader, and
    /// its set of replies only grows. A heartbeat is never ignored for ever: a stale one is answered.
    package func ignoresForever(_ envelope: Envelope, config: ClusterConfig) -> Bool {
        guard config.breaks.isEmpty, let sender = envelope.from.replica else { return false }
        let round = promised.round
        switch envelope.message {
        case .requestLogRange(let ballot, _, _):
            // `receiveLogRequest` answers only a leader of its round or above.
            return ballot.round < round
        case .vote(let vote):
            // `receiveVote` counts only votes for the ballot it leads.
            return vote.ballot.round < round && leaderBallot != vote.ballot
        case .promise(let promise):
            // `receivePromise` counts only promises for the real election it runs; it notes the voter's promise.
            return promise.ballot.round < round && election?.ballot != promise.ballot && promise.promised.round <= round
        case .logRange(let range):
            // `receiveLogRange` takes one reply per replier, only while recovering under the range's ballot. A
            // log range answers the request_log_range its receiver sent as leader of that ballot: once it no
            // longer leads it, it never will again (it stands only under a new ballot above every round it
            // saw, a crash included), so a replica that does not lead the range's ballot ignores it for good.
            guard let leader = leadership, leader.ballot == range.ballot else { return election?.ballot != range.ballot }
            return leader.recovery.map { $0.replied.contains(sender) } ?? true
        case .heartbeatReply(let reply):
            // `receiveHeartbeatReply` reads only answers to the ballot it leads; it notes the promise.
            return reply.ballot.round < round && leaderBallot != reply.ballot && reply.promised.round <= round
        case .preVoteReply(let answer):
            // `receivePreVoteReply` counts only answers to the pre-vote it asks now, and pre-vote numbers only
            // grow (a crash included); it notes the voter's promise.
            return answer.attempt < preVotes && answer.promised.round <= round
        case .transaction, .redirect, .propose, .commit, .ack, .heartbeat, .candidacy, .preVote:
            return false
        }
    }
}
