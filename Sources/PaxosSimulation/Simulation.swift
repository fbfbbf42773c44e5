import DequeModule
import PaxosCore

/// One thing the world can do: every step of a run is one of these.
public enum Action: Hashable, Sendable {
    case deliver(Int)
    case drop(Int)
    case duplicate(Int)
    case tick
    case crash(ReplicaID)
    case restart(ReplicaID)
    case submit([RedoRecord])
    case partition([[ReplicaID]])
    case heal
    case cut(from: ReplicaID, to: ReplicaID)
    case uncut(from: ReplicaID, to: ReplicaID)
    /// `nK`'s election timer fires now: its own clock runs ahead until it times out (abstract time, as
    /// the model checker explores it); the global tick and the other replicas' clocks do not move.
    case timeout(ReplicaID)
}

/// Why an action cannot be done; the world is unchanged.
public struct SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The simulated world around the core replicas: the network (in-flight messages with stable ids, any
/// delivery order, drops, duplicates, partitions, one-way cuts), crashes and restarts, the logical clock,
/// the client, and the invariant monitor. Deterministic: the same seed and actions give the same events.
public struct Simulation: Sendable {
    public let seed: UInt64
    public private(set) var policies: Policies
    public private(set) var config: ClusterConfig
    public internal(set) var replicas: [Replica]
    public internal(set) var alive: [Bool]
    /// What is in flight, the partition and the cuts.
    public package(set) var network = Network()
    public internal(set) var step = 0
    public internal(set) var tick = 0
    public internal(set) var monitor: InvariantMonitor
    /// When false, the monitor is not fed (benchmarks measure the protocol alone).
    public var checksInvariants = true
    package var client = Client()
    package var forgottenThrough = 0
    /// The global tick at which the heartbeat interval or the base election timeout last changed, if ever:
    /// the clocks that watch a leader restarted then (``updateConfig(_:)``), which notes that count silence
    /// say.
    package private(set) var retimedAt: Int?
    /// The core's outbox for steps that build nothing but the network (see `handle(_:at:cause:into:effects:)`).
    var outbox = NetworkOutbox()

    package struct Client: Hashable, Sendable {
        var nextTransaction = 1
        package var lastKnownLeader: ReplicaID?
        var redirects: [Int: Int] = [:]
        /// The client re-sends a transaction after a redirect at most this many times, then gives up on it.
        package static let maxResends = 3
    }

    /// A cluster of `replicaCount` replicas; with `leader`, it starts as leader of ballot 1 and the others
    /// follow it, else every replica starts as a follower and the first election plays out.
    public init(replicaCount: Int, seed: UInt64, policies: Policies = Policies(), config: ClusterConfig? = nil,
                leader: ReplicaID? = nil) {
        var config = config ?? ClusterConfig(replicaCount: replicaCount)
        config.replicaCount = replicaCount
        if config.priorities.count != replicaCount { config.priorities = ClusterConfig(replicaCount: replicaCount).priorities }
        self.seed = seed
        self.policies = policies
        self.config = config
        replicas = config.replicas.map { Replica(id: $0, seed: seed, policies: policies, config: config) }
        alive = Array(repeating: true, count: replicaCount)
        monitor = InvariantMonitor(replicaCount: replicaCount)
        if let leader, leader.number <= replicaCount {
            let ballot = Ballot(round: 1, owner: leader)
            for k in replicas.indices {
                if replicas[k].id == leader {
                    replicas[k].startAsLeader(ballot: ballot, config: config)
                } else {
                    replicas[k].startAsFollower(of: ballot)
                }
            }
            _ = monitor.observeElection(of: ballot, by: leader)
            client.lastKnownLeader = leader
        }
    }

    // MARK: - Reading the world

    public func replica(_ id: ReplicaID) -> Replica { replicas[id.number - 1] }
    public func isAlive(_ id: ReplicaID) -> Bool { alive[id.number - 1] }
    public var violations: [Violation] { monitor.violations }

    /// The live replica leading with the highest ballot.
    public var leader: ReplicaID? {
        // A loop, not filter and max: every client submit asks, and copies of the replicas cost.
        var best: (id: ReplicaID, ballot: Ballot)?
        for k in replicas.indices where alive[k] && replicas[k].role == .leader {
            let ballot = replicas[k].leaderBallot ?? .zero
            if best.map({ $0.ballot < ballot }) ?? true { best = (replicas[k].id, ballot) }
        }
        return best?.id
    }

    /// In flight, oldest first (the default delivery order).
    public var inFlight: Deque<InFlight> { network.inFlight }
    /// Partition groups, or nil when the network is whole.
    public var partition: [[ReplicaID]]? { network.partition }
    /// One-way cuts, in the order made.
    public var cuts: [Network.Cut] { network.cuts }

    /// Whether a message from `from` to `to` would be lost now (partition or cut).
    public func isBlocked(from: Endpoint, to: Endpoint) -> Bool { network.blocked(from: from, to: to) != nil }

    public func inFlight(_ id: Int) -> InFlight? { network.index(of: id).map { network.inFlight[$0] } }

    /// Whether `id`'s election timer can fire now: it is up and does not lead (a leader has no election timer).
    public func canTimeOut(_ id: ReplicaID) -> Bool {
        alive[id.number - 1] && replicas[id.number - 1].leaderBallot == nil
    }

    public func validate(_ id: ReplicaID) throws(SimulationError) {
        guard id.number >= 1, id.number <= config.replicaCount else {
            let has = config.replicaCount == 1 ? "only n1" : "n1..n\(config.replicaCount)"
            throw SimulationError("unknown replica \(id): this cluster has \(has)")
        }
    }

    // MARK: - Settings

    /// Switches the election policy; every replica draws its election timeout anew under it.
    public mutating func setElectionPolicy(_ policy: any ElectionPolicy) {
        policies.election = policy
        for k in replicas.indices {
            _ = replicas[k].redrawElectionTimeout(policies: policies, config: config)
        }
    }

    /// Switches the commit policy: it decides how entries committed from now on are applied.
    public mutating func setCommitPolicy(_ policy: any CommitPolicy) {
        policies.commit = policy
    }

    /// Changes the cluster's settings. Priorities and timeouts feed the election policy, so every
    /// replica draws its election timeout anew when they change; a new heartbeat interval or base timeout
    /// restarts the clocks that watch a leader (``Replica/timingChanged()``), so that no leader is deposed
    /// by silence counted under the old timing.
    public mutating func updateConfig(_ change: (inout ClusterConfig) -> Void) {
        let before = config
        change(&config)
        let retimed = config.heartbeatIntervalTicks != before.heartbeatIntervalTicks
            || config.electionTimeoutTicks != before.electionTimeoutTicks
        if retimed { retimedAt = tick }
        for k in replicas.indices {
            if retimed { replicas[k].timingChanged() }
            if config.priorities != before.priorities || config.electionTimeoutTicks != before.electionTimeoutTicks {
                _ = replicas[k].redrawElectionTimeout(policies: policies, config: config)
            }
        }
    }

    // MARK: - Forgetting

    mutating func forgetSettledHistory() {
        // Runs after every step: a loop, not an array of applied indexes, and it stops at the first replica
        // that has not applied far enough (nothing to forget yet).
        let due = forgottenThrough + 64
        var settled = Int.max
        for k in replicas.indices {
            let applied = replicas[k].appliedIndex
            if applied < due { return }
            settled = min(settled, applied)
        }
        if !replicas.isEmpty {
            monitor.forget(through: settled)
            forgottenThrough = settled
        }
    }

    // MARK: - The client

    /// The client's part of a submit, with no trace: numbers the transaction, picks the replica and sends it.
    /// Returns the transaction's number, not the transaction: the caller that traces it rebuilds it from `redo`.
    mutating func sendTransaction(_ redo: [RedoRecord]) -> (transaction: Int, ReplicaID, id: Int, ClientRoute) {
        let transaction = Transaction(id: client.nextTransaction, redo: redo)
        client.nextTransaction += 1
        let target: ReplicaID
        let route: ClientRoute
        if let leader {
            target = leader
            route = .leader(replicas[leader.number - 1].leaderBallot ?? .zero)
        } else {
            target = client.lastKnownLeader ?? ReplicaID(1)
            route = client.lastKnownLeader == nil ? .firstGuess : .lastKnown
        }
        client.lastKnownLeader = target
        let envelope = Envelope(from: .client, to: .replica(target), message: .transaction(transaction))
        return (transaction.id, target, network.enqueue(.message(envelope), step: step), route)
    }

    /// Forgets the redirect counts of transactions of which nothing is in flight any more (no transaction
    /// message, no redirect): they reached a leader, or the client gave up, and no redirect can come back
    /// for them. Runs only once the table outgrows what is in flight, so it costs little, and a long run
    /// with leader changes keeps no per-transaction state.
    mutating func forgetSettledRedirects() {
        guard client.redirects.count > network.inFlight.count + 64 else { return }
        let live = Set(network.inFlight.compactMap(Network.transactionID(of:)))
        client.redirects = client.redirects.filter { live.contains($0.key) }
    }
}
