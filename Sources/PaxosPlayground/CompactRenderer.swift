import PaxosCore
import PaxosSimulation

// `view compact`: one short line per event (step, phase, sender → receivers, the decisive value), rendered
// from the trace's typed facts, with no payload and no annotation; heartbeat rounds that bring nothing new
// fold into one line (``HeartbeatFold``).

extension FlowRenderer {
    /// The compact line of one flow group (a broadcast is one line): `  12 vote        n2 → n1      accept 1 (1.n1)`.
    package func compact(_ group: [TraceEvent]) -> [String] {
        guard let event = group.first else { return [] }
        let receivers = group.map(\.to.description).joined(separator: ", ")
        let route = event.from == event.to ? event.from.description : "\(event.from) → \(receivers)"
        let name = switch event.phase {
        case .fault: event.kind.rawValue
        case .invariant: "VIOLATION"
        default: event.phase.rawValue
        }
        var value = event.decisiveValue
        // A delivery that sent nothing (a late accept, a stale answer) is the message arriving, not sent again:
        // it says so, as the full view does (`(#6 delivered)`).
        if event.isDeliveryOutcome, let cause = event.cause { value += "  (#\(cause) delivered)" }
        var line = "\(String(event.step).leftPadded(4)) \(name.rightPadded(11)) \(route.rightPadded(11))  \(value)"
        while line.last == " " { line.removeLast() }
        return fitted(line, indent: 17) { paint($0, event.phase) }
    }

    /// The line of a folded run of heartbeat rounds.
    package func compact(_ fold: HeartbeatFold) -> [String] {
        fitted("     " + fold.description, indent: 7) { paint($0, .heartbeat) }
    }
}

extension TraceEvent {
    /// What a compact line says of the event: the value that decides what happens next.
    package var decisiveValue: String {
        switch fact {
        case .sent(let message, _), .received(let message, _), .outcome(let message?, _):
            message.decisiveValue
        case .clientSends(let message, let transaction, _, _), .clientResends(let message, let transaction, _, _):
            "t\(transaction) \(message.decisiveValue)"
        case .clientGivesUp(_, let transaction, let leaderKnown, let attempts, _):
            "t\(transaction) given up (\(leaderKnown ? "\(attempts) redirects" : "no leader known"))"
        case .outcome(nil, _):
            ""
        case .local(let event, _):
            event.decisiveValue
        case .lost(let id, _, let loss):
            switch loss {
            case .dropped: "#\(id) dropped"
            case .cut: "#\(id) lost to a cut"
            case .partitioned: "#\(id) lost to the partition"
            case .down(let replica): "#\(id) lost: \(replica) is down"
            }
        case .duplicated(let id, _, let copy): "#\(id) copied as #\(copy)"
        case .crashed: "crashed"
        case .restarted(_, let promised): "restarted, promised \(promised)"
        case .partitioned(let groups): partitionText(groups)
        case .healed: "network whole"
        case .cut(let from, let to): "\(from) ↛ \(to)"
        case .uncut(let from, let to): "\(from) → \(to) restored"
        case .violated(let violation):
            "invariant \(violation.invariant) (\(violation.name))" + (violation.index.map { " at \($0)" } ?? "")
        }
    }
}

