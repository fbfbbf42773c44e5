import PaxosCore
import PaxosSimulation

extension Session {
    /// `compare A B`: replays this session's commands under two policies of one kind and shows, side by
    /// side, where the runs diverge. The session itself is unchanged.
    ///
    /// How the commands are replayed. Each run is a scratch session that starts like this one, with the
    /// compared policy in force from the start, and runs the command lines of `history` in order, silently:
    /// - `election NAME` (or `commit NAME`, when comparing commit policies) is skipped, so the compared
    ///   policy stays in force; every other command that changes the world runs as typed. `run`, `step`
    ///   and `tick` keep their meaning (`run until leader` runs until a leader in that run), which is why
    ///   the commands are replayed and not the journal's list of deliveries: a run under another policy
    ///   may need more or fewer deliveries and ticks to reach the same point.
    /// - `deliver ID`, `drop ID` and `duplicate ID` name a message of the original run, which the session
    ///   noted when the line ran (``namedMessages``); each compared run then acts on the
    ///   same message if it is in flight there (same id and content), else on the first in-flight message
    ///   with the same sender, receiver and content, else with the same sender, receiver and kind; with none,
    ///   the command is skipped. Each such adaptation is listed under the table.
    /// - Commands that fail in a run (say `apply n2` under `sync`) are skipped there and listed too.
    /// - Commands that only show or check (`show`, `expect`, …), and `export`, `explore`, `quiz` and
    ///   `compare`, are not replayed.
    func compare(_ a: String, _ b: String) throws {
        let kind = try comparedKind(a, b)
        guard let comparison = replayCommands(kind: kind, policies: (a, b)) else {
            say("compare stopped by Ctrl-C while it replayed the session: nothing to compare, the session is unchanged; compare \(a) \(b) goes on")
            (historyRewrite, wasInterrupted) = ([], true)
            return
        }
        say(comparison.report(kind: kind))
    }

    /// Which kind of policy `a` and `b` are: both election or both commit, else a one-line error.
    func comparedKind(_ a: String, _ b: String) throws -> PolicyKind {
        func kind(of name: String) throws -> PolicyKind {
            if registry.elections.contains(where: { $0.name == name }) { return .election }
            if registry.commits.contains(where: { $0.name == name }) { return .commit }
            throw CommandError("unknown policy '\(name)': election policies are \(registry.elections.map(\.name).joined(separator: ", ")); commit policies are \(registry.commits.map(\.name).joined(separator: ", "))")
        }
        let (ka, kb) = (try kind(of: a), try kind(of: b))
        guard a != b else {
            throw CommandError("compare takes two different policies: \(a) against itself replays the same run (e.g. compare priority longest-term, or compare sync async)")
        }
        guard ka == kb else {
            throw CommandError("compare takes two policies of one kind: \(a) is \(ka.article) policy, \(b) \(kb.article) one (e.g. compare priority longest-term, or compare sync async)")
        }
        return ka
    }

    enum PolicyKind: String {
        case election, commit
        var article: String { self == .election ? "an election" : "a commit" }
    }

    /// Replays `history` in one scratch session per compared policy; nil when Ctrl-C stopped it.
    private func replayCommands(kind: PolicyKind, policies: (String, String)) -> Comparison? {
        func scratch(_ policy: String) -> Session {
            var options = self.options
            switch kind {
            case .election: options.election = policy
            case .commit: options.commit = policy
            }
            let session = Session(options: options, write: { _ in })
            session.replaying = true
            session.interrupted = interrupted
            return session
        }
        var runs = [ComparedRun(policy: policies.0, session: scratch(policies.0)),
                    ComparedRun(policy: policies.1, session: scratch(policies.1))]
        var replayed = 0
        for (done, line) in history.enumerated() {
            if interrupted() { return nil }
            showProgress(done, "compare: \(done) of \(counted(history.count, "command")) replayed")
            guard let command = try? CommandParser.parse(line), command.changesWorld else { continue }
            // Each run is under its own policy of the kind compared: its switches are not replayed.
            if case .election = command, kind == .election { continue }
            if case .commit = command, kind == .commit { continue }
            replayed += 1
            switch command {
            case .deliver(let id), .drop(let id), .duplicate(let id):
                let message = namedMessages[done]
                for k in runs.indices {
                    guard let message, let counterpart = runs[k].session.simulation.counterpart(of: message) else {
                        runs[k].notes.append("\(line.trimmingSpaces): \(message?.label ?? "#\(id)") is not in flight in this run: skipped")
                        continue
                    }
                    if counterpart != id {
                        runs[k].notes.append("\(line.trimmingSpaces): #\(id) (\(message.label)) is #\(counterpart) in this run")
                    }
                    runs[k].run(command.with(id: counterpart), line: line)
                }
            default:
                for k in runs.indices { runs[k].run(command, line: line) }
            }
        }
        return Comparison(runs: runs, commands: replayed)
    }
}

// MARK: - The runs

/// One replay under one policy: the scratch session, and what the replay had to adapt.
struct ComparedRun {
    let policy: String
    let session: Session
    var notes: [String] = []

