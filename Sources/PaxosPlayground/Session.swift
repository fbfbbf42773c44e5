import PaxosCore
import PaxosSimulation

/// How a session starts: the command line's common options.
public struct SessionOptions: Sendable {
    public var seed: UInt64 = 1
    public var replicas = 3
    public var election = PriorityElection.name
    public var commit = SyncCommit.name
    public var color = false
    public var quiet = false
    /// The columns flow lines are wrapped to; nil (the default: scripts, pipes, tests) wraps nothing.
    public var width: Int?
    /// Plain ASCII in `lanes` (`--ascii`, or `NO_COLOR` set).
    public var ascii = false
    public var registry = PolicyRegistry.builtIn

    public init() {}
}

/// What one command line came to.
public enum Outcome: Hashable, Sendable {
    case ok
    /// An `expect` that did not hold.
    case expectFailed
    /// Bad input: nothing changed.
    case error(String)
    /// Ctrl-C stopped the command between two whole events (``Session/interrupted``); it said what it did.
    case interrupted
    case quit
}

/// The one command interpreter behind the REPL, scripts and tests. It owns the simulation, the trace and
/// the journal of what changed the world, from which `undo` and `compare` replay.
public final class Session {
    public let options: SessionOptions
    public internal(set) var simulation: Simulation
    /// Every event so far, in order.
    public internal(set) var trace: [TraceEvent] = []
    /// The command lines entered so far (for `history`).
    public private(set) var history: [String] = []
    /// The message each line of `history` that names one (`deliver`, `drop`, `duplicate`) found in flight,
    /// by the line's position: `compare` looks for it in each of its runs.
    private(set) var namedMessages: [Int: InFlight] = [:]
    public internal(set) var failedExpectations = 0
    /// Where text goes; a line at a time, without the newline.
    public var write: (String) -> Void
    var renderer: FlowRenderer
    /// How events print (`view`); not part of the world, so undo and compare leave it.
    var view: FlowView = .full
    /// Under `view compact`, the heartbeat rounds not printed yet (``HeartbeatFold``).
    var fold: HeartbeatFold?
    var electionName: String
    var commitName: String
    /// The commands and actions that made the current world, to replay.
    var journal: [JournalEntry] = []
    /// Copies of the world at multiples of ``Checkpoint/spacing`` journal entries since the last `cluster`,
    /// oldest first (every one of the last ``Checkpoint/recent``, fewer before them: ``record(_:)``):
    /// `undo` goes back to the last one before its cut and replays the entries after it.
    var checkpoints: [Checkpoint] = []
    var replaying = false
    var quiz = Quiz()
    /// `file:line` of the script line being run, for error messages.
    var errorLocation: String?
    /// Where `explore` writes the path it finds.
    public var exploreScriptPath = "explore.pxs"
    /// Where `check` writes the counterexample it finds.
    public var checkScriptPath = "counterexample.pxs"
    /// Receives a line the REPL reads from the terminal in answer to a quiz question; nil in scripts and
    /// when the REPL's input is not a terminal: then nobody answers, and the quiz shows each answer.
    public var ask: ((String) -> String?)?
    /// Whether the user asked the running command to stop (Ctrl-C). Long commands ask it between whole
    /// events, the model checker's threads between chunks of states; the command line reads the flag its
    /// SIGINT handler sets. Never true by default.
    public var interrupted: @Sendable () -> Bool = { false }
    /// Draws where a long command stands, on a terminal; nil (the default) shows nothing, so scripts,
    /// pipes and tests print the same bytes. Called from the model checker's threads too.
    public var progress: (@Sendable (String) -> Void)?
    /// The most trace events the session keeps: a command that would add more stops or is refused.
    var eventsMax = Limits.sessionEventsMax
    /// The most states `explore` and `check` search.
    var searchStatesMax = Limits.searchStatesMax
    /// What history keeps of the command running now, when it stopped before its end (set by `stopped`).
    var historyRewrite: [String]?
    /// Whether Ctrl-C stopped the command running now.
    var wasInterrupted = false
    /// False to check the path of every file a command would write, and write nothing (the fuzzer).
    public var writesFiles = true
    /// While `run until …` holds a round of events back (to fold it if it repeats the last one), the flow
    /// collects here instead of printing. nil: the flow prints as it happens.
    var heldFlow: [TraceEvent]?
    /// Runs `web [on [PORT] | off]` and returns what to say, or throws its one error line. Only the
    /// interactive REPL sets it (the live page, PlaygroundWeb); nil (scripts, tests, pipes), `web` says it
    /// is ignored there and the session goes on.
    package var web: ((WebSwitch) throws(CommandError) -> String)?
    /// Called with the world after each step the session performs (not replays); the live page encodes its
    /// snapshots from it. nil by default.
    package var stepObserver: ((Simulation) -> Void)?
    /// How many fresh worlds the session started: `cluster`, and every `undo` (from the start or from a
    /// checkpoint). The live page starts over when it changes.
    package internal(set) var worlds = 0

