/// What only a leader keeps (volatile): its ballot, recovery progress, the client queue, and per-follower
/// progress (accepts per in-flight entry, acked index).
public struct LeaderState: Hashable, Sendable {
    /// Renamed only by ``Replica/relabeled(by:)``.
    public package(set) var ballot: Ballot
    /// Non-nil until log recovery is done; new transactions wait until then.
    package var recovery: RecoveryState?
    /// Client transactions waiting for a proposal.
    public internal(set) var queue: [Transaction] = []
    /// For each entry not yet cleaned up: the replicas that accepted it under `ballot`.
    package var accepts = AcceptsTable()
    /// `acked[k - 1]`: the highest index `nk` acked, or said it applied in a heartbeat reply (the leader's
    /// own: its applied index).
    public package(set) var acked: [Int]
    /// `gapResent[k - 1]`: the highest index re-sent to `nk` to fill a gap it reported since the last
    /// heartbeat. A later gap report re-sends only entries above it: those at or below it are on their way
    /// (or were lost, and the next heartbeat's reply asks for them again). Without it, a follower that keeps
    /// receiving an entry before the one it follows is sent the whole gap again each time, without end.
    package var gapResent: [Int]
    package var ticksSinceHeartbeat = 0
    /// The leader's last index and commit index when it sent its last heartbeat. A follower's reply to it
    /// has seen every proposal and commit sent before it (each link delivers in order when nothing fails):
    /// only those are sent again, not the ones still on their way.
    var markedLastIndex = 0
    var markedCommitIndex = 0
    /// The followers heard from (an answer under this ballot) since a majority was last complete.
    package var heard = ReplicaSet()
    /// Ticks since the leader last heard from a majority (itself counted): past an election timeout and a
    /// heartbeat interval, it has lost its majority and steps down.
    package var ticksWithoutMajority = 0

    init(ballot: Ballot, replicaCount: Int) {
        self.ballot = ballot
        acked = Array(repeating: 0, count: replicaCount)
        gapResent = Array(repeating: 0, count: replicaCount)
    }

    public var isRecovering: Bool { recovery != nil }

    func ackedIndex(of replica: ReplicaID) -> Int {
        acked.indices.contains(replica.number - 1) ? acked[replica.number - 1] : 0
    }

    /// Notes an answer from `follower` under this ballot; a majority complete (the leader counted) restarts
    /// the count of ticks without one.
    mutating func noteHeard(_ follower: ReplicaID, leader: ReplicaID, majority: Int) {
        heard.insert(follower)
        heard.insert(leader)
        if heard.count >= majority {
            heard = ReplicaSet()
            ticksWithoutMajority = 0
        }
    }

    /// The highest index re-sent to `replica` for a gap since the last heartbeat.
    func gapResentIndex(of replica: ReplicaID) -> Int {
        gapResent.indices.contains(replica.number - 1) ? gapResent[replica.number - 1] : 0
    }

    mutating func noteGapResent(through index: Int, to replica: ReplicaID) {
        guard gapResent.indices.contains(replica.number - 1) else { return }
        gapResent[replica.number - 1] = max(gapResent[replica.number - 1], index)
    }

    mutating func noteAck(_ index: Int, from replica: ReplicaID) {
        guard acked.indices.contains(replica.number - 1) else { return }
        acked[replica.number - 1] = max(acked[replica.number - 1], index)
    }

    /// Takes the first `count` queued transactions off the queue: their redo records, joined in order, and
    /// their ids. The records go into one allocation, copied by index (a copy of a transaction would retain
    /// and release its records).
    mutating func takeBatch(_ count: Int) -> (redo: [RedoRecord], transactions: [Int]) {
        let count = min(count, queue.count)
        guard count > 1 else {
            guard let only = queue.first else { return ([], []) }
            queue.removeFirst()
            return (only.redo, [only.id])
        }
        var records = 0
        for k in 0..<count { records += queue[k].redo.count }
        var redo: [RedoRecord] = []
        redo.reserveCapacity(records)
        var transactions: [Int] = []
        transactions.reserveCapacity(count)
        for k in 0..<count {
            if queue[k].redo.count == 1 {
                redo.append(queue[k].redo[0])
            } else {
                redo.append(contentsOf: queue[k].redo)
            }
            transactions.append(queue[k].id)
        }
        queue.removeFirst(count)
        return (redo, transactions)
    }
}

