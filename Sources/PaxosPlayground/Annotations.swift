import PaxosCore
import PaxosSimulation

// The English of the trace: each event's one-line annotation, rendered from its typed facts. The simulation
// records what happened and why (``TraceFact``, the core's ``Reason``s); the words are chosen here.

extension TraceEvent {
    /// The annotation under the event: the rule applied, in protocol terms.
    public var note: String { Annotator.note(fact) }
}

/// Turns a trace fact, and the ``Reason`` of a core rule, into the annotation under an event.
enum Annotator {
    static func note(_ fact: TraceFact) -> String {
        switch fact {
        case .sent(_, let rule), .local(_, let rule), .outcome(_, let rule):
            return note(rule)
        case .received(_, let r):
            return "\(r) receives it"
        case .clientSends(_, let t, let target, let route):
            let why = switch route {
            case .leader(let ballot): "\(target) leads with the highest ballot (\(ballot))"
            case .firstGuess: "no replica leads yet; it tries n1"
            case .lastKnown: "no live leader; it tries the last it knew"
            }
            return "client sends t\(t) to \(target): \(why)"
        case .clientGivesUp(_, let t, let leaderKnown, let attempts, let copyUnderWay):
            let why = leaderKnown
                ? "redirect number \(attempts) of it came back, and the client re-sends a transaction at most \(counted(Simulation.Client.maxResends, "time"))"
                : "no leader is known"
            let then = copyUnderWay ? "another copy of t\(t) is still on its way, and may yet commit" : "submit it again later"
            return "client gives up on t\(t): \(why); \(then)"
        case .clientResends(_, let t, let leader, let redirector):
            return "client re-sends t\(t) to \(leader), as \(redirector) redirected it"
        case .lost(let id, let item, .dropped):
            return "message #\(id) (\(item.label)) is lost"
        case .lost(_, let item, .cut):
            return "\(item.label) is lost: the link is cut"
        case .lost(_, let item, .partitioned):
            return "\(item.label) is lost: the network is partitioned"
        case .lost(_, let item, .down(let r)):
            return "\(item.label) is lost: \(r) is down"
        case .duplicated(let id, let item, let copy):
            return "message #\(id) (\(item.label)) is duplicated as #\(copy)"
        case .crashed(let r):
            return "\(r) crashes: its log, ballot and data survive; its role, timers and queues are lost"
        case .restarted(let r, let promised):
            return "\(r) restarts as a follower with its log and ballot (\(promised))"
        case .partitioned(let groups):
            return "the network splits into \(partitionText(groups)): messages between groups are lost"
        case .healed:
            return "the network is whole again"
        case .cut(let from, let to):
            return "one-way cut: messages from \(from) to \(to) are lost until uncut or heal"
        case .uncut(let from, let to):
            return "messages from \(from) to \(to) flow again"
        case .violated(let v):
            return "invariant \(v.invariant) (\(v.name)) violated: \(v.detail)"
        }
    }

    /// The annotation of a core rule: what `rule.by` did and why.
    static func note(_ rule: Rule) -> String {
        let text = body(rule)
        guard let retimedAt = rule.retimedAt else { return text }
        return text + " (the ticks are counted since the timing changed at tick \(retimedAt), which restarted the clocks that watch a leader)"
    }

