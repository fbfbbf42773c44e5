import Foundation
import PaxosCore
import PaxosSimulation

/// The bounds of one model check: the cluster, the policies, and how much the world may do.
///
/// Every run the checker explores starts from the same world (`cluster N [leader nK]` after the settings)
/// and takes steps from this menu, each within its budget:
/// - deliver any in-flight message, in any order (and, under `async`, any due apply);
/// - drop or duplicate one (``drops``, ``duplicates``);
/// - crash a live replica, restart a crashed one (``crashes``, ``restarts``);
/// - let time pass (``time``): global ticks, as `tick` does, or one replica's election timer firing;
/// - submit the next client transaction (``transactions``; transaction k sets `x=k`).
/// A step that would make a replica stand for election beyond ``elections`` (or a replica not in
/// ``candidates`` stand at all) is not taken: the bound is on candidacies, so on ballots.
package struct CheckerConfiguration: Sendable {
    /// How time passes in the explored runs.
    package enum TimeModel: Hashable, Sendable {
        /// Up to this many global ticks, each advancing every live replica's clock, exactly as the `tick`
        /// command does. Counterexamples replay as scripts.
        case ticks(Int)
        /// Up to this many election timeouts, each firing one replica's election timer at any moment
        /// (an asynchronous system's timer may fire whenever: this covers every tick schedule and more).
        /// Counterexamples say `timeout nK`, which a script can replay once the command exists.
        case timeouts(Int)

        /// How the bounds line and a preset's summary say it: "2 ticks", "1 timeout (only once the leader is
        /// down)".
        package func summary(suspicion: Suspicion) -> String {
            switch self {
            case .ticks(let n): "\(n) tick\(n == 1 ? "" : "s")"
            case .timeouts(let n): "\(n) timeout\(n == 1 ? "" : "s")" + (suspicion == .leaderDown ? " (\(suspicion.summary))" : "")
            }
        }

        package var budget: Int {
            switch self {
            case .ticks(let n), .timeouts(let n): n
            }
        }
    }

    /// When an election timer may fire under abstract time (``TimeModel/timeouts(_:)``).
    package enum Suspicion: String, Hashable, Sendable, CaseIterable {
        /// At any moment: a follower may suspect a leader that is up (its heartbeats were late), the false
        /// suspicion that pre-vote and leader stickiness guard against.
        case any
        /// Only at a replica whose leader is down, or that follows none (a perfect failure detector): every
        /// election answers a crash.
        case leaderDown = "leader-down"

        /// What it means, for help and the bounds line.
        package var summary: String {
            switch self {
            case .any: "at any moment, also against a live leader"
            case .leaderDown: "only once the leader is down"
            }
        }
    }

    package enum SearchOrder: String, Hashable, Sendable, CaseIterable {
        /// Level by level: the first counterexample found is a shortest one. Uses every thread.
        case breadthFirst = "bfs"
        /// Deepest first: less memory, counterexamples not shortest. Every thread without a depth bound,
        /// one with it.
        case depthFirst = "dfs"
    }

    /// Reductions that keep verdicts and shortest-counterexample lengths exact; all but the partial order
    /// count fewer states.
    package struct Reductions: OptionSet, Hashable, Sendable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }

        /// Sleep sets over independent steps (deliveries to different replicas, and the like): fewer
        /// transitions, the same states. Breadth-first search only.
        package static let partialOrder = Reductions(rawValue: 1 << 0)
        /// Messages to a replica that is down for good (crashed, and no restart left) leave the network at
        /// once: they could only be lost. Exact for verdicts and shortest-counterexample lengths (a run that
        /// loses or drops such a message does no more than the one that skips it); fewer states.
        package static let deadLetters = Reductions(rawValue: 1 << 2)
        /// Interchangeable replicas counted once: a state and its renamings (n2 and n3 swapped, say) share
        /// one fingerprint, the least of theirs. The search keeps the real states, so counterexamples are real
        /// runs. Applies only where ``SymmetryAnalysis`` finds interchangeable replicas (abstract time,
        /// `longest-term` or `randomized`, at most one election) and gives at most
        /// ``SymmetryAnalysis/renamingLimit`` renamings; fewer states.
        package static let symmetry = Reductions(rawValue: 1 << 1)

        /// Messages their receiver will ignore whenever they arrive (a ballot it promised past, an election
        /// or a recovery it finished) leave the network at once. Exact for verdicts and
        /// shortest-counterexample lengths, as dead letters are; fewer states.
        package static let ignoredMessages = Reductions(rawValue: 1 << 3)

        /// No message is dropped: a lost message is one never delivered, and the search already holds back
        /// every message as long as it likes. Nothing in the core or the invariants sees a message in flight,
        /// so whatever a run with a drop reaches (the replicas, the invariants' history), the same run with
        /// the message kept in flight reaches too, a step sooner (as Lamport's Paxos specification in TLA+
        /// never loses a message). Exact for verdicts and shortest-counterexample lengths: the shortest
        /// counterexample never drops; fewer states. Duplicates are still taken: a copy can be delivered twice.
        package static let dropsAsDelays = Reductions(rawValue: 1 << 4)

        package static let all: Reductions = [.partialOrder, .deadLetters, .symmetry, .ignoredMessages, .dropsAsDelays]

        /// Each reduction by the name `check --without` takes.
        package static let named: KeyValuePairs<String, Reductions> = [
            "sleep-sets": .partialOrder, "dead-letters": .deadLetters, "ignored-messages": .ignoredMessages,
            "drops-as-delays": .dropsAsDelays, "symmetry": .symmetry,
        ]
    }

    // MARK: The cluster

    package var replicas = 3
    /// `cluster N leader nK`: nK leads ballot 1 at the start. nil: no leader, an election must play out.
    package var initialLeader: ReplicaID? = ReplicaID(1)
    /// How a search that starts from a given state (`explore` in the REPL) describes that state in place of
    /// the initial leader, which it does not use: `from step 12, n2 leads 2.n2`. nil: a fresh cluster.
    package var startingState: String?
    /// `priority nK P` for each replica; nil keeps the defaults (n1 highest).
    package var priorities: [Int]?
    package var election = PriorityElection.name
    package var commit = SyncCommit.name
    package var registry = PolicyRegistry.builtIn
    /// `set recovery on|off`. Off is the unsafe teaching setting.
    package var recovery = true
    /// `set heartbeat T`. The default is beyond any tick budget, so no heartbeats (nor their
    /// retransmissions) are sent: as in the classic Paxos models, a lost message stays lost.
    package var heartbeatIntervalTicks = 1_000
    /// `set timeout T`: the base election timeout (the election policy may add to it).
    package var electionTimeoutTicks = 1
    package var batchSize = 1
    package var window = 4
    /// The session seed (`--seed`): randomized elections draw their timeouts from it.
    package var seed: UInt64 = 1
    /// `set break NAME`: the deliberate protocol bugs switched on (none in a correct run).
    package var breaks: ProtocolBreaks = []

    // MARK: What the world may do

    /// Client transactions committed, applied and acknowledged on every replica before the search starts
    /// (`submit x=k` then `run`, for k = 1…N): every explored run begins with that log. The search's own
    /// transactions are numbered after them. Needs an initial leader.
    package var committedFirst = 0
    /// Client transactions that may be submitted (transaction k sets `x=k`, counting after ``committedFirst``).
    package var transactions = 1
    /// Candidacies (a replica standing for election) in one run: each is a new ballot.
    package var elections = 1
    /// At most this many candidacies per replica (nil: only the total counts).
    package var electionsPerReplica: Int?
    /// The replicas that may stand for election (nil: any).
    package var candidates: [ReplicaID]?
    package var time: TimeModel = .ticks(2)
    /// When an election timer may fire under abstract time; global ticks advance every timer alike.
    package var suspicion: Suspicion = .any
    package var drops = 0
    package var duplicates = 0
    package var crashes = 0
    package var restarts = 0

    // MARK: The search

    package var order: SearchOrder = .breadthFirst
    package var threads = ProcessInfo.processInfo.activeProcessorCount
    package var reductions: Reductions = .all
    /// Stop (inconclusive) after this many distinct states.
    package var stateLimit: Int?
    /// Stop (inconclusive) after this many seconds.
    package var timeLimitSeconds: Double?
    /// Stop (inconclusive) once the process's resident memory passes this many bytes. The default is half
    /// the machine's memory, so a search too big for it ends with a report instead of the machine swapping
    /// or killing it.
    package var memoryLimitBytes: Int? = Int(ProcessInfo.processInfo.physicalMemory / 2)
    /// Explore runs of at most this many steps (nil: until nothing more can happen).
    package var maxDepth: Int?
    /// Asked by the search threads between chunks of states: true stops the search (inconclusive), as
    /// Ctrl-C does. It must be cheap and safe to call from any thread (the command line reads an atomic
    /// flag that its SIGINT handler sets).
    package var interrupted: (@Sendable () -> Bool)?
    /// Check progress too (`Docs/Progress.md`): from every state reached, once the faults stop, the cluster
    /// converges for good within K ticks and commits a new transaction. `check --without progress` skips it.
    package var progress = true

    /// The reductions that stay exact with the progress check: a message never delivered is not a dropped
    /// one once every due message is delivered, so drops as delays are left out when drops are allowed; so
    /// is symmetry when replicas may crash, since the faults stop by restarting the lowest-numbered ones, a
    /// choice renaming does not keep. Dead letters stay: when the faults stop, a message in flight to a
    /// crashed replica reaches it before it restarts, so it is lost there too
    /// (``Simulation/faultsStopActions(restartingAll:)``).
    package var effectiveReductions: Reductions {
        guard progress else { return reductions }
        var kept = reductions
        if drops > 0 { kept.remove(.dropsAsDelays) }
        if crashes > 0 { kept.remove(.symmetry) }
        return kept
    }

    package init() {}

    /// The most transactions a search may submit: budgets are counted in 8 bits, and 63 transactions keep
    /// the monitor from forgetting history.
    package static let transactionsMax = 63
    /// The most transactions committed before the search.
    package static let committedFirstMax = 8
    /// The most of every other budget (elections, drops, duplicates, crashes, restarts, ticks or timeouts).
    package static let budgetMax = 255
    /// The most candidacies per replica.
    package static let electionsPerReplicaMax = 15

    /// Checks the names and numbers; the error says what is wrong and what would be right.
    package func validate() throws(CheckerError) {
        guard (1...9).contains(replicas) else { throw CheckerError("replicas must be 1 to 9, not \(replicas)") }
        if let initialLeader, !(1...replicas).contains(initialLeader.number) {
            throw CheckerError("the initial leader must be one of n1..n\(replicas), not \(initialLeader)")
        }
        guard registry.election(named: election) != nil else {
            throw CheckerError("unknown election policy '\(election)': registered are \(registry.elections.map(\.name).joined(separator: ", "))")
        }
        guard registry.commit(named: commit) != nil else {
            throw CheckerError("unknown commit policy '\(commit)': registered are \(registry.commits.map(\.name).joined(separator: ", "))")
        }
        if let priorities, priorities.count != replicas {
            throw CheckerError("give one priority per replica: \(replicas), not \(priorities.count)")
        }
        for (name, value) in [("transactions", transactions), ("elections", elections), ("drops", drops),
                              ("duplicates", duplicates), ("crashes", crashes), ("restarts", restarts),
                              ("time", time.budget)] {
            let max = name == "transactions" ? Self.transactionsMax : Self.budgetMax
            guard (0...max).contains(value) else {
                throw CheckerError("\(name) must be from 0 to \(max), not \(value)")
            }
        }
        guard (0...Self.committedFirstMax).contains(committedFirst) else {
            throw CheckerError("transactions committed first must be from 0 to \(Self.committedFirstMax), not \(committedFirst)")
        }
        if committedFirst > 0, initialLeader == nil {
            throw CheckerError("transactions committed first need a leader at the start: name one (check --leader n1; in a session, cluster \(replicas) leader n1), or commit none first")
        }
        if let electionsPerReplica, !(0...Self.electionsPerReplicaMax).contains(electionsPerReplica) {
            throw CheckerError("elections per replica must be from 0 to \(Self.electionsPerReplicaMax), not \(electionsPerReplica)")
        }
        if let candidates, let bad = candidates.first(where: { !(1...replicas).contains($0.number) }) {
            throw CheckerError("candidate \(bad) is not one of n1..n\(replicas)")
        }
        guard heartbeatIntervalTicks >= 1, electionTimeoutTicks >= 1, batchSize >= 1, window >= 1 else {
            throw CheckerError("heartbeat, timeout, batch and window must be at least 1")
        }
        guard threads >= 1 else { throw CheckerError("threads must be at least 1, not \(threads)") }
        if let stateLimit, stateLimit < 1 { throw CheckerError("the state limit must be at least 1") }
        if let timeLimitSeconds, timeLimitSeconds <= 0 { throw CheckerError("the time limit must be positive") }
        if let memoryLimitBytes, memoryLimitBytes <= 0 { throw CheckerError("the memory limit must be positive") }
        if let maxDepth, maxDepth < 0 { throw CheckerError("the depth must be at least 0") }
        if suspicion == .leaderDown, case .ticks(let n) = time, n > 0 {
            throw CheckerError("suspicion leader-down needs abstract time: give timeouts N, not ticks (a global tick advances every timer, the leader's followers' too)")
        }
    }

    /// The cluster settings, as `set` leaves them before `cluster` runs.
    package var clusterConfig: ClusterConfig {
        var config = ClusterConfig(replicaCount: replicas)
        if let priorities { config.priorities = priorities }
        config.heartbeatIntervalTicks = heartbeatIntervalTicks
        config.electionTimeoutTicks = electionTimeoutTicks
        config.batchSize = batchSize
        config.window = window
        config.recovery = recovery
        config.breaks = breaks
        return config
    }

    package var policies: Policies {
        Policies(election: registry.election(named: election) ?? PriorityElection(),
                 commit: registry.commit(named: commit) ?? SyncCommit())
    }

    /// The world every explored run starts from: what `cluster N [leader nK]` makes after the settings, and
    /// then, for each transaction committed first, what `submit x=k` and `run` make (every item delivered in
    /// order until nothing is in flight).
    package func initialSimulation() -> Simulation {
        initialSimulationWithEvents().simulation
    }

    /// ``initialSimulation()`` and the trace of its transactions committed first.
    package func initialSimulationWithEvents() -> (simulation: Simulation, events: [TraceEvent]) {
        var simulation = Simulation(replicaCount: replicas, seed: seed, policies: policies, config: clusterConfig,
                                    leader: initialLeader)
        var events: [TraceEvent] = []
        for action in Self.committedFirstActions(committedFirst) {
            events += (try? simulation.perform(action)) ?? []
            while let next = simulation.inFlight.first { events += (try? simulation.perform(.deliver(next.id))) ?? [] }
        }
        return (simulation, events)
    }

    /// The submits of the transactions committed first, in order: transaction k sets `x=k`.
    package static func committedFirstActions(_ count: Int) -> [Action] {
        count > 0 ? (1...count).map { .submit(Transition.redo(ofTransaction: $0)) } : []
    }

    /// One line: the bounds, as the report prints them.
    package var summary: String {
        let start = startingState ?? initialLeader.map { "\($0) leads ballot 1" } ?? "no leader"
        var parts = ["\(replicas) replica\(replicas == 1 ? "" : "s")", start,
                     "election \(election)", "commit \(commit)", "recovery \(recovery ? "on" : "off")"]
        if committedFirst > 0 { parts.append("\(committedFirst) transaction\(committedFirst == 1 ? "" : "s") committed first") }
        parts += ["\(transactions) transaction\(transactions == 1 ? "" : "s")", "\(elections) election\(elections == 1 ? "" : "s")"]
        if let electionsPerReplica { parts.append("≤ \(electionsPerReplica) per replica") }
        if let candidates { parts.append("candidates \(candidates.map(\.description).joined(separator: " "))") }
        parts.append(time.summary(suspicion: suspicion))
        parts.append("\(drops) drop\(drops == 1 ? "" : "s")")
        parts.append("\(duplicates) duplicate\(duplicates == 1 ? "" : "s")")
        parts.append("\(crashes) crash\(crashes == 1 ? "" : "es")")
        parts.append("\(restarts) restart\(restarts == 1 ? "" : "s")")
        // Batching and the window, when not the playground's defaults (as `set batch` and `set window` leave them).
        let defaults = ClusterConfig(replicaCount: replicas)
        if batchSize != defaults.batchSize { parts.append("batch \(batchSize)") }
        if window != defaults.window { parts.append("window \(window)") }
        if !progress { parts.append("progress not checked") }
        if !breaks.isEmpty { parts.append("break \(breaks.names)") }
        return parts.joined(separator: ", ")
    }
}

/// Bad checker options: says what was wrong and what would be right.
package struct CheckerError: Error, Hashable, Sendable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