    /// The world as it was once the journal held `journalCount` entries: the simulation (a value, whose
    /// copy shares its storage with the live one until either changes), the policies' names, and how long
    /// the trace was. The journal and the trace only grow between two `cluster`s, so their first entries
    /// are still the ones that made this world.
    ///
    /// A copy costs what the live world changed since it was taken (the arrays it wrote are copied, the rest
    /// shared): about a whole world. A world can grow with the session (a replica down for good keeps the
    /// others' logs from being cleaned), so older checkpoints are thinned to keep their memory in proportion
    /// to the journal: see ``record(_:)``.
    struct Checkpoint {
        /// Entries between two checkpoints, at least: an `undo` within the last ``recent`` checkpoints
        /// replays fewer than this many while the world is small (``elementsCopiedPerEntry``).
        static let spacing = 64
        /// The last checkpoints, all kept.
        static let recent = 4
        /// A checkpoint is taken (at a multiple of ``spacing``) only once it copies at most this many
        /// elements of the world (``size``) per journal entry since the last one: a world that grows with
        /// the session is copied further apart, so that copying it stays in proportion to the session, and an
        /// `undo` replays at most one entry per this many elements of the world.
        static let elementsCopiedPerEntry = 64
        /// An older checkpoint is kept only if it holds at most this many elements of the world
        /// (``size``) per journal entry since the checkpoint kept before it.
        static let elementsPerEntry = 4

        let journalCount: Int
        let traceCount: Int
        let simulation: Simulation
        let electionName: String
        let commitName: String

        /// How much of the world the copy holds, in elements: log entries, data keys, items in flight and
        /// the invariant monitor's history.
        var size: Int { Self.size(of: simulation) }

        static func size(of sim: Simulation) -> Int {
            let replicas = sim.replicas.reduce(0) { $0 + $1.log.count + $1.data.count }
            let monitor = sim.monitor.committed.count + sim.monitor.acceptors.count + sim.monitor.leaders.count
                + sim.monitor.replayed.reduce(0) { $0 + $1.count }
            return replicas + sim.inFlight.count + monitor
        }
    }

    enum JournalEntry: Hashable {
        /// A fresh world: what `cluster` made, with the policies and settings then in force.
        case start(ClusterSetup)
        case setup(Command)
        case action(Action)
    }

    public init(options: SessionOptions = SessionOptions(), write: @escaping (String) -> Void = { print($0) }) {
        self.options = options
        self.write = write
        renderer = FlowRenderer(color: options.color, width: options.width)
        electionName = options.election
        commitName = options.commit
        simulation = Simulation(replicaCount: options.replicas, seed: options.seed)
        rebuild(replicas: options.replicas, leader: nil)
    }

    /// Every registered name, for errors and completion.
    var registry: PolicyRegistry { options.registry }

    // MARK: - Running a line