    private static func body(_ rule: Rule) -> String {
        let r = rule.by
        switch rule.reason {
        case .redirects(let leader?):
            return "\(r) is not the leader: it redirects the client to \(leader)"
        case .redirects(nil):
            return "\(r) is not the leader and knows none: the client must wait for an election"
        case .handsBack(let t, let leader?):
            return "\(r) no longer leads: t\(t), queued and never proposed, goes back to the client, redirected to \(leader)"
        case .handsBack(let t, nil):
            return "\(r) no longer leads and knows no leader: t\(t), queued and never proposed, goes back to the client"
        case .queues(let t, let length, .recovering):
            return "\(r) queues t\(t) (queue \(length)): it leads, but proposes nothing new before log recovery ends"
        case .queues(let t, let length, .windowFull(let inFlight, let window)):
            return "\(r) queues t\(t) (queue \(length)): \(inFlight) \(inFlight == 1 ? "proposal" : "proposals") in flight \(inFlight == 1 ? "fills" : "fill") the window of \(window)"
        case .proposes(let index, let ballot, let transactions):
            let what = transactions.count == 1
                ? "t\(transactions[0])" : "a batch of \(transactions.count) (\(transactions.map { "t\($0)" }.joined(separator: ", ")))"
            return "\(r) executes \(what), appends it at index \(index) and proposes it under ballot \(ballot) to every replica, itself included"
        case .proposesToItself(let index, let ballot):
            return "\(r) is one of the acceptors: its proposal \(index) under \(ballot) reaches itself without the network"
        case .votesForItself(let index, let ballot):
            return "\(r) accepts its own proposal \(index) under \(ballot): its vote counts toward the majority"
        case .votesForItsCommitted(let index, let ballot):
            return "\(r) accepts its own re-proposal of \(index) under \(ballot): \(index) is committed in its log already, so there is nothing to count"
        case .resends(let index, _, .gap(let logEnd)):
            return "the follower's reject said its log ended at \(logEnd): \(r) re-sends entry \(index) to fill the gap"
        case .resends(let index, _, .retransmit):
            return "no accept for \(index) from this follower yet: \(r) sends the proposal again"
        case .accepts(let index, let ballot, let promised, _, _, true):
            return "\(r) accepts proposal \(index): ballot \(ballot) is not below its promise \(promised); it cleaned up \(index) already (every replica had acked it), so it stores nothing and only answers"
        case .accepts(let index, let ballot, let promised, let logEnd, let replaced, false):
            let fits = index == logEnd + 1 ? "index \(index) follows its log" : "index \(index) is in its log (\(logEnd) is its last)"
            var note = "\(r) accepts proposal \(index): ballot \(ballot) is not below its promise \(promised), \(fits)"
            if let replaced {
                let what = replaced.redo.map(\.description).joined(separator: " ")
                let records = what.isEmpty ? "entry" : what
                note += replaced.status == .accepted
                    ? "; it replaces its uncommitted \(records) of \(replaced.ballot)"
                    : "; it overwrites \(records) of \(replaced.ballot), which it had \(replaced.status): only an unsafe run gets here"
            }
            return note
        case .rejects(let index, let ballot, .ballotBelowPromise(let promised)):
            return "\(r) rejects proposal \(index): ballot \(ballot) is below its promise \(promised)"
        case .rejects(let index, _, .stale(let accepted)):
            return "\(r) rejects proposal \(index): it accepted a newer proposal there, under \(accepted)"
        case .rejects(let index, _, .gap(let logEnd)):
            return "\(r) rejects proposal \(index): gap, its log ends at \(logEnd)"
        case .majority(let index, let ballot, let acceptors, let replicas):
            return "\(acceptors.count) of \(replicas) accepts for ballot \(ballot) (\(list(acceptors))): majority, commit \(index)"
        case .countsAccept(let index, let ballot, let acceptors, let needed):
            return "\(r) has \(acceptors.count) accept\(acceptors.count == 1 ? "" : "s") for \(index) under \(ballot) (\(list(acceptors))): a majority needs \(needed)"
        case .alreadyCommitted(let index, let acceptors):
            return acceptors.isEmpty
                ? "\(index) is already committed and cleaned up: nothing to count"
                : "\(index) is already committed: \(r) counts the late accept (\(list(acceptors)))"
        case .staleVote(let index, let ballot, let current?):
            return "\(r) ignores a vote on \(index) for ballot \(ballot): it now leads \(current)"
        case .staleVote(let index, let ballot, nil):
            return "\(r) ignores a vote on \(index) for ballot \(ballot): it no longer leads"
        case .preempted(let higher):
            return "\(r) steps down: it learned of the higher ballot \(higher)"
        case .learnsCommit(let index, _, .separateEvent):
            return "\(r) knows \(index) is committed; applying \(index) is an event of its own (apply \(r))"
        case .learnsCommit(let index, _, .afterTicks(let ticks)):
            return "\(r) knows \(index) is committed; it applies \(index) in \(counted(ticks, "tick"))"
        case .learnsCommit(let index, _, .immediately):
            return "\(r) marks \(index) committed"
        case .cannotCommit(let index, let ballot, let held?) where held > ballot:
            return "\(r) cannot commit \(index) under \(ballot): it holds \(index) under the newer \(held); this commit is stale, and only the leader of \(held) commits it now"
        case .cannotCommit(let index, let ballot, let held?):
            return "\(r) cannot commit \(index) under \(ballot): it holds \(index) under \(held); it waits for the proposal to be re-sent"
        case .cannotCommit(let index, let ballot, nil):
            return "\(r) cannot commit \(index) under \(ballot): it does not hold \(index); it waits for the proposal to be re-sent"
        case .commitWaitsForGap(let index, let commitIndex):
            return "\(r) marks \(index) committed, but \(commitIndex + 1) is not yet: it applies in index order"
        case .retransmitsCommit(let index, _):
            return "this follower has not acked \(index): \(r) sends the commit again"
        case .gapResentAlready(let follower, let logEnd, let index, let resentThrough):
            let range = logEnd + 1 == resentThrough ? "\(resentThrough)" : "\(logEnd + 1)–\(resentThrough)"
            return "\(follower)'s log ends at \(logEnd), below \(index): \(r) already re-sent it \(range) and sends nothing again before its next heartbeat, whose reply says what is still missing"
        case .applies(let index, .leaderCommit):
            return "\(r) applies \(index) at once: the leader applies as soon as it commits"
        case .applies(let index, .commitMessage):
            return "\(r) applies \(index) while handling the commit (sync), in index order"
        case .applies(let index, .applyEvent):
            return "\(r) applies \(index) in its own apply event (async), the next committed entry in index order"
        case .applies(let index, .timer):
            return "\(r) applies \(index): its commit policy's delay ran out"
        case .applies(let index, .restart):
            return "\(r) restarted with \(index) committed but not applied: it applies it now"
        case .nothingToApply(let applied, let commit):
            return "\(r) has nothing to apply: applied \(applied), committed \(commit)"
        case .acks(let index):
            return "\(r) acks \(index) after applying it"
        case .reacks(let index, let leader, let cleaned):
            let leaderName = leader.ownerID.map(\.description) ?? "the leader"
            let already = cleaned ? "cleaned up \(index) already (every replica had acked it)" : "applied \(index) already"
            return "\(r) \(already): it only acks it, to \(leaderName) (leading \(leader)), as cleanup counts acks"
        case .cleansUp(let through):
            return "every replica acked \(through): \(r) deletes the redo entries up to \(through) (the data stays)"
        case .cleansUpOnReply(let through, let follower, let applied):
            return "\(follower)'s heartbeat reply says it applied \(applied), which counts as its ack: every replica acked \(through), so \(r) deletes the redo entries up to \(through) (the data stays)"
        case .cleanupWaits(let index, let missing):
            let who = missing.map { rule.down.contains($0) ? "\($0) (crashed)" : "\($0)" }
            return "cleanup waits: \(who.joined(separator: ", ")) \(missing.count == 1 ? "has" : "have") not acked \(index)"
        case .countsAck(let index):
            return "\(r) counts the ack of \(index): it is cleaned up already"
        case .heartbeat(let ballot, let commitIndex):
            return "\(r) leads \(ballot): heartbeat to every follower (commit index \(commitIndex))"
        case .followsLeader(let ballot, let cleaned, let logEnd, let applied):
            let cleanup = cleaned.map { "; it cleans its log up to \($0)" } ?? ""
            return "\(r) follows \(ballot.ownerID.map(\.description) ?? "?") (ballot \(ballot)); its election timer restarts\(cleanup); it answers that its log ends at \(logEnd) and it applied \(applied)"
        case .ignoresStaleLeader(let ballot, let promised):
            return "\(r) ignores the heartbeat of \(ballot): it promised \(promised); it answers with its promise, so \(ballot.ownerID.map(\.description) ?? "the sender") learns it"
        case .followerUpToDate(let follower, let logEnd, let applied):
            return "\(follower)'s log ends at \(logEnd) and it applied \(applied): it misses nothing \(r) can send now"
        case .lostMajority(let ballot, let ticks, let heard):
            let others = heard.filter { $0 != r }
            let who = others.isEmpty ? "no other replica" : list(others)
            return "\(r) leads \(ballot) but no majority has answered it for \(counted(ticks, "tick")) (in those ticks it heard from \(who)): it steps down"
        case .timedOut(let ticks) where rule.ranAhead > 0:
            return "timeout \(r): its own clock runs \(rule.ranAhead) tick\(rule.ranAhead == 1 ? "" : "s") ahead until its election timer fires (the global tick stays; the timer had counted \(ticks - rule.ranAhead) of its \(counted(ticks, "tick"))): \(r) reports \"Leader heartbeat timeout\" to the monitor"
        case .timedOut(let ticks):
            return "no heartbeat from a leader it could follow for \(counted(ticks, "tick")): \(r) reports \"Leader heartbeat timeout\" to the monitor"
        case .waitsToStand(let ticks):
            return "its election policy says \(r) should not stand yet: it waits \(counted(ticks, "more tick", "more ticks")), and then stands whatever the policy says (a policy may delay an election, never block it)"
        case .asksPreVote(let ballot):
            return "\(r) asks for a pre-vote: would a majority grant \(ballot)? Nothing is promised yet, so a replica that cannot win disturbs no one"
        case .grantsPreVote(let ballot, let leader):
            return "\(r) would grant \(ballot): \(voter(leader, candidate: ballot.ownerID)), round \(ballot.round) is above its promise, and its election policy agrees (it promises nothing yet)"
        case .grantsRetryPreVote(let ballot, let leader):
            return "\(r) would grant \(ballot): \(voter(leader, candidate: ballot.ownerID)) and round \(ballot.round) is above its promise; \(ballot.ownerID.map(\.description) ?? "the candidate") asks again after a failed election, so its election policy is not asked (a policy may delay an election, never block it)"
        case .refusesPreVote(let ballot, let why):
            return "\(r) would not grant \(ballot): \(why)"
        case .countsPreVote(let ballot, let granted, let refused, let needed):
            return tally(r, "pre-vote", ballot, granted, refused, needed)
        case .asksAbove(let ballot, let promised):
            return "the voter promised \(promised), of round \(promised.round): \(r) gives up \(ballot) and asks again above that round"
        case .stalePreVote(let ballot, let attempt, let again?):
            return "\(r) ignores an answer to its pre-vote #\(attempt) for \(ballot): it asks again in pre-vote #\(again), and counts only the answers to that one"
        case .stalePreVote(let ballot, _, nil):
            return "\(r) ignores a pre-vote answer for \(ballot): it is not asking for it any more"
        case .stands(let ballot):
            return "\(r) stands for election with ballot \(ballot), above every round it has seen, and votes for itself"
        case .grants(let ballot):
            return "\(r) grants \(ballot): round \(ballot.round) is above every round it promised, and its election policy agrees"
        case .grantsRetry(let ballot):
            return "\(r) grants \(ballot): round \(ballot.round) is above every round it promised; a retry after a failed election, so its election policy is not asked"
        case .grantsAgain(let ballot, let followsIt, let preVote):
            let why = followsIt
                ? "\(r) follows \(ballot)'s leader \(ballot.ownerID.map(\.description) ?? "?") already, so it promised \(ballot)"
                : "\(r) promised \(ballot) already"
            return preVote
                ? "\(why): this pre-vote for it comes late, after the candidacy; \(r) would grant it again, and nothing changes"
                : "\(why): it grants it again, and nothing else changes"
        case .refuses(let ballot, let why):
            return "\(r) refuses \(ballot): \(why)"
        case .countsPromise(let ballot, let granted, let refused, let needed):
            return tally(r, "promise", ballot, granted, refused, needed)
        case .stalePromise(let ballot):
            return "\(r) ignores a promise for \(ballot): that election is over"
        case .elected(let ballot, let granted, let recovers):
            let then = recovers ? "and recovers the log before anything new"
                : "and, with recovery off (unsafe), asks no one what they accepted"
            return "\(granted.count) promise\(granted.count == 1 ? "" : "s") for \(ballot) (\(list(granted))): \(r) leads, \(then)"
        case .standsAside(let ballot, true, .heardLeader(let leader), _):
            let owner = leader.ownerID.map(\.description) ?? "?"
            return "\(r) drops its pre-vote for \(ballot), having raised no ballot: a message \(owner) sent as leader of \(leader) reached it, so \(r) follows \(owner)"
        case .standsAside(let ballot, false, .heardLeader(let leader), _):
            let owner = leader.ownerID.map(\.description) ?? "?"
            return "\(r) stands aside from \(ballot): a message \(owner) sent as leader of \(leader), of round \(leader.round), reached it, so \(r) follows \(owner)"
        case .standsAside(let ballot, _, .refused(let voters), let retry):
            return "a majority refused \(ballot) (\(list(voters))): \(r) stands aside, and asks again in \(counted(retry, "tick")) if it hears no leader"
        case .standsAside(let ballot, _, .preVoteRefused(let voters), let retry):
            return "a majority would not grant \(ballot) (\(list(voters))): \(r) drops its pre-vote, having raised no ballot, and asks again in \(counted(retry, "tick")) if it hears no leader"
        case .standsAside(let ballot, let preVote, .noMajority(let ticks), let retry):
            let clock = rule.ranAhead > 0
                ? "timeout \(r): its own clock runs \(rule.ranAhead) tick\(rule.ranAhead == 1 ? "" : "s") ahead until its election timer fires (the global tick stays): "
                : ""
            let within = "in \(counted(ticks, "tick"))\(rule.ranAhead > 0 ? " of its own clock" : "")"
            let what = preVote
                ? "no majority granted the pre-vote for \(ballot) \(within), so \(r) drops it, having raised no ballot,"
                : "no majority for \(ballot) \(within), so \(r) stands aside,"
            return "\(clock)\(what) and asks again in \(counted(retry, "tick")) if it hears no leader"
        case .withdraws(let promised, let leader):
            return "\(leader.ownerID.map(\.description) ?? "?") was elected leader of \(leader) in round \(leader.round) (a message it sent as leader arrived): \(r) withdraws its promise to \(promised), which can no longer win that round (one vote per round), and follows \(leader)"
        case .learnsHigherRound(let round, let replica):
            return "\(replica) promised round \(round), above \(r)'s, and refuses whatever \(r) sends: \(r) steps down, and stands above it if no newer leader is heard"
        case .requestsLogRange(let from, let to):
            return "\(r) asks for request_log_range(\(from), \(to)) to learn what a majority accepted"
        case .sendsLogRange(let from, let to, let count):
            return count == 0
                ? "\(r) holds nothing in \(from)..\(to): it says so"
                : "\(r) sends the \(count) entr\(count == 1 ? "y" : "ies") it holds in \(from)..\(to), with \(count == 1 ? "its ballot" : "their ballots")"
        case .ignoresLogRequest(let ballot, let promised):
            return "\(r) ignores the request of \(ballot): it has promised \(promised) since"
        case .countsLogRange(let ballot, let replied, let needed):
            return "\(r) has log ranges from \(replied.count) (\(list(replied))) for \(ballot): a majority needs \(needed)"
        case .recovered(let from, let to, let chosen):
            if from > to {
                return "every promiser's log ends at or below \(r)'s commit index \(from - 1): nothing to recover; \(r) takes new transactions"
            }
            guard !chosen.isEmpty else { return "no replier holds anything in \(from)..\(to): \(r) takes new transactions" }
            let picks = chosen.keys.sorted().map { "\($0): \(chosen[$0].map(\.description) ?? "?")" }
            return "a majority answered: per index \(r) keeps the highest-ballot entry (\(picks.joined(separator: ", "))) and re-proposes it"
        case .recoverySkipped:
            return "recovery is off (unsafe): \(r) learns nothing from the others and re-proposes only its own entries"
        case .reproposes(let index, let ballot, let was):
            return "\(r) re-proposes entry \(index) (accepted under \(was)) under its ballot \(ballot)"
        case .acceptsAgainstRule(let index, let ballot, .ballotBelowPromise(let promised)):
            return "\(r) accepts proposal \(index) though ballot \(ballot) is below its promise \(promised): the protocol break accept-lower-ballot skips the legality check"
        case .acceptsAgainstRule(let index, let ballot, .stale(let accepted)):
            return "\(r) accepts proposal \(index) under \(ballot) though it accepted a newer proposal there, under \(accepted): the protocol break accept-lower-ballot skips the legality check"
        case .acceptsAgainstRule(let index, _, .gap(let logEnd)):
            return "\(r) accepts proposal \(index) though its log ends at \(logEnd): the protocol break accept-lower-ballot skips the legality check"
        case .commitsWithoutMajority(let index, let ballot, let acceptors, let needed):
            return "only \(acceptors.count) accept\(acceptors.count == 1 ? "" : "s") for ballot \(ballot) (\(list(acceptors))), and a majority needs \(needed), yet \(r) commits \(index): the protocol break commit-without-majority lets the leader commit on its own accept"
        case .grantsAgainstRule(let ballot, let preVote, let rule):
            let grants = preVote ? "would grant" : "grants"
            let against = switch rule {
            case .alreadyPromised(_, let promised): "it already promised \(promised) in round \(promised.round)"
            case .leads(_, let leading): "it leads \(leading)"
            case .followsLeader(_, let leader, let ticks, let timeout):
                "it follows \(leader), \(ticks == 0 ? "not silent for a whole tick yet" : "silent for only \(counted(ticks, "tick"))"), within the base election timeout of \(timeout)"
            case .noOwner, .policy, .policyFailed: "\(rule)"
            }
            return "\(r) \(grants) \(ballot) though \(against): the protocol break vote-twice-in-ballot skips the rules that keep a voter to one candidate a round"
        case .appliesOutOfOrder(let index):
            return "\(r) applies \(index) as its commit arrives, whatever it has applied below \(index): the protocol break apply-out-of-order applies each entry so, in any order"
        case .recoveredLowest(let from, let to, let chosen):
            guard !chosen.isEmpty else { return "no replier holds anything in \(from)..\(to): \(r) takes new transactions" }
            let picks = chosen.keys.sorted().map { "\($0): \(chosen[$0].map(\.description) ?? "?")" }
            return "a majority answered: per index \(r) keeps the lowest-ballot entry (\(picks.joined(separator: ", "))), as the protocol break skip-highest-ballot-choice makes it, and re-proposes it"
        case .ignoresRecoveredValues(let from, let to):
            return "\(r) ignores what the log ranges for \(from)..\(to) hold (the protocol break ignore-recovered-values) and keeps only its own log: it re-proposes only its own entries"
        case .readsNoPosition(let follower, let logEnd, let applied):
            return "\(follower)'s log ends at \(logEnd) and it applied \(applied), but \(r) catches no follower up from a reply (the protocol break no-catch-up): it sends \(follower) nothing, whatever it misses"
        case .policyFailed(let policy, let error, let fallback):
            return "the \(policy) policy failed (\(error)): the core falls back to: \(fallback)"
        case .ignored(let why):
            return ignored(why, by: r)
        }
    }