extension Message {
    /// The value of the message that matters: `accept 1 (1.n1)`, `propose 2 (1.n1) x=1`, `commit 3`.
    package var decisiveValue: String {
        switch self {
        case .transaction(let transaction): transaction.redo.map(\.description).joined(separator: " ")
        case .redirect(_, let leader): leader.map { "to \($0)" } ?? "no leader known"
        case .propose(let proposal):
            "\(proposal.index) (\(proposal.ballot)) " + proposal.redo.map(\.description).joined(separator: " ")
        case .vote(let vote):
            "\(vote.accepted ? "accept" : "reject") \(vote.index) (\(vote.ballot))" + (vote.rejection.map { ": \($0.word)" } ?? "")
        case .commit(let index, let ballot): "\(index) (\(ballot))"
        case .ack(let index): "\(index)"
        case .heartbeat(let heartbeat): "\(heartbeat.ballot) commit \(heartbeat.commitIndex)"
        case .heartbeatReply(let reply): "\(reply.ballot) log \(reply.logEnd) applied \(reply.appliedIndex)"
        case .preVote(let candidacy): "pre-vote " + candidacy.decisiveValue
        case .candidacy(let candidacy): "candidacy " + candidacy.decisiveValue
        case .preVoteReply(let promise): "pre-vote " + promise.decisiveValue
        case .promise(let promise): promise.decisiveValue
        case .requestLogRange(let ballot, let from, let to): "\(from)–\(to) (\(ballot))"
        case .logRange(let range): "\(range.from)–\(range.to): \(range.entries.count) entr\(range.entries.count == 1 ? "y" : "ies")"
        }
    }
}

extension Candidacy {
    /// `2.n2 last 1 (1.n1)`: the ballot asked for and where the candidate's log ends.
    var decisiveValue: String { "\(ballot) last \(lastIndex) (\(lastBallot))" }
}

extension Promise {
    /// `granted 2.n2`, `refused 2.n2`.
    var decisiveValue: String { "\(granted ? "granted" : "refused") \(ballot)" }
}

extension RejectReason {
    var word: String {
        switch self {
        case .ballotBelowPromise(let promised): "promised \(promised)"
        case .stale(let accepted): "stale, accepted \(accepted)"
        case .gap(let logEnd): "gap, log ends at \(logEnd)"
        }
    }
}

extension LocalEvent {
    package var decisiveValue: String {
        switch self {
        case .ownProposal(let proposal): Message.propose(proposal).decisiveValue
        case .ownVote(let vote): Message.vote(vote).decisiveValue
        case .proposesAlone(let proposal): Message.propose(proposal).decisiveValue
        case .commitsAlone(let index, let ballot): Message.commit(index: index, ballot: ballot).decisiveValue
        case .apply(let index, let redo): "\(index) " + redo.map(\.description).joined(separator: " ")
        case .cleanup(let through): "through \(through)"
        case .cleanupWaits(let index, let missing): "\(index) waits for \(missing.map(\.description).joined(separator: ", "))"
        case .timeout: "Leader heartbeat timeout"
        case .elected(let ballot): "leads \(ballot)"
        case .stepDown(let ballot): "steps down from \(ballot)"
        case .recovered(let ballot, let from, let to):
            from > to ? "nothing to recover under \(ballot)" : "\(from)–\(to) under \(ballot)"
        }
    }
}

