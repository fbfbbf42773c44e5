import PaxosCore
import PaxosSimulation

// What the model checker's symmetry reduction needs of the simulation: the digests of the world as it
// would be with its replicas renamed, in the same canonical form as `Simulation.fingerprint()` (replicas
// by position, in-flight items as a multiset, the history). The world itself is never renamed: the search
// keeps the real states, so its counterexamples are real runs.

extension Simulation {
    /// The digests of this world with its replicas renamed by `permutation`, election timers left out
    /// (symmetry needs abstract time): `replicas[k]` is the digest of the replica that ends at position k.
    /// Partitions and cuts are not renamed: a world with either has no symmetry to use (``isWholeNetwork``).
    package func renamedDigests(by permutation: ReplicaPermutation) -> (replicas: [UInt64], items: UInt64, history: UInt64) {
        var replicaDigests = Array(repeating: UInt64(0), count: replicas.count)
        for k in replicas.indices {
            replicaDigests[permutation.images[k] - 1] = renamedReplicaDigest(at: k, by: permutation)
        }
        let items = Self.multisetDigest(inFlight.map { Self.renamedDigest(of: $0.item, by: permutation) })
        return (replicaDigests, items, renamedHistoryDigest(by: permutation))
    }

    /// Replica `index` renamed, timers left out, and whether it is up: what ``replicaDigest(at:)`` is to the
    /// world itself.
    package func renamedReplicaDigest(at index: Int, by permutation: ReplicaPermutation) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(alive[index])
        replicas[index].relabeled(by: permutation).withoutTimers().hash(into: &hasher)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// An in-flight item renamed: what ``digest(of:)`` is to the item itself.
    package static func renamedDigest(of item: PendingItem, by permutation: ReplicaPermutation) -> UInt64 {
        digest(of: item.relabeled(by: permutation))
    }

    /// The history renamed: what ``historyDigest()`` is to the world itself.
    package func renamedHistoryDigest(by permutation: ReplicaPermutation) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(monitor.relabeled(by: permutation).digest)
        var renamedClient = client
        renamedClient.lastKnownLeader = permutation(client.lastKnownLeader)
        hasher.combine(renamedClient)
        hasher.combine(forgottenThrough)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// No partition and no cut: the network treats every replica alike.
    package var isWholeNetwork: Bool { partition == nil && cuts.isEmpty }
}

extension PendingItem {
    /// The same item in the world with its replicas renamed (see ``Message/relabeled(by:)``).
    package func relabeled(by permutation: ReplicaPermutation) -> PendingItem {
        switch self {
        case .message(let envelope): .message(envelope.relabeled(by: permutation))
        case .apply(let replica): .apply(permutation(replica))
        }
    }
}

extension InvariantMonitor {
    /// The same history with every replica renamed.
    func relabeled(by permutation: ReplicaPermutation) -> InvariantMonitor {
        var copy = self
        copy.committed = committed.mapValues {
            Committed(redo: $0.redo, by: permutation($0.by), ballot: permutation($0.ballot))
        }
        copy.acceptors = [:]
        for (slot, replicas) in acceptors {
            copy.acceptors[Slot(index: slot.index, ballot: permutation(slot.ballot))] = replicas.map { permutation($0) }
        }
        copy.leaders = [:]
        for (ballot, replica) in leaders { copy.leaders[permutation(ballot)] = permutation(replica) }
        copy.lastApplied = permutation.permuting(lastApplied)
        copy.replayed = permutation.permuting(replayed)
        return copy
    }
}