/// Per log index, the replicas that accepted the entry: one slot per entry not yet cleaned up, in index order.
/// A short sorted array (the entries in flight and awaiting acks) rather than a dictionary, which hashed the
/// index on every proposal, vote and cleanup.
package struct AcceptsTable: Hashable, Sendable {
    struct Slot: Hashable, Sendable {
        let index: Int
        var replicas: ReplicaSet
    }

    private var slots: [Slot] = []

    var count: Int { slots.count }

    /// Where `index`'s slot is, or would go to keep the slots in index order.
    private func position(of index: Int) -> (position: Int, found: Bool) {
        // Most lookups are for the newest entries: look at the last slot first.
        if let last = slots.last {
            if last.index == index { return (slots.count - 1, true) }
            if last.index < index { return (slots.count, false) }
        }
        var low = 0, high = slots.count
        while low < high {
            let middle = (low + high) / 2
            if slots[middle].index < index { low = middle + 1 } else { high = middle }
        }
        return (low, low < slots.count && slots[low].index == index)
    }

    /// The replicas that accepted entry `index`, or nil if it has no slot; setting nil removes the slot.
    subscript(index: Int) -> ReplicaSet? {
        get {
            let (k, found) = position(of: index)
            return found ? slots[k].replicas : nil
        }
        set {
            let (k, found) = position(of: index)
            if let newValue {
                if found { slots[k].replicas = newValue } else { slots.insert(Slot(index: index, replicas: newValue), at: k) }
            } else if found {
                slots.remove(at: k)
            }
        }
    }

    subscript(index: Int, default value: ReplicaSet) -> ReplicaSet {
        get { self[index] ?? value }
        set { self[index] = newValue }
    }

    /// The same table with each slot's replicas transformed (renamed, for the model checker's symmetry).
    package func mapReplicas(_ transform: (ReplicaSet) -> ReplicaSet) -> AcceptsTable {
        var copy = self
        for k in copy.slots.indices { copy.slots[k].replicas = transform(slots[k].replicas) }
        return copy
    }

    /// Removes the slots of every index up to `index` (cleanup).
    mutating func removeAll(through index: Int) {
        let (k, found) = position(of: index)
        slots.removeFirst(found ? k + 1 : k)
    }
}

/// A candidate's election: the answers it has collected for its ballot, in its pre-vote or its real vote.
public struct ElectionState: Hashable, Sendable {
    package let ballot: Ballot
    /// A pre-vote asks whether a majority would grant `ballot`; nobody has promised anything yet.
    package var preVote: Bool
    package var granted: ReplicaSet
    package var refused = ReplicaSet()
    /// The highest last index any granting voter reported: where recovery must look up to.
    package var highestLastIndex: Int
    /// In a pre-vote, its number (``Candidacy/attempt``): only answers that carry it are counted. 0 in a
    /// real vote.
    package let attempt: Int

    package init(ballot: Ballot, preVote: Bool, granted: ReplicaSet, refused: ReplicaSet = ReplicaSet(), highestLastIndex: Int,
                 attempt: Int = 0) {
        self.ballot = ballot
        self.preVote = preVote
        self.granted = granted
        self.refused = refused
        self.highestLastIndex = highestLastIndex
        self.attempt = attempt
    }
}

/// A new leader's log recovery (§3(3)): the replies to `request_log_range(from, to)` so far.
package struct RecoveryState: Hashable, Sendable {
    package let from: Int
    package let to: Int
    package var replied: ReplicaSet
    /// Per index, the entry with the highest ballot among the replies so far.
    package var best: [Int: LogEntry] = [:]

    package init(from: Int, to: Int, replied: ReplicaSet, best: [Int: LogEntry] = [:]) {
        self.from = from
        self.to = to
        self.replied = replied
        self.best = best
    }
}