    /// Parses and runs one line. Errors change nothing and say what would be right.
    @discardableResult
    public func execute(_ line: String) -> Outcome {
        let command: Command?
        do {
            command = try CommandParser.parse(line)
        } catch {
            return fail(error.description)
        }
        guard let command else { return .ok }
        history.append(line.trimmingSpaces)
        switch command {
        case .deliver(let id), .drop(let id), .duplicate(let id): namedMessages[history.count - 1] = simulation.inFlight(id)
        default: break
        }
        (historyRewrite, wasInterrupted) = (nil, false)
        do {
            let outcome = try run(command)
            flushFold()
            if let kept = historyRewrite {
                forgetLastLine()
                history += kept
            }
            return wasInterrupted ? .interrupted : outcome
        } catch let error as CommandError {
            forgetLastLine()
            return fail(error.description)
        } catch let error as SimulationError {
            forgetLastLine()
            return fail(error.description)
        } catch {
            forgetLastLine()
            return fail("\(error)")
        }
    }

    /// Takes the last line off `history`, with the message it named.
    private func forgetLastLine() {
        history.removeLast()
        namedMessages[history.count] = nil
    }

    /// Reads one line of input as the REPL does (``InputText/line(_:first:)``: `first` for the first line of
    /// the input) and runs it; input that is not UTF-8 is an error like any other.
    @discardableResult
    public func execute(input bytes: some Collection<UInt8>, first: Bool = false) -> Outcome {
        do {
            return execute(try InputText.line(bytes, first: first))
        } catch {
            return fail(error.description)
        }
    }

    /// Prints one error line (`error: ...`, or `FILE:LINE: error: ...` in a script), with every control
    /// character the message holds escaped, and changes nothing.
    func fail(_ message: String) -> Outcome {
        flushFold()
        let message = InputText.escaped(message)
        if let location = errorLocation {
            write(renderer.error("\(InputText.escaped(location)): error: \(message)"))
        } else {
            write(renderer.error("error: \(message)"))
        }
        return .error(message)
    }

    func say(_ text: String) {
        guard !replaying else { return }
        flushFold()
        write(fitted(text))
    }

    /// `text` with each line longer than the width wrapped at word boundaries under its own indent and 4
    /// more. A painted line was fitted before it was painted and stays as it is; no width, no change.
    func fitted(_ text: String) -> String {
        guard let width = options.width else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { piece -> [String] in
            let line = String(piece)
            guard !line.contains("\u{1B}") else { return [line] }
            return TextWrap.wrap(line, width: width, indent: TextWrap.leadingSpaces(line) + 4)
        }.joined(separator: "\n")
    }

    /// Output that `--quiet` silences: the flows, as `view` asks.
    func flow(_ events: [TraceEvent]) {
        guard !replaying, !options.quiet else { return }
        if heldFlow != nil {
            heldFlow?.append(contentsOf: events)
            return
        }
        switch view {
        case .full, .phases:
            for line in viewed(events) { write(line) }
        case .compact:
            for line in compactLines(events, fold: &fold) { write(line) }
        }
    }

    /// The lines of `events` in the view. Under `view phases` a violation shows whatever phases were named:
    /// it is what the run is about. Under `view compact` their own routine heartbeat rounds fold, into no
    /// fold of the session's: for a flow that stands alone (an `explore` path, a `check` counterexample).
    func viewed(_ events: [TraceEvent]) -> [String] {
        switch view {
        case .full:
            return renderer.render(events)
        case .phases(let phases):
            return renderer.render(events.filter { phases.contains($0.phase) || $0.phase == .invariant })
        case .compact:
            var fold: HeartbeatFold?
            return compactLines(events, fold: &fold) + flushed(&fold)
        }
    }

    /// `events` under `view compact`: routine heartbeat rounds go into `fold`, which prints (and starts
    /// again) when something else happens or another leader's round comes.
    private func compactLines(_ events: [TraceEvent], fold: inout HeartbeatFold?) -> [String] {
        var lines: [String] = []
        for group in FlowRenderer.groups(events) {
            if HeartbeatFold.isRoutine(group), let leader = HeartbeatFold.leader(of: group) {
                if fold?.leader != leader { lines += flushed(&fold) }
                if fold == nil, let first = group.first { fold = HeartbeatFold(leader: leader, tick: first.tick) }
                fold?.add(group)
            } else {
                lines += flushed(&fold)
                lines += renderer.compact(group)
            }
        }
        return lines
    }