    mutating func run(_ command: Command, line: String) {
        do {
            _ = try session.run(command)
        } catch {
            notes.append("\(line.trimmingSpaces): \(error) in this run: skipped")
        }
    }
}

extension Command {
    /// Whether replaying the command can change the world (or the settings that shape it).
    var changesWorld: Bool {
        switch self {
        case .cluster, .election, .commit, .priority, .set, .submit, .step, .deliver, .drop, .duplicate, .apply,
             .tick, .timeout, .run, .crash, .restart, .partition, .heal, .cut, .uncut, .undo:
            true
        case .policies, .pending, .show, .log, .data, .slots, .explore, .check, .breaks, .quiz, .compare, .history, .explain,
             .expect, .view, .lanes, .export, .help, .web, .quit:
            false
        }
    }

    /// The same command on another message id.
    func with(id: Int) -> Command {
        switch self {
        case .deliver: .deliver(id)
        case .drop: .drop(id)
        case .duplicate: .duplicate(id)
        default: self
        }
    }
}

extension Simulation {
    /// The in-flight item of this run that stands for `message` of another run: the same id with the same
    /// content, else the first with the same content, else the first message with the same sender,
    /// receiver and kind.
    func counterpart(of message: InFlight) -> Int? {
        if inFlight(message.id)?.item == message.item { return message.id }
        if let same = inFlight.first(where: { $0.item == message.item }) { return same.id }
        guard case .message(let envelope) = message.item else { return nil }
        return inFlight.first { flight in
            guard case .message(let other) = flight.item else { return false }
            return other.from == envelope.from && other.to == envelope.to && other.message.kind == envelope.message.kind
        }?.id
    }
}

// MARK: - The report

/// Two runs side by side.
struct Comparison {
    let runs: [ComparedRun]
    /// How many command lines were replayed.
    let commands: Int

