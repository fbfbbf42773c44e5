import PaxosCore
import PaxosSimulation

/// `quiz on|off`: before each event whose outcome a rule of the protocol decides, the user predicts it;
/// after the event the quiz reveals the outcome with the rule that decided it, and keeps a score.
///
/// The questions, one per kind of decision:
/// - a `propose` delivered to a live replica: will it accept or reject (§2(3))?
/// - an `accept` vote delivered to a leader that has not committed the entry: commit now, or wait (§2(4))?
/// - a `commit` delivered to a follower, or an `apply` event: what does the replica apply (§2(4))?
/// - a `candidacy` delivered to a live replica: will it grant or refuse its vote (§3(2))?
/// - a `promise` delivered to a candidate: who wins the election now, if anyone (§3(2))?
/// - a tick while no live replica leads, or while the network is split: whose election timeout fires (§3(1))?
///
/// The right answer comes from the very events the action produces: the quiz performs the action on a
/// copy of the simulation (a value) to know whether the question has an answer, asks, and after the
/// real step reveals what the real events say. Deliveries that decide nothing (heartbeats, acks, a
/// message to a crashed replica) are not asked.
///
/// Answers are read through `Session.ask` (the REPL reads a line from the terminal); an empty answer skips
/// the question. Without `ask` (scripts, a REPL whose input is not a terminal, tests that set none) the quiz
/// reads nothing: it prints each question and its answer, as a worked example, and keeps no score.
struct Quiz {
    var isOn = false
    private(set) var right = 0
    private(set) var wrong = 0
    private(set) var skipped = 0
    /// Questions printed with their answers because no one could answer (no `ask`).
    private(set) var shown = 0
    /// The question asked before the action being performed, to reveal after it.
    private var pending: Question?
    /// What the user answered to `pending`; nil when skipped or not asked.
    private var answer: String?
    private var answered = false

    /// The one decision a question is about.
    enum Topic: Hashable {
        /// A propose delivered: `voter`'s vote (accept or reject).
        case vote(message: Int, voter: ReplicaID)
        /// An accept delivered to the leader: does it commit?
        case commit(message: Int, leader: ReplicaID)
        /// A commit or apply event: what `replica` applies.
        case apply(replica: ReplicaID)
        /// A candidacy delivered: `voter` grants or refuses.
        case grant(message: Int, voter: ReplicaID)
        /// A promise delivered: who is elected.
        case winner(message: Int)
        /// A tick: whose timeout fires.
        case timeout
    }

    struct Question: Hashable {
        let topic: Topic
        /// The question, one line.
        let text: String
        /// The prompt that reads the answer: the choices.
        let prompt: String
    }

    /// The right answer to a question, read from the events, with the note that explains it.
    struct Outcome: Hashable {
        /// Canonical: `accept`, `commit`, `n2`, `x=1 y=2`, `nothing`, `nobody`.
        let answer: String
        let note: String
    }

    // MARK: - The session's calls

    /// `quiz on|off`; `answerable` when someone at a terminal answers (``Session/ask``).
    mutating func toggle(_ on: Bool, answerable: Bool) -> String {
        if on {
            guard !isOn else { return "quiz is already on · \(tally)" }
            self = Quiz()
            isOn = true
            guard answerable else {
                return "quiz on: nobody answers here (commands do not come from a terminal), so each question is shown with its answer"
            }
            return "quiz on: before each delivery or tick that decides something, predict its outcome (an empty answer skips)"
        }
        guard isOn else { return "quiz is off" }
        isOn = false
        pending = nil
        return "quiz off · \(tally)"
    }

    /// Asks about `action` before the session performs it, when its outcome decides something.
    mutating func ask(before action: Action, in session: Session) throws {
        pending = nil
        answer = nil
        answered = false
        guard let question = Self.question(before: action, in: session.simulation) else { return }
        var copy = session.simulation
        guard let events = try? copy.perform(action), Self.outcome(of: question.topic, in: events) != nil else { return }
        pending = question
        session.say("? quiz · \(question.text)")
        guard let ask = session.ask else { return }
        answered = true
        // An answer that is none of the choices is refused, and the question asked again: it costs no point.
        while true {
            let reply = (ask(question.prompt) ?? "").trimmingSpaces
            guard !reply.isEmpty else { return }
            if let problem = Self.refusal(of: reply, topic: question.topic, replicas: session.simulation.replicas.count) {
                session.say(problem)
                continue
            }
            answer = reply
            return
        }
    }

    /// Reveals the outcome of the question asked before `events`, and scores the answer.
    mutating func reveal(_ events: [TraceEvent], in session: Session) {
        guard let question = pending else { return }
        pending = nil
        guard let outcome = Self.outcome(of: question.topic, in: events) else { return }
        guard answered else {
            shown += 1
            session.say("  → \(outcome.answer) · \(outcome.note)")
            return
        }
        guard let answer else {
            skipped += 1
            session.say("  · skipped: it was \(outcome.answer) · \(outcome.note)")
            return
        }
        if Self.matches(answer, outcome.answer, topic: question.topic) {
            right += 1
            session.say("  ✓ right: \(outcome.answer) · \(outcome.note)")
        } else {
            wrong += 1
            session.say("  ✗ it was \(outcome.answer) · \(outcome.note)")
        }
    }