/// Heartbeat rounds that brought nothing new, folded into one compact line:
/// `heartbeat round × 3 (tick 4–6): n1 → n2, n3, all followed`.
package struct HeartbeatFold: Hashable, Sendable, CustomStringConvertible {
    package let leader: Endpoint
    package private(set) var rounds = 0
    package private(set) var firstTick: Int
    package private(set) var lastTick: Int
    /// The tick of the first heartbeat sent in the fold: before it, only answers to an earlier round.
    package private(set) var firstRoundTick: Int?
    /// Who the heartbeats went to, and who answered that it follows, in first-seen order.
    package private(set) var receivers: [Endpoint] = []
    package private(set) var followers: [Endpoint] = []
    /// Whose answers the leader read and found up to date, in first-seen order.
    package private(set) var upToDate: [Endpoint] = []
    /// Who the network lost a heartbeat to (down, partitioned or cut off), in first-seen order.
    package private(set) var unreached: [Endpoint] = []

    package init(leader: Endpoint, tick: Int) {
        self.leader = leader
        firstTick = tick
        lastTick = tick
    }

    /// Whether the flow group is routine: a heartbeat sent, a follower's answer that it follows (nothing to
    /// clean), the leader finding a follower up to date, or a heartbeat the network lost on its own (to a
    /// replica that is down, across a partition or a cut; not a `drop`).
    package static func isRoutine(_ group: [TraceEvent]) -> Bool {
        guard let event = group.first else { return false }
        if let lost = lostHeartbeat(event) { return lost.loss != .dropped }
        guard event.phase == .heartbeat else { return false }
        switch event.reason {
        case .heartbeat: return true
        case .followsLeader(_, let cleaned, _, _): return cleaned == nil
        case .followerUpToDate: return true
        default: return false
        }
    }

    /// The leader the group is about: the one that sends a heartbeat or reads an answer, the receiver of an
    /// answer.
    package static func leader(of group: [TraceEvent]) -> Endpoint? {
        if let event = group.first, let lost = lostHeartbeat(event) { return lost.leader }
        guard let event = group.first, let rule = event.fact.rule else { return nil }
        if case .followsLeader = rule.reason { return event.to }
        return .replica(rule.by)
    }

    /// A heartbeat (not its answer) that was lost: the leader that sent it, its receiver and why.
    static func lostHeartbeat(_ event: TraceEvent) -> (leader: Endpoint, receiver: Endpoint, loss: Loss)? {
        guard case .lost(_, .message(let envelope), let loss) = event.fact, case .heartbeat = envelope.message else { return nil }
        return (envelope.from, envelope.to, loss)
    }

    /// Takes in a routine group of this leader.
    package mutating func add(_ group: [TraceEvent]) {
        guard let event = group.first else { return }
        lastTick = event.tick
        switch event.reason {
        case .heartbeat:
            rounds += 1
            if firstRoundTick == nil { firstRoundTick = event.tick }
            for receiver in group.map(\.to) where !receivers.contains(receiver) { receivers.append(receiver) }
        case .followsLeader:
            if !followers.contains(event.from) { followers.append(event.from) }
        case .followerUpToDate(let follower, _, _):
            if !upToDate.contains(.replica(follower)) { upToDate.append(.replica(follower)) }
        default:
            if let lost = Self.lostHeartbeat(event), !unreached.contains(lost.receiver) { unreached.append(lost.receiver) }
        }
    }

    package var description: String {
        guard rounds > 0 else {
            // Only answers: followers saying they follow, and the leader reading them.
            let ticks = firstTick == lastTick ? "tick \(firstTick)" : "tick \(firstTick)–\(lastTick)"
            var parts: [String] = []
            if !followers.isEmpty {
                parts.append("\(Self.names(followers)) \(followers.count == 1 ? "follows" : "follow") \(leader)")
            }
            if !upToDate.isEmpty { parts.append("\(leader) finds \(Self.names(upToDate)) up to date") }
            if !unreached.isEmpty { parts.append("lost to \(Self.names(unreached))") }
            return "heartbeat answers (\(ticks)): \(parts.joined(separator: "; "))"
        }
        let times = rounds == 1 ? "" : " × \(rounds)"
        // The rounds' ticks; answers to an earlier round that begin the fold are named apart.
        let start = firstRoundTick ?? firstTick
        var ticks = start == lastTick ? "tick \(start)" : "tick \(start)–\(lastTick)"
        if firstTick < start {
            ticks += start - 1 == firstTick ? "; answers of tick \(firstTick) too" : "; answers of ticks \(firstTick)–\(start - 1) too"
        }
        let answered: String
        if !receivers.isEmpty, receivers.allSatisfy(followers.contains) {
            answered = "all followed"
        } else if followers.isEmpty {
            answered = "no answer yet"
        } else {
            answered = "\(followers.map(\.description).joined(separator: ", ")) followed"
        }
        let route = receivers.isEmpty ? "\(leader)" : "\(leader) → \(receivers.map(\.description).joined(separator: ", "))"
        let lost = unreached.isEmpty ? "" : ", lost to \(unreached.map(\.description).joined(separator: ", "))"
        return "heartbeat round\(times) (\(ticks)): \(route), \(answered)\(lost)"
    }

    private static func names(_ endpoints: [Endpoint]) -> String {
        endpoints.map(\.description).joined(separator: ", ")
    }
}