    private static func ignored(_ why: Ignored, by r: ReplicaID) -> String {
        switch why {
        case .ackNotLeading: "\(r) is not leading: acks are for the leader"
        case .unexpectedLogRange: "\(r) is not waiting for this log range"
        case .lateHeartbeatReply(let ballot): "\(r) no longer leads \(ballot): the answer comes too late"
        case .redirect: "a redirect is for the client"
        case .rivalOfWonRound(let ballot, let rival):
            "\(r) keeps leading \(ballot): \(rival) is a rival candidacy of round \(rival.round), which \(r) won"
        case .alreadyCommitted(let index): "\(r) already knows \(index) is committed"
        case .divergedAt(let index, let ballot):
            "\(r) marks \(index) committed under \(ballot), but it applied other records at \(index) before: its data has diverged"
        case .appliedPast(let index, let applied):
            "\(r) marks \(index) committed, but it applied \(applied), above it, already, out of index order (the protocol break apply-out-of-order): it never applies \(index)"
        }
    }

    /// `n2 has 2 promises for 3.n2 (n2, n3), 1 refused (n1): a majority needs 3`.
    private static func tally(_ r: ReplicaID, _ noun: String, _ ballot: Ballot, _ granted: [ReplicaID], _ refused: [ReplicaID],
                       _ needed: Int) -> String {
        let refusals = refused.isEmpty ? "" : ", \(refused.count) refused (\(list(refused)))"
        return "\(r) has \(granted.count) \(noun)\(granted.count == 1 ? "" : "s") for \(ballot) (\(list(granted)))\(refusals): a majority needs \(needed)"
    }