    func report(kind: Session.PolicyKind) -> String {
        let (a, b) = (runs[0], runs[1])
        let (fa, fb) = (RunFacts(a.session), RunFacts(b.session))
        var lines = ["compare \(kind.rawValue) policies \(a.policy) and \(b.policy): \(commands) command\(commands == 1 ? "" : "s") of this session replayed under each, from the start"]
        var rows: [[String]] = [[" ", "", a.policy, b.policy]]
        func row(_ label: String, _ left: String, _ right: String) {
            rows.append([left == right ? " " : "≠", label, left, right])
        }
        row("leader at the end", fa.leader, fb.leader)
        row("elected (ballot @tick)", fa.elections, fb.elections)
        row("ticks to elect", fa.ticksToElect, fb.ticksToElect)
        row("votes granted / refused", fa.votes, fb.votes)
        row("timeouts fired", String(fa.timeouts), String(fb.timeouts))
        // The transactions name the row and the cells hold ticks: `t1 0` read as tick 1.
        let count = max(fa.transactions, fb.transactions)
        let names = count <= 3 ? (1...max(1, count)).map { "t\($0)" }.joined(separator: ", ") : "t1…t\(count)"
        row(count == 0 ? "ticks to commit" : "ticks to commit (\(names))", fa.ticksToCommit, fb.ticksToCommit)
        row("commit index", fa.commit, fb.commit)
        row("applied \(fa.replicaNames)", fa.applied, fb.applied)
        for phase in Phase.allCases where phase != .fault && phase != .invariant {
            let (ca, cb) = (fa.messages[phase] ?? 0, fb.messages[phase] ?? 0)
            if ca > 0 || cb > 0 { row("messages: \(phase.rawValue)", String(ca), String(cb)) }
        }
        row("messages in all", String(fa.messageTotal), String(fb.messageTotal))
        row("messages lost", String(fa.lost), String(fb.lost))
        row("invariants", fa.invariants, fb.invariants)
        row("steps / ticks", "\(fa.steps) / \(fa.ticks)", "\(fb.steps) / \(fb.ticks)")
        lines.append(Views.table(rows, indent: "  "))
        lines += divergence(a, b)
        for run in [a, b] where !run.notes.isEmpty {
            lines.append("replaying under \(run.policy):")
            lines += run.notes.map { "  · \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// The first step at which the traces differ (in what happened, not in the notes), its events in two
    /// aligned columns, `=` between the events both runs share and `≠` where they part.
    private func divergence(_ a: ComparedRun, _ b: ComparedRun) -> [String] {
        // Both traces are in step order: walk them side by side, one step's events at a time, and stop at
        // the first step whose events differ.
        let (ta, tb) = (a.session.trace, b.session.trace)
        var (i, j) = (0, 0)
        var found: (step: Int, left: ArraySlice<TraceEvent>, right: ArraySlice<TraceEvent>)?
        while found == nil, i < ta.count || j < tb.count {
            let step = min(i < ta.count ? ta[i].step : .max, j < tb.count ? tb[j].step : .max)
            let (left, right) = (Self.events(of: ta, at: step, from: &i), Self.events(of: tb, at: step, from: &j))
            if !left.elementsEqual(right, by: Self.sameBehaviour) { found = (step, left, right) }
        }
        guard let (step, left, right) = found else {
            let count = ta.count
            return ["the traces are identical (\(count) event\(count == 1 ? "" : "s")): these policies make no difference to these commands"]
        }
        func nothing(_ run: ComparedRun) -> String {
            step > run.session.simulation.step ? "(the run has ended)" : "(no event: time passes)"
        }
        var rows: [[String]] = [[a.policy, " ", b.policy]]
        for k in 0..<max(left.count, right.count, 1) {
            let (l, r) = (left.dropFirst(k).first, right.dropFirst(k).first)
            let same = l.flatMap { l in r.map { Self.sameBehaviour(l, $0) } } ?? false
            rows.append([l.map(Self.summary) ?? (k == 0 ? nothing(a) : ""), same ? "=" : "≠",
                         r.map(Self.summary) ?? (k == 0 ? nothing(b) : "")])
        }
        return ["first difference at step \(step):", Views.table(rows, indent: "  ")]
    }

    /// Whether two events did the same thing, their annotations aside: runs under two policies often do
    /// the same thing for reasons their notes word differently. The same tick, phase, kind, ends and
    /// payload (equal facts make equal payloads, so only events whose facts differ render theirs).
    static func sameBehaviour(_ x: TraceEvent, _ y: TraceEvent) -> Bool {
        x.tick == y.tick && x.phase == y.phase && x.kind == y.kind && x.from == y.from && x.to == y.to
            && (x.fact == y.fact || x.payload.rendered == y.payload.rendered)
    }

    /// The events of `trace` at `step` from `index` on (none if the event there is of another step), and
    /// `index` moved past them.
    static func events(of trace: [TraceEvent], at step: Int, from index: inout Int) -> ArraySlice<TraceEvent> {
        let start = index
        while index < trace.count, trace[index].step == step { index += 1 }
        return trace[start..<index]
    }

    /// What an event did, without when: its phase, kind, ends, payload and rule. Two heartbeat rounds that
    /// change nothing are equal in it, and so are two pre-votes that differ only in their number (`attempt`,
    /// which counts a replica's pre-votes: a lone replica asks again and again, each time the same).
    /// A message lost on the way says which (`{"id": 12}`) in its payload: a fault is told by its note.
    static func behaviourWithoutTime(_ event: TraceEvent) -> String {
        let payload = event.phase == .fault ? "" : withoutPreVoteNumbers(event.payload).rendered
        return "\(event.phase) \(event.kind) \(event.from) \(event.to) \(payload) \(event.note)"
    }

    /// `value` without the `attempt` fields of pre-votes and their answers.
    static func withoutPreVoteNumbers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            .object(fields.compactMap { $0.0 == "attempt" ? nil : ($0.0, withoutPreVoteNumbers($0.1)) })
        case .array(let values): .array(values.map(withoutPreVoteNumbers))
        case .null, .bool, .int, .string: value
        }
    }

    /// `t4 §3(1) timeout n2`, `t4 §3(2) candidacy n2 → n1 {"ballot": "2.n2", …}`: one event, short. A payload
    /// that only wraps its fields in the kind's name (`{"candidacy": {…}}`) shows the fields alone.
    static func summary(_ event: TraceEvent) -> String {
        let route = event.from == event.to ? event.from.description : "\(event.from) → \(event.to)"
        let tag = event.phase == .fault ? "fault" : event.phase == .invariant ? "!!" : event.phase.section
        var text = "t\(event.tick) \(tag) \(event.kind) \(route)"
        if event.isDeliveryOutcome, let cause = event.cause { text += " (#\(cause) delivered)" }
        var payload = event.payload
        if case .object(let fields) = payload, fields.count == 1, fields[0].0 == event.kind.rawValue, case .object = fields[0].1 {
            payload = fields[0].1
        }
        let rendered = payload.rendered
        if !event.isDeliveryOutcome, rendered != "{}" { text += " " + rendered }
        let limit = 72
        return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}

/// What the comparison reads off one run: its trace and its final state.
struct RunFacts {
    var leader = "none"
    var elections = "none"
    var ticksToElect = "—"
    var votes = "0 / 0"
    var timeouts = 0
    var ticksToCommit = "—"
    /// Client transactions submitted (t1, t2, …).
    var transactions = 0
    var commit = "0"
    var replicaNames = ""
    var applied = ""
    var messages: [Phase: Int] = [:]
    var messageTotal = 0
    var lost = 0
    var invariants = "hold"
    var steps = 0
    var ticks = 0

    init(_ session: Session) {
        let sim = session.simulation
        let trace = session.trace
        if let id = sim.leader { leader = "\(id) (\(sim.replica(id).leaderBallot ?? .zero))" }
        steps = sim.step
        ticks = sim.tick
        commit = String(sim.replicas.map(\.commitIndex).max() ?? 0)
        replicaNames = sim.replicas.map(\.id.description).joined(separator: " ")
        applied = sim.replicas.map { String($0.appliedIndex) }.joined(separator: " ")
        let violations = sim.violations
        if !violations.isEmpty {
            invariants = "violated " + violations.map { "\($0.invariant)\($0.index.map { " at \($0)" } ?? "")" }.joined(separator: ", ")
        }

        var elected: [String] = []
        var toElect: [String] = []
        var granted = 0, refused = 0
        // Ticks to elect count from the last time the cluster lost its leader: the start when it had none, the
        // crash or step-down of the last replica leading, or a partition or cut (which may cut the leader off
        // from a majority). A follower's crash loses no leader.
        var leaders: [Endpoint] = []
        if case .start(let setup)? = session.journal.first, let leader = setup.leader { leaders = [.replica(leader)] }
        var lostLeaderAt = 0
        var submitted: [Int] = []
        var transactionIndex: [Int: Int] = [:]
        var committedAt: [Int: Int] = [:]
        for event in trace {
            if event.sentID != nil, event.phase != .fault {
                messages[event.phase, default: 0] += 1
                messageTotal += 1
            }
            switch (event.phase, event.kind) {
            case (.fault, .drop): lost += 1
            case (.fault, .partition), (.fault, .cut): lostLeaderAt = event.tick
            case (.fault, .crash), (.election, .stepDown):
                guard let k = leaders.firstIndex(of: event.from) else { break }
                leaders.remove(at: k)
                if leaders.isEmpty { lostLeaderAt = event.tick }
            case (.timeout, _): timeouts += 1
            case (.election, .elected):
                if case .object(let fields) = event.payload, let ballot = fields.first(where: { $0.0 == "ballot" })?.1,
                   case .string(let name) = ballot {
                    elected.append("\(name) @t\(event.tick)")
                }
                toElect.append(String(event.tick - lostLeaderAt))
                if !leaders.contains(event.from) { leaders.append(event.from) }
            case (.election, .promise) where event.sentID != nil:
                if case .object(let fields) = event.payload, case .object(let promise)? = fields.first(where: { $0.0 == "promise" })?.1,
                   case .bool(let yes)? = promise.first(where: { $0.0 == "granted" })?.1 {
                    if yes { granted += 1 } else { refused += 1 }
                }
            case (.transaction, .transaction) where event.from == .client && event.cause == nil:
                submitted.append(event.tick)
            default: break
            }
            switch event.reason {
            case .proposes(let index, _, let transactions)?:
                for t in transactions { transactionIndex[t] = index }
            case .majority(let index, _, _, _)?, .commitsWithoutMajority(let index, _, _, _)?,
                 .applies(let index, .leaderCommit)?:
                if committedAt[index] == nil { committedAt[index] = event.tick }
            default: break
            }
        }
        if !elected.isEmpty { elections = elected.joined(separator: ", ") }
        if !toElect.isEmpty { ticksToElect = toElect.joined(separator: ", ") }
        votes = "\(granted) / \(refused)"
        // Ticks to commit: per transaction (t1, t2, …), from its submit to the commit of its entry.
        let perTransaction = submitted.indices.map { k -> String in
            guard let index = transactionIndex[k + 1], let at = committedAt[index] else { return "—" }
            return String(at - submitted[k])
        }
        transactions = submitted.count
        if !perTransaction.isEmpty { ticksToCommit = perTransaction.joined(separator: ", ") }
    }
}