    /// The line of the heartbeat rounds `fold` holds, if any; `fold` is empty after.
    private func flushed(_ fold: inout HeartbeatFold?) -> [String] {
        guard let pending = fold else { return [] }
        fold = nil
        return renderer.compact(pending)
    }

    /// Prints the folded heartbeat rounds, if any.
    func flushFold() {
        for line in flushed(&fold) { write(line) }
    }

    // MARK: - Changing the world

    /// Performs one action as one step: journals it, records and prints its events.
    @discardableResult
    func perform(_ action: Action) throws -> [TraceEvent] {
        guard replaying || trace.count < eventsMax else { throw CommandError(fullReason) }
        if quiz.isOn, !replaying { try quiz.ask(before: action, in: self) }
        let events = try simulation.perform(action)
        trace += events
        record(.action(action))
        if !replaying { stepObserver?(simulation) }
        flow(events)
        if quiz.isOn, !replaying { quiz.reveal(events, in: self) }
        return events
    }

    /// Starts a fresh world with the current policies and settings (priorities reset when N changes).
    func rebuild(replicas: Int, leader: ReplicaID?, config: ClusterConfig? = nil) {
        var config = config ?? simulation.config
        if config.replicaCount != replicas {
            let defaults = ClusterConfig(replicaCount: replicas)
            config.replicaCount = replicas
            config.priorities = defaults.priorities
        }
        simulation = Simulation(replicaCount: replicas, seed: options.seed, policies: currentPolicies(),
                                config: config, leader: leader)
        trace = []
        worlds += 1
        journal = [.start(ClusterSetup(election: electionName, commit: commitName, config: config, leader: leader))]
        checkpoints = []
    }

    /// Adds `entry` to the journal, once the world is what it made; every ``Checkpoint/spacing`` entries,
    /// keeps a copy of the world for `undo` if the entries since the last copy are at least its size over
    /// ``Checkpoint/elementsCopiedPerEntry``. The checkpoint that this one pushes out of the last
    /// ``Checkpoint/recent`` stays only if its size is at most ``Checkpoint/elementsPerEntry`` times the
    /// entries since the checkpoint kept before it: the checkpoints then hold at most that many elements
    /// per journal entry, plus the recent ones, however the world grows; `undo` further back replays more.
    func record(_ entry: JournalEntry) {
        journal.append(entry)
        guard journal.count % Checkpoint.spacing == 0 else { return }
        let entries = journal.count - (checkpoints.last?.journalCount ?? 0)
        guard entries * Checkpoint.elementsCopiedPerEntry >= Checkpoint.size(of: simulation) else { return }
        checkpoints.append(Checkpoint(journalCount: journal.count, traceCount: trace.count, simulation: simulation,
                                      electionName: electionName, commitName: commitName))
        let old = checkpoints.count - 1 - Checkpoint.recent
        guard old >= 0 else { return }
        let since = checkpoints[old].journalCount - (old > 0 ? checkpoints[old - 1].journalCount : 0)
        if checkpoints[old].size > Checkpoint.elementsPerEntry * since { checkpoints.remove(at: old) }
    }

    func currentPolicies() -> Policies {
        Policies(election: registry.election(named: electionName) ?? PriorityElection(),
                 commit: registry.commit(named: commitName) ?? SyncCommit())
    }

    /// Replays `entries` from a fresh world, silently (undo, export). With `interruptible` (undo), Ctrl-C stops it
    /// between two entries and it returns false: the world is then a partial replay, for the caller to undo.
    @discardableResult
    func replay(_ entries: [JournalEntry], interruptible: Bool = false) -> Bool {
        let saved = (replaying, quiz.isOn)
        replaying = true
        quiz.isOn = false
        defer { (replaying, quiz.isOn) = saved }
        for (done, entry) in entries.enumerated() {
            if interruptible {
                if interrupted() { return false }
                showProgress(done, "undo: replaying \(done) of \(counted(entries.count, "step"))")
            }
            switch entry {
            case .start(let setup):
                electionName = setup.election
                commitName = setup.commit
                rebuild(replicas: setup.replicas, leader: setup.leader, config: setup.config)
            case .setup(let command): _ = try? run(command)
            case .action(let action): _ = try? perform(action)
            }
        }
        return true
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
