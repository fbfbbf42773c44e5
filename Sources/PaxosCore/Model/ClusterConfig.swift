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
    /// Deliberate protocol bugs for the model checker's tests. Empty in every real run.
    @_spi(Mutants) public var mutations: Mutations = []

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
    /// retry together, whatever their election policy draws.
    public func retryTimeoutTicks(of replica: ReplicaID) -> Int {
        electionTimeoutTicks &+ replicaCount &+ replica.number &- 1
    }

    /// A leader that hears from no majority for this many ticks steps down: an election timeout and a
    /// heartbeat interval, so a leader whose followers answer every heartbeat never does.
    public var stepDownTicks: Int { electionTimeoutTicks &+ heartbeatIntervalTicks }

    /// The longest election timeout the core lets a policy draw: a policy cannot stop progress by waiting.
    public var longestElectionTimeoutTicks: Int { 2 &* electionTimeoutTicks &+ replicaCount }

    /// Whether `a` ranks above `b` by priority, ties going to the lower id.
    public func outranks(_ a: ReplicaID, _ b: ReplicaID) -> Bool {
        let pa = priority(of: a), pb = priority(of: b)
        return pa != pb ? pa > pb : a < b
    }
}

/// Deliberate protocol bugs, switchable only from tests (`@_spi(Mutants)`), so the checker can prove it
/// catches each of them.
@_spi(Mutants) public struct Mutations: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Acceptors skip the legality check (accept a ballot below their promise).
    public static let acceptLowerBallot = Mutations(rawValue: 1 << 0)
    /// The leader commits on its own accept, without a majority.
    public static let commitWithoutMajority = Mutations(rawValue: 1 << 1)
    /// Voters grant every candidacy, even one below a ballot they promised.
    public static let voteTwiceInBallot = Mutations(rawValue: 1 << 2)
    /// Followers apply each entry as its commit arrives, in any order.
    public static let applyOutOfOrder = Mutations(rawValue: 1 << 3)
    /// Recovery keeps the lowest-ballot entry per index instead of the highest.
    public static let skipHighestBallotChoice = Mutations(rawValue: 1 << 4)
    /// Recovery ignores what the replies carry (the new leader keeps only its own log).
    public static let ignoreRecoveredValues = Mutations(rawValue: 1 << 5)
    /// Progress, not safety: the leader reads no position from heartbeat replies, so a follower behind is
    /// never caught up.
    public static let noCatchUp = Mutations(rawValue: 1 << 6)
    /// Progress, not safety: a candidate never stands aside (neither for a leader of its round nor after a
    /// majority refused it), and nobody withdraws a promise to a candidate that lost its round.
    public static let noStandAside = Mutations(rawValue: 1 << 7)
}
