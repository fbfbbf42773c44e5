// §3(2) Election: a candidate asks every replica to let it lead under a ballot above every round it has
// seen. A voter grants at most one candidate per round (the core's rule, a Paxos promise), and only one the
// election policy prefers. A majority of grants, the candidate's own counted, makes it leader.

extension Replica {
    /// Stands for election under a new ballot, voting for itself.
    mutating func stand(_ c: inout Context) {
        highestRound = max(highestRound, promised.round) + 1
        let ballot = Ballot(round: highestRound, owner: id)
        promised = ballot
        role = .candidate
        knownLeader = nil
        leadership = nil
        election = ElectionState(ballot: ballot, granted: ReplicaSet(id), highestLastIndex: log.lastIndex)
        let candidacy = Candidacy(ballot: ballot, lastIndex: log.lastIndex, lastBallot: log.lastBallot)
        broadcast(.candidacy(candidacy), .stands(ballot: ballot), &c)
        if c.config.majority <= 1 { becomeLeader(&c) }
    }

    mutating func receiveCandidacy(_ candidacy: Candidacy, _ c: inout Context) {
        let ballot = candidacy.ballot
        see(ballot)
        guard let candidate = ballot.ownerID else { return }
        let reply = { (refusal: String?, promised: Ballot, lastIndex: Int) in
            Message.promise(Promise(ballot: ballot, refusal: refusal, promised: promised, lastIndex: lastIndex))
        }
        if ballot != promised, ballot.round <= promised.round, !c.mutations.contains(.voteTwiceInBallot) {
            let why = "\(id) already promised \(promised) in round \(promised.round)"
            c.send(reply(why, promised, log.lastIndex), from: id, to: .replica(candidate), .refuses(ballot: ballot, why: why))
            restandIfLeading(above: ballot.round, &c)
            return
        }
        let view = CandidateView(id: candidate, ballot: ballot, lastIndex: candidacy.lastIndex,
                                 lastBallot: candidacy.lastBallot)
        let verdict: PolicyVerdict
        do {
            verdict = try c.policies.election.preference(of: voterView, for: view, config: c.config)
        } catch {
            let policy = c.policies.electionName
            c.outcome(.policyFailed(policy: policy, error: "\(error)", fallback: "refuse the vote"))
            verdict = .refuse("the \(c.policies.electionName) policy failed")
        }
        switch verdict {
        case .grant:
            promised = ballot
            becomeFollower(of: nil)
            c.send(reply(nil, promised, log.lastIndex), from: id, to: .replica(candidate), .grants(ballot: ballot))
        case .refuse(let why):
            c.send(reply(why, promised, log.lastIndex), from: id, to: .replica(candidate), .refuses(ballot: ballot, why: why))
            restandIfLeading(above: ballot.round, &c)
        }
    }

    /// A leader that refused a candidate of a higher round would be ignored by it from now on: it runs a
    /// new election above that round, which it should win, and recovers again.
    mutating func restandIfLeading(above round: Int, _ c: inout Context) {
        guard let leader = leadership, round > leader.ballot.round else { return }
        c.outcome(.restandsAbove(round: round))
        stand(&c)
    }

    mutating func receivePromise(_ promise: Promise, from voter: ReplicaID, _ c: inout Context) {
        see(promise.promised)
        guard role == .candidate, var state = election, state.ballot == promise.ballot else {
            c.outcome(.stalePromise(ballot: promise.ballot))
            return
        }
        guard promise.granted else {
            let needed = c.config.majority
            c.outcome(.countsPromise(ballot: state.ballot, granted: state.granted.members, needed: needed))
            return
        }
        state.granted.insert(voter)
        state.highestLastIndex = max(state.highestLastIndex, promise.lastIndex)
        election = state
        if state.granted.count >= c.config.majority {
            becomeLeader(&c)
        } else {
            let needed = c.config.majority
            c.outcome(.countsPromise(ballot: state.ballot, granted: state.granted.members, needed: needed))
        }
    }

    /// A majority promised: lead, tell the followers at once, then recover the log before anything new.
    mutating func becomeLeader(_ c: inout Context) {
        // A candidate that has since promised a higher ballot cannot lead under its own.
        guard let state = election, state.ballot == promised else { return }
        election = nil
        role = .leader
        knownLeader = id
        var leader = LeaderState(ballot: state.ballot, replicaCount: c.config.replicaCount)
        leader.noteAck(appliedIndex, from: id)
        leadership = leader
        c.local(.elected(state.ballot), .elected(ballot: state.ballot, granted: state.granted.members))
        let heartbeat = Heartbeat(ballot: state.ballot, commitIndex: commitIndex, cleanupIndex: cleanupIndex)
        broadcast(.heartbeat(heartbeat), .heartbeat(ballot: state.ballot, commitIndex: commitIndex), &c)
        startRecovery(askFrom: state.granted, upTo: state.highestLastIndex, &c)
    }
}