    /// The score, as `quiz off` and `quit` print it.
    var score: String { "quiz score · \(tally)" }

    private var tally: String {
        let asked = right + wrong
        if asked + skipped == 0, shown > 0 {
            return "\(shown) question\(shown == 1 ? "" : "s") shown with \(shown == 1 ? "its answer" : "their answers"), none answered (answers are read from a terminal)"
        }
        if asked + skipped == 0 { return "no question asked yet" }
        var text = "\(right) of \(asked) right"
        if skipped > 0 { text += ", \(skipped) skipped" }
        return text
    }

    // MARK: - Questions

    /// The question `action` raises in `sim`, if its outcome is a decision worth predicting.
    static func question(before action: Action, in sim: Simulation) -> Question? {
        switch action {
        case .tick:
            guard sim.leader == nil || sim.partition != nil || !sim.cuts.isEmpty else { return nil }
            return Question(topic: .timeout,
                            text: "tick \(sim.tick + 1): whose election timeout fires (replicas, or nobody)?",
                            prompt: "which replicas, or nobody? ")
        case .deliver(let id):
            guard let flight = sim.inFlight(id) else { return nil }
            switch flight.item {
            case .apply(let replica):
                return Question(topic: .apply(replica: replica),
                                text: "#\(id) apply \(replica): what does \(replica) apply (K=V …, or nothing)?",
                                prompt: "K=V …, or nothing? ")
            case .message(let envelope):
                return question(envelope, id: id, in: sim)
            }
        default:
            return nil
        }
    }

    private static func question(_ envelope: Envelope, id: Int, in sim: Simulation) -> Question? {
        guard let to = envelope.to.replica, sim.isAlive(to), !sim.isBlocked(from: envelope.from, to: envelope.to) else {
            return nil
        }
        let from = envelope.from
        switch envelope.message {
        case .propose(let proposal):
            return Question(topic: .vote(message: id, voter: to),
                            text: "#\(id) propose \(from) → \(to) (proposal \(proposal.index), ballot \(proposal.ballot)): will \(to) accept or reject it?",
                            prompt: "accept or reject? ")
        case .vote(let vote):
            let receiver = sim.replica(to)
            guard vote.accepted, receiver.role == .leader, receiver.commitIndex < vote.index else { return nil }
            return Question(topic: .commit(message: id, leader: to),
                            text: "#\(id) vote \(from) → \(to) (accept \(vote.index), ballot \(vote.ballot)): does \(to) commit \(vote.index) now, or wait?",
                            prompt: "commit or wait? ")
        case .commit(let index, let ballot):
            return Question(topic: .apply(replica: to),
                            text: "#\(id) commit \(from) → \(to) (proposal \(index), ballot \(ballot)): what does \(to) apply now (K=V …, or nothing)?",
                            prompt: "K=V …, or nothing? ")
        case .candidacy(let candidacy):
            return Question(topic: .grant(message: id, voter: to),
                            text: "#\(id) candidacy \(from) → \(to) (ballot \(candidacy.ballot), last index \(candidacy.lastIndex)): will \(to) grant or refuse its vote?",
                            prompt: "grant or refuse? ")
        case .promise(let promise):
            guard sim.replica(to).role == .candidate else { return nil }
            return Question(topic: .winner(message: id),
                            text: "#\(id) promise \(from) → \(to) (ballot \(promise.ballot), \(promise.granted ? "granted" : "refused")): who wins the election now (a replica, or none yet)?",
                            prompt: "which replica, or none? ")
        default:
            return nil
        }
    }

    // MARK: - Answers

