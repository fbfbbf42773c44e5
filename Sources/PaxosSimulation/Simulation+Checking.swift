import PaxosCore

// What the model checker (PaxosChecker) needs of the simulation, and nothing else does:
//
// - canonical digests of the world, so that two runs that reach the same state by different delivery orders
//   (and so with different message ids) are recognised as one state;
// - `StepSummary`: what a step read and wrote, collected by the one step path (`performQuietly(_:)`) for
//   the checker's partial-order reduction;
// - the dead-letter and ignored-message reductions' discards.

// MARK: - Digests

extension Simulation {
    /// The id the next message sent will get. Replaying the same actions from the same start gives the same ids.
    public var nextMessageIdentifier: Int { network.nextID }

    /// A 64-bit digest of replica `index`'s whole state (durable and volatile, timers included) and whether
    /// it is up. Equal replicas have equal digests within one process (Swift's hashing is seeded per process).
    /// Without `quorumWatch`, a leader's watch on its majority is left out
    /// (``Replica/withoutQuorumWatch()``): for a search in which no leader can step down.
    public func replicaDigest(at index: Int, quorumWatch: Bool = true) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(alive[index])
        if quorumWatch {
            replicas[index].hash(into: &hasher)
        } else {
            replicas[index].withoutQuorumWatch().hash(into: &hasher)
        }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// A 64-bit digest of what an in-flight item carries, ignoring its id and when it was sent: two copies
    /// of one message have the same digest.
    public static func digest(of item: PendingItem) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(item)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// A 64-bit digest of everything but the replicas and the in-flight items: the invariant monitor's
    /// history, the client, partitions and cuts. The step, the tick and the next message id are left out:
    /// they only number things.
    ///
    /// The monitor's history goes in as sets (who accepted a slot, in whatever order).
    public func historyDigest() -> UInt64 {
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
    public func fingerprint() -> UInt64 {
        var hasher = Hasher()
        for index in replicas.indices { hasher.combine(replicaDigest(at: index)) }
        hasher.combine(Self.multisetDigest(inFlight.map { Self.digest(of: $0.item) }))
        hasher.combine(historyDigest())
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// An order-independent digest of a multiset of digests (a sum of mixed values, so copies count).
    @inlinable
    public static func multisetDigest(_ digests: [UInt64]) -> UInt64 {
        var sum: UInt64 = 0
        var count: UInt64 = 0
        for digest in digests {
            sum &+= mix64(digest)
            count &+= 1
        }
        return mix64(sum ^ (count &* 0x9E37_79B9_7F4A_7C15))
    }

    /// The SplitMix64 finaliser: spreads every input bit over every output bit.
    @inlinable
    public static func mix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension InvariantMonitor {
    /// The history that decides future verdicts, in canonical form (see `Simulation.historyDigest()`).
    var digest: UInt64 {
        var hasher = Hasher()
        var sum: UInt64 = 0
        for (index, entry) in committed {
            var h = Hasher()
            h.combine(index)
            h.combine(entry)
            sum &+= UInt64(bitPattern: Int64(h.finalize()))
        }
        hasher.combine(sum)
        hasher.combine(committed.count)
        sum = 0
        for (slot, replicas) in acceptors {
            var bits: UInt64 = 0
            for replica in replicas { bits |= 1 << UInt64((replica.number - 1) & 63) }
            var h = Hasher()
            h.combine(slot)
            h.combine(bits)
            sum &+= UInt64(bitPattern: Int64(h.finalize()))
        }
        hasher.combine(sum)
        hasher.combine(acceptors.count)
        sum = 0
        for (ballot, replica) in leaders {
            var h = Hasher()
            h.combine(ballot)
            h.combine(replica)
            sum &+= UInt64(bitPattern: Int64(h.finalize()))
        }
        hasher.combine(sum)
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

// MARK: - Quiet steps

/// What one quiet step read and wrote, for the checker's partial-order reduction: two steps by different
/// actors commute unless one writes history the other reads.
public struct StepSummary: Hashable, Sendable {
    /// Who the step belongs to: a replica's number; ``client``; ``network`` for a drop or a duplicate (they
    /// touch only the message); ``everyone`` for a tick, a submit, a partition.
    public var actor: Int
    /// Slots (index, ballot) whose acceptors the step added to, as a 64-bit Bloom mask.
    public var acceptedSlots: UInt64 = 0
    /// Slots whose acceptors a leader's commit was checked against (invariant 5), as a Bloom mask.
    public var countedSlots: UInt64 = 0
    /// Indexes the step recorded a commit of (invariant 1 compares with the record), as a Bloom mask.
    public var committedIndexes: UInt64 = 0
    /// Indexes whose first commit record the step made (so the order of two such steps shows), as a Bloom mask.
    public var firstCommits: UInt64 = 0
    /// A leader finished recovery: invariant 2 read every commit so far.
    public var readCommitted = false
    /// The step fed the invariant monitor (its history may have changed).
    public var touchedHistory = false

    public static let client = 0
    public static let network = -1
    public static let everyone = -2

    public init(actor: Int) { self.actor = actor }

    /// Whether the two steps may not commute (a conservative answer: true when unsure): the same actor, or
    /// one writes history the other reads (acceptors a commit is checked against, the first record of a
    /// commit, the commits a new leader is checked against).
    public func conflicts(with other: StepSummary) -> Bool {
        if actor == Self.everyone || other.actor == Self.everyone || actor == other.actor { return true }
        if acceptedSlots & other.countedSlots != 0 || other.acceptedSlots & countedSlots != 0 { return true }
        if firstCommits & other.committedIndexes != 0 || other.firstCommits & committedIndexes != 0 { return true }
        if (committedIndexes != 0 && other.readCommitted) || (other.committedIndexes != 0 && readCommitted) { return true }
        return false
    }

    static func slotBit(index: Int, ballot: Ballot) -> UInt64 {
        1 << (Simulation.mix64(UInt64(truncatingIfNeeded: index &* 1_000_003 &+ ballot.round &* 1_009 &+ ballot.owner)) & 63)
    }

    static func indexBit(_ index: Int) -> UInt64 {
        1 << UInt64(index & 63)
    }

    mutating func note(_ observation: Observation, in monitor: InvariantMonitor) {
        switch observation {
        case .accepted(let index, let ballot, _):
            acceptedSlots |= Self.slotBit(index: index, ballot: ballot)
        case .committed(let index, let ballot, _, let acceptors):
            committedIndexes |= Self.indexBit(index)
            if monitor.committed[index] == nil { firstCommits |= Self.indexBit(index) }
            if acceptors != nil { countedSlots |= Self.slotBit(index: index, ballot: ballot) }
        case .applied:
            break
        case .leaderReady:
            readCommitted = true
        }
    }
}

/// The network as the core's outbox in a step that builds nothing but the network (no trace, invariant
/// checks off): the simulation lends it its network for one core call, and each send or queued apply goes
/// through the same `enqueue` as every other. One per simulation, reused; a copy of the simulation that finds
/// it shared makes its own before using it, so two simulations never use one at once.
final class NetworkOutbox: ReplicaOutbox, @unchecked Sendable {
    struct State {
        var network = Network()
        var step = 0
        var replica = ReplicaID(0)
    }

    /// Behind a pointer: the core calls back on every send, and the stored properties of a class would be
    /// checked for exclusive access at run time on every call (a third of the cost of a send).
    private let state: UnsafeMutablePointer<State>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Takes `network` (a swap: nothing is copied) for one core call.
    func lend(_ network: inout Network, step: Int, replica: ReplicaID) {
        swap(&state.pointee.network, &network)
        state.pointee.step = step
        state.pointee.replica = replica
    }

    /// Gives the network back.
    func giveBack(_ network: inout Network) {
        swap(&state.pointee.network, &network)
    }

    func send(_ envelope: consuming Envelope) {
        _ = state.pointee.network.enqueue(.message(envelope), step: state.pointee.step)
    }

    func queueApply() {
        _ = state.pointee.network.enqueue(.apply(state.pointee.replica), step: state.pointee.step)
    }
}

// MARK: - Dead letters

extension Simulation {
    /// Takes off the network every message to `replica`, which the caller knows is down for good: each
    /// could only be lost. Returns how many of them had an id below `id` (were sent before some step).
    /// (The model checker's dead-letter reduction; the ids of the messages still in flight do not change.)
    @discardableResult
    public mutating func discardMessages(to replica: ReplicaID, countingBelow id: Int = .max) -> Int {
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
    public mutating func discardIgnoredMessages(to receivers: Range<Int>, sentFrom firstNew: Int) -> Int {
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

// MARK: - Abstract time

extension Simulation {
    /// Whether `id`'s election timer can fire now: it is up and does not lead (a leader has no election timer).
    public func canTimeOut(_ id: ReplicaID) -> Bool {
        alive[id.number - 1] && replicas[id.number - 1].leadership == nil
    }
}
