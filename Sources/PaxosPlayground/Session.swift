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
    public internal(set) var failedExpectations = 0
    /// Where text goes; a line at a time, without the newline.
    public var write: (String) -> Void
    var renderer: FlowRenderer
    var electionName: String
    var commitName: String
    /// The commands and actions that made the current world, to replay.
    var journal: [JournalEntry] = []
    var replaying = false
    var quiz = Quiz()
    /// `file:line` of the script line being run, for error messages.
    var errorLocation: String?
    /// Where `explore` writes the path it finds.
    public var exploreScriptPath = "explore.pxs"
    /// Where `check` writes the counterexample it finds.
    public var checkScriptPath = "counterexample.pxs"
    /// Receives a line the REPL reads in answer to a quiz question; nil outside a REPL.
    public var ask: ((String) -> String?)?

    enum JournalEntry: Hashable {
        /// A fresh world: what `cluster` made, with the policies and settings then in force.
        case start(ClusterSetup)
        case setup(Command)
        case action(Action)
    }

    public init(options: SessionOptions = SessionOptions(), write: @escaping (String) -> Void = { print($0) }) {
        self.options = options
        self.write = write
        renderer = FlowRenderer(color: options.color)
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
        do {
            return try run(command)
        } catch let error as CommandError {
            history.removeLast()
            return fail(error.description)
        } catch let error as SimulationError {
            history.removeLast()
            return fail(error.description)
        } catch {
            history.removeLast()
            return fail("\(error)")
        }
    }

    private func fail(_ message: String) -> Outcome {
        if let location = errorLocation {
            write(renderer.error("\(location): error: \(message)"))
        } else {
            write(renderer.error("error: \(message)"))
        }
        return .error(message)
    }

    func say(_ text: String) {
        guard !replaying else { return }
        write(text)
    }

    /// Output that `--quiet` silences: the flows.
    func flow(_ events: [TraceEvent]) {
        guard !replaying, !options.quiet else { return }
        for line in renderer.render(events) { write(line) }
    }

    // MARK: - Changing the world

    /// Performs one action as one step: journals it, records and prints its events.
    @discardableResult
    func perform(_ action: Action) throws -> [TraceEvent] {
        if quiz.isOn, !replaying { try quiz.ask(before: action, in: self) }
        let events = try simulation.perform(action)
        journal.append(.action(action))
        trace += events
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
        journal = [.start(ClusterSetup(election: electionName, commit: commitName, config: config, leader: leader))]
    }

    func currentPolicies() -> Policies {
        Policies(election: registry.election(named: electionName) ?? PriorityElection(),
                 commit: registry.commit(named: commitName) ?? SyncCommit())
    }

    /// Replays `entries` from a fresh world, silently (undo, compare).
    func replay(_ entries: [JournalEntry]) {
        let saved = (replaying, quiz.isOn)
        replaying = true
        quiz.isOn = false
        defer { (replaying, quiz.isOn) = saved }
        for entry in entries {
            switch entry {
            case .start(let setup):
                electionName = setup.election
                commitName = setup.commit
                rebuild(replicas: setup.replicas, leader: setup.leader, config: setup.config)
            case .setup(let command): _ = try? run(command)
            case .action(let action): _ = try? perform(action)
            }
        }
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
