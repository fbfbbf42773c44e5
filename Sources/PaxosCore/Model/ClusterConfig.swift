/// What every replica knows about the cluster: its members, their priorities, the timers and the
/// leader's throughput settings. The simulation owns it and hands it to each replica call.
public struct ClusterConfig: Hashable, Sendable {
    /// Replicas `n1` … `nN`.
    public var replicaCount: Int
    /// `priorities[k - 1]` is the priority of `nk`; higher stands first under `priority`.
    public var priorities: [Int]
    /// A leader sends heartbeats (and re-sends what followers miss) every this many ticks.
    public var heartbeatIntervalTicks: Int = 1
    /// A follower that hears no leader for this many ticks times out (policies may add to it).
    public var electionTimeoutTicks: Int = 3
    /// Client transactions per proposal.
    public var batchSize: Int = 1
    /// Proposals in flight: proposed, not yet committed.
    public var window: Int = 4
    /// Log recovery after an election (`request_log_range`). Off is the unsafe teaching setting.
    public var recovery: Bool = true
    /// The deliberate protocol bugs switched on (`set break NAME`), for the break-it exercises. Empty in a
    /// correct run.
    public var breaks: ProtocolBreaks = []

    public init(replicaCount: Int) {
        self.replicaCount = replicaCount
        // n1 highest by default, so "the highest-priority live replica" is unambiguous.
        priorities = (1...max(1, replicaCount)).map { replicaCount - $0 + 1 }
    }

    public var replicas: [ReplicaID] { (1...max(1, replicaCount)).map(ReplicaID.init) }

    /// More than half of the replicas.
    public var majority: Int { replicaCount / 2 + 1 }

    public func priority(of replica: ReplicaID) -> Int {
        priorities.indices.contains(replica.number - 1) ? priorities[replica.number - 1] : 0
    }

    /// How many replicas rank above `replica` by priority (ties go to the lower id).
    public func priorityRank(of replica: ReplicaID) -> Int {
        replicas.filter { outranks($0, replica) }.count
    }

    /// The ticks a replica waits before it retries after an election it stood in failed: the base timeout,
    /// plus one tick per replica, plus its own number, so that two replicas that failed together never
    /// retry together, whatever their election policy draws. Saturates: a timeout of `Int.max` stays it.
    public func retryTimeoutTicks(of replica: ReplicaID) -> Int {
        electionTimeoutTicks.saturatingAdding(replicaCount).saturatingAdding(replica.number - 1)
    }

    /// A leader that hears from no majority for this many ticks steps down: an election timeout and a
    /// heartbeat interval, so a leader whose followers answer every heartbeat never does. Saturates.
    public var stepDownTicks: Int { electionTimeoutTicks.saturatingAdding(heartbeatIntervalTicks) }

    /// The longest election timeout the core lets a policy draw: a policy cannot stop progress by waiting.
    /// Saturates.
    public var longestElectionTimeoutTicks: Int {
        electionTimeoutTicks.saturatingMultiplied(by: 2).saturatingAdding(replicaCount)
    }

    /// Whether `a` ranks above `b` by priority, ties going to the lower id.
    public func outranks(_ a: ReplicaID, _ b: ReplicaID) -> Bool {
        let pa = priority(of: a), pb = priority(of: b)
        return pa != pb ? pa > pb : a < b
    }
}
