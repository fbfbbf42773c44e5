/// What only a leader keeps (volatile): its ballot, recovery progress, the client queue, and per-follower
/// progress (accepts per in-flight entry, acked index).
public struct LeaderState: Hashable, Sendable {
    /// Renamed only by ``Replica/relabeled(by:)``.
    public internal(set) var ballot: Ballot
    /// Non-nil until log recovery is done; new transactions wait until then.
    var recovery: RecoveryState?
    /// Client transactions waiting for a proposal.
    public internal(set) var queue: [Transaction] = []
    /// For each entry not yet cleaned up: the replicas that accepted it under `ballot`.
    var accepts: [Int: ReplicaSet] = [:]
    /// `acked[k - 1]`: the highest index `nk` acked (the leader's own: its applied index).
    public internal(set) var acked: [Int]
    var ticksSinceHeartbeat = 0

    init(ballot: Ballot, replicaCount: Int) {
        self.ballot = ballot
        acked = Array(repeating: 0, count: replicaCount)
    }

    public var isRecovering: Bool { recovery != nil }

    func ackedIndex(of replica: ReplicaID) -> Int {
        acked.indices.contains(replica.number - 1) ? acked[replica.number - 1] : 0
    }

    mutating func noteAck(_ index: Int, from replica: ReplicaID) {
        guard acked.indices.contains(replica.number - 1) else { return }
        acked[replica.number - 1] = max(acked[replica.number - 1], index)
    }
}

/// A candidate's election: the promises it has collected for its ballot.
struct ElectionState: Hashable, Sendable {
    let ballot: Ballot
    var granted: ReplicaSet
    /// The highest last index any granting voter reported: where recovery must look up to.
    var highestLastIndex: Int
}

/// A new leader's log recovery (§3(3)): the replies to `request_log_range(from, to)` so far.
struct RecoveryState: Hashable, Sendable {
    let from: Int
    let to: Int
    /// The replicas asked: those that promised.
    let asked: ReplicaSet
    var replied: ReplicaSet
    /// Per index, the entry with the highest ballot among the replies so far.
    var best: [Int: LogEntry] = [:]
}