    /// The right answer to `topic`, read from the events of the step; nil when they do not decide it.
    static func outcome(of topic: Topic, in events: [TraceEvent]) -> Outcome? {
        switch topic {
        case .vote(let message, let voter):
            guard let vote = events.first(where: { $0.cause == message && $0.kind == .vote && $0.from == .replica(voter) && $0.sentID != nil }),
                  case .string(let verdict)? = field("vote", in: vote.payload) else { return nil }
            return Outcome(answer: verdict, note: vote.note)
        case .commit(let message, let leader):
            let caused = events.filter { $0.cause == message }
            guard let first = caused.first else { return nil }
            let commits = caused.first { $0.phase == .commit && $0.from == .replica(leader) && $0.sentID != nil }
                ?? caused.first { $0.kind == .apply && $0.from == .replica(leader) }
            return commits.map { Outcome(answer: "commit", note: $0.note) } ?? Outcome(answer: "wait", note: first.note)
        case .apply(let replica):
            let applies = events.filter { $0.kind == .apply && $0.from == .replica(replica) && $0.phase == .apply }
            let records = applies.flatMap { event -> [String] in
                guard case .array(let redo)? = field("redo_log", in: event.payload) else { return [] }
                return redo.compactMap { if case .string(let text) = $0 { text } else { nil } }
            }
            guard let first = applies.first ?? events.first(where: { $0.to == .replica(replica) || $0.from == .replica(replica) }) else {
                return nil
            }
            return Outcome(answer: records.isEmpty ? "nothing" : records.joined(separator: " "),
                           note: applies.count > 1 ? applies.map(\.note).joined(separator: "; ") : first.note)
        case .grant(let message, let voter):
            guard let promise = events.first(where: { $0.cause == message && $0.kind == .promise && $0.from == .replica(voter) }),
                  case .object(let fields)? = field("promise", in: promise.payload),
                  case .bool(let granted)? = fields.first(where: { $0.0 == "granted" })?.1 else { return nil }
            return Outcome(answer: granted ? "grant" : "refuse", note: promise.note)
        case .winner(let message):
            if let elected = events.first(where: { $0.kind == .elected }) {
                return Outcome(answer: elected.from.description, note: elected.note)
            }
            guard let first = events.first(where: { $0.cause == message }) else { return nil }
            return Outcome(answer: "none", note: first.note)
        case .timeout:
            let fired = events.filter { $0.kind == .timeout }
            guard !fired.isEmpty else {
                return Outcome(answer: "nobody", note: "no replica's election timeout ran out at this tick")
            }
            let who = fired.map(\.from.description)
            return Outcome(answer: who.joined(separator: " "), note: fired.map(\.note).joined(separator: "; "))
        }
    }

    /// The two choices of a yes-or-no question; nil for the others.
    private static func choices(_ topic: Topic) -> [String]? {
        switch topic {
        case .vote: ["accept", "reject"]
        case .commit: ["commit", "wait"]
        case .grant: ["grant", "refuse"]
        case .winner, .timeout, .apply: nil
        }
    }

    /// The words that answer "none": nobody wins, no timeout fires, nothing is applied.
    private static let noneWords = ["none", "nobody", "nothing", "no", "-"]

    private static func words(_ answer: String) -> [String] {
        answer.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }

    /// Why `answer` is not an answer to a question on `topic` in a cluster of `replicas`, in one line;
    /// nil when it is one (right or wrong).
    static func refusal(of answer: String, topic: Topic, replicas: Int) -> String? {
        let words = words(answer)
        let said = "'\(answer)' is not an answer here"
        let skips = "(an empty answer skips)"
        let names = replicas == 1 ? "n1" : "n1 to n\(replicas)"
        func isReplica(_ word: String) -> Bool {
            ReplicaID(parsing: word.lowercased()).map { $0.number <= replicas } ?? false
        }
        let saysNone = words.allSatisfy { noneWords.contains($0.lowercased()) }
        if let choices = choices(topic) {
            guard words.count == 1, let word = words.first?.lowercased(),
                  choices.contains(where: { $0.hasPrefix(word) }) else {
                return "\(said): type \(choices[0]) or \(choices[1]), or a first letter \(skips)"
            }
            return nil
        }
        switch topic {
        case .winner:
            guard saysNone || (words.count == 1 && isReplica(words[0])) else {
                return "\(said): type the one replica that wins now (\(names)), or none \(skips)"
            }
        case .timeout:
            let replicaWords = words.map { $0.lowercased() }
            guard saysNone || (replicaWords.allSatisfy(isReplica) && Set(replicaWords).count == replicaWords.count) else {
                return "\(said): type the replicas whose timeout fires (\(names), each once, in any order), or nobody \(skips)"
            }
        default:
            guard saysNone || words.allSatisfy({ RedoRecord(parsing: $0) != nil }) else {
                return "\(said): type the records applied as K=V, in any order, or nothing \(skips)"
            }
        }
        return nil
    }

    /// Whether the user's `answer` says `right`: a choice by its first letters (`a`, `acc`, any case),
    /// replicas and records in any order.
    static func matches(_ answer: String, _ right: String, topic: Topic) -> Bool {
        let words = words(answer)
        if let choices = choices(topic) {
            guard let word = words.first?.lowercased(), words.count == 1 else { return false }
            let meant = choices.filter { $0.hasPrefix(word) }
            return meant == [right]
        }
        // Replica names in any case; records as they were applied (a key's case matters).
        let said = words.allSatisfy { noneWords.contains($0.lowercased()) } ? []
            : words.map { isApply(topic) ? $0 : $0.lowercased() }.sorted()
        let truth = noneWords.contains(right) ? [] : right.split(separator: " ").map(String.init).sorted()
        return said == truth
    }

    private static func isApply(_ topic: Topic) -> Bool {
        if case .apply = topic { true } else { false }
    }

    private static func field(_ key: String, in payload: JSONValue) -> JSONValue? {
        guard case .object(let fields) = payload else { return nil }
        return fields.first { $0.0 == key }?.1
    }
}