    /// Why the leader a voter follows, if any, does not keep it from granting a pre-vote.
    private static func voter(_ leader: VoterLeader, candidate: ReplicaID?) -> String {
        switch leader {
        case .none:
            "it follows no leader"
        case .candidate:
            "it follows \(candidate.map(\.description) ?? "the candidate"), the very replica asking"
        case .silent(let leader, let ticks):
            "its leader \(leader) has been silent for \(counted(ticks, "tick")) (at least the base election timeout)"
        }
    }

    private static func list(_ replicas: [ReplicaID]) -> String {
        replicas.map(\.description).joined(separator: ", ")
    }
}

extension Refusal: CustomStringConvertible {
    /// The refusal as the voter says it: in the promise's `reason` and in its annotation.
    public var description: String {
        switch self {
        case .noOwner(let ballot):
            return "\(ballot) names no replica"
        case .alreadyPromised(let voter, let promised):
            return "\(voter) already promised \(promised) in round \(promised.round)"
        case .leads(let voter, let ballot):
            return "\(voter) leads \(ballot), and a leader votes for no one until it steps down"
        case .followsLeader(let voter, let leader, let ticksAgo, let timeout):
            // `ticksAgo` counts the ticks since the voter last heard its leader or began to follow it (a
            // cluster that starts with a leader starts its followers so): the leader's silence, not a message.
            let silent = ticksAgo == 0 ? "not silent for a whole tick yet" : "silent for \(counted(ticksAgo, "tick"))"
            return "\(voter) follows \(leader), \(silent), within the base election timeout of \(timeout): it keeps following"
        case .policy(let why):
            return why
        case .policyFailed(let policy):
            return "the \(policy) policy failed"
        }
    }
}
