import PaxosCore
import PaxosSimulation

// What the model checker needs of the simulation, and nothing else does: canonical digests of the world, so
// that two runs that reach the same state by different delivery orders (and so with different message ids)
// are recognised as one state, and the dead-letter and ignored-message reductions' discards. They read the
// simulation's `package` state; the simulation itself knows nothing of them.

// MARK: - Digests

extension Simulation {
    /// The id the next message sent will get. Replaying the same actions from the same start gives the same ids.
    package var nextMessageIdentifier: Int { network.nextID }

    /// A 64-bit digest of replica `index`'s whole state (durable and volatile, timers included) and whether
    /// it is up. Equal replicas have equal digests within one process (Swift's hashing is seeded per process).
    /// Without `quorumWatch`, a leader's watch on its majority is left out
    /// (``Replica/withoutQuorumWatch()``): for a search in which no leader can step down.
    package func replicaDigest(at index: Int, quorumWatch: Bool = true) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(alive[index])
        // Only a leader has a watch on its majority: any other replica is hashed where it lies, not copied.
        if quorumWatch || replicas[index].leaderBallot == nil {
            replicas[index].hash(into: &hasher)
        } else {
            replicas[index].withoutQuorumWatch().hash(into: &hasher)
        }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// A 64-bit digest of what an in-flight item carries, ignoring its id and when it was sent: two copies
    /// of one message have the same digest.
    package static func digest(of item: PendingItem) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(item)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// A 64-bit digest of everything but the replicas and the in-flight items: the invariant monitor's
    /// history, the client, partitions and cuts. The step, the tick and the next message id are left out:
    /// they only number things.
    ///
    /// The monitor's history goes in as sets (who accepted a slot, in whatever order).
    package func historyDigest() -> UInt64 {
        var hasher = Hasher()
        hasher.combine(monitor.digest)
        hasher.combine(client)
        hasher.combine(network.partition)
        hasher.combine(network.cuts)
        hasher.combine(forgottenThrough)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// The canonical fingerprint of the whole world: replicas by position, in-flight items as a multiset,
    /// and the history. Two worlds that differ only in message ids, in the order of `inFlight`, or in the
    /// step and tick counters have the same fingerprint.
    package func fingerprint() -> UInt64 {
        var hasher = Hasher()
        for index in replicas.indices { hasher.combine(replicaDigest(at: index)) }
        hasher.combine(Self.multisetDigest(inFlight.map { Self.digest(of: $0.item) }))
        hasher.combine(historyDigest())
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// An order-independent digest of a multiset of digests (a sum of mixed values, so copies count).
    @inlinable
    package static func multisetDigest(_ digests: [UInt64]) -> UInt64 {
        var sum: UInt64 = 0
        var count: UInt64 = 0
        for digest in digests {
            sum &+= mix64(digest)
            count &+= 1
        }
        return mix64(sum ^ (count &* 0x9E37_79B9_7F4A_7C15))
    }
}

extension InvariantMonitor {
    /// A digest of `pairs` whatever their order: each pair hashed on its own (by `combine`), the hashes summed.
    static func orderFreeSum<Key, Value>(_ pairs: [Key: Value], _ combine: (inout Hasher, Key, Value) -> Void) -> UInt64 {
        var sum: UInt64 = 0
        for (key, value) in pairs {
            var h = Hasher()
            combine(&h, key, value)
            sum &+= UInt64(bitPattern: Int64(h.finalize()))
        }
        return sum
    }

    /// The history that decides future verdicts, in canonical form (see `Simulation.historyDigest()`).
    var digest: UInt64 {
        var hasher = Hasher()
        hasher.combine(Self.orderFreeSum(committed) { h, index, entry in
            h.combine(index)
            h.combine(entry)
        })
        hasher.combine(committed.count)
        hasher.combine(Self.orderFreeSum(acceptors) { h, slot, replicas in
            var bits: UInt64 = 0
            for replica in replicas { bits |= 1 << UInt64((replica.number - 1) & 63) }
            h.combine(slot)
            h.combine(bits)
        })
        hasher.combine(acceptors.count)
        hasher.combine(Self.orderFreeSum(leaders) { h, ballot, replica in
            h.combine(ballot)
            h.combine(replica)
        })
        hasher.combine(leaders.count)
        hasher.combine(lastApplied)
        hasher.combine(replayed)
        hasher.combine(violations.count)
        for violation in violations {
            hasher.combine(violation.invariant)
            hasher.combine(violation.index)
        }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}

// MARK: - Dead letters

extension Simulation {
    /// Takes off the network every message to `replica`, which the caller knows is down for good: each
    /// could only be lost. Returns how many of them had an id below `id` (were sent before some step).
    /// (The model checker's dead-letter reduction; the ids of the messages still in flight do not change.)
    @discardableResult
    package mutating func discardMessages(to replica: ReplicaID, countingBelow id: Int = .max) -> Int {
        var older = 0
        network.inFlight.removeAll {
            guard case .message(let envelope) = $0.item, envelope.to == .replica(replica) else { return false }
            if $0.id < id { older += 1 }
            return true
        }
        return older
    }

    /// Takes off the network every message its receiver will ignore whenever it arrives
    /// (``Replica/ignoresForever(_:config:)``), of those to the replicas numbered in `receivers` and those
    /// sent from id `firstNew` on: a step changes only its own replica, so only the messages to it, and the
    /// ones it sent, can have turned stale. Returns how many it took.
    @discardableResult
    package mutating func discardIgnoredMessages(to receivers: Range<Int>, sentFrom firstNew: Int) -> Int {
        let before = network.inFlight.count
        let replicas = replicas, config = config
        network.inFlight.removeAll {
            guard case .message(let envelope) = $0.item, let receiver = envelope.to.replica else { return false }
            guard $0.id >= firstNew || receivers.contains(receiver.number) else { return false }
            return replicas[receiver.number - 1].ignoresForever(envelope, config: config)
        }
        return before - network.inFlight.count
    }
}
