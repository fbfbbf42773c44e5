import DequeModule
import PaxosCore

/// Something waiting to happen: a message on the network, or (under `async` commit) an apply due at a replica.
public enum PendingItem: Hashable, Sendable {
    /// Not boxed: a box would cost an allocation on every send and a free on every delivery, about 200
    /// instructions a message with 3 replicas. The model checker pays for it where it copies a world's
    /// queue: an item is copied whole, not retained (about 5% of a transition).
    case message(Envelope)
    case apply(ReplicaID)
}

/// An in-flight item with its stable id.
public struct InFlight: Hashable, Sendable {
    public let id: Int
    public let item: PendingItem
    /// The step that sent it.
    public let sentAt: Int
}

/// The network between the replicas and the client: what is in flight (oldest first, each under a stable
/// id), the partition and the one-way cuts. A value: a copy of the simulation copies its network.
public struct Network: Hashable, Sendable {
    /// In flight, oldest first (the default delivery order), so in increasing id order: ids are given in
    /// order, every item goes in at the end and nothing is reordered.
    ///
    /// A `Deque` (a ring buffer): a FIFO delivery takes the first item in constant time (an `Array` shifted
    /// every other item down on each delivery), and a delivery by id removes from whichever end is nearer.
    public package(set) var inFlight: Deque<InFlight> = []
    /// The id the next item put in flight gets.
    public internal(set) var nextID = 1
    /// Partition groups, or nil when the network is whole.
    public internal(set) var partition: [[ReplicaID]]?
    /// One-way cuts, in the order made.
    public internal(set) var cuts: [Cut] = []

    public struct Cut: Hashable, Sendable {
        public let from: ReplicaID
        public let to: ReplicaID
    }

    /// Why a message is lost on its way.
    public enum Blocked: Hashable, Sendable {
        case cut
        case partitioned
    }

    /// Whether a message from `from` to `to` would be lost now, and why; nil when it gets through.
    public func blocked(from: Endpoint, to: Endpoint) -> Blocked? {
        // Asked on every delivery: a whole network (no partition, no cut) answers at once.
        if case .none = partition, cuts.isEmpty { return nil }
        guard let a = from.replica, let b = to.replica, a != b else { return nil }
        if cuts.contains(Cut(from: a, to: b)) { return .cut }
        guard let partition else { return nil }
        return partition.firstIndex { $0.contains(a) } != partition.firstIndex { $0.contains(b) } ? .partitioned : nil
    }

    /// Whether a copy of client transaction `id`, or a redirect of one, is in flight. Not inlined: the client
    /// asks it only when it gives up on a transaction, and inlined it made every delivery's code larger.
    @inline(never)
    func carriesTransaction(_ id: Int) -> Bool {
        inFlight.contains { Self.transactionID(of: $0) == id }
    }

    /// The client transaction `flight` carries to a replica or, redirected, back to the client; nil for
    /// any other item.
    static func transactionID(of flight: InFlight) -> Int? {
        guard case .message(let envelope) = flight.item else { return nil }
        switch envelope.message {
        case .transaction(let t), .redirect(let t, _): return t.id
        default: return nil
        }
    }

    /// The position of item `id` in ``inFlight``: the first (a FIFO delivery's) at once, else a binary
    /// search, the ids being in increasing order.
    public func index(of id: Int) -> Int? {
        guard let first = inFlight.first else { return nil }
        if first.id == id { return 0 }
        var low = 1, high = inFlight.count
        while low < high {
            let middle = (low + high) / 2
            if inFlight[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < inFlight.count && inFlight[low].id == id ? low : nil
    }

    /// Puts `item` at the end of `queue` under the next id: every send, copy and queued apply goes through
    /// here (``enqueue(_:step:)``, and the quiet steps' direct hand-over, which lends the core the queue).
    static func enqueue(_ item: PendingItem, on queue: inout Deque<InFlight>, nextID: inout Int, step: Int) -> Int {
        let id = nextID
        nextID += 1
        queue.append(InFlight(id: id, item: item, sentAt: step))
        return id
    }

    mutating func enqueue(_ item: PendingItem, step: Int) -> Int {
        Self.enqueue(item, on: &inFlight, nextID: &nextID, step: step)
    }

    /// Takes the item at `index` off the network: the first (a FIFO delivery) in constant time, any other
    /// by moving the nearer end's items by one.
    mutating func take(at index: Int) -> InFlight {
        index == 0 ? inFlight.removeFirst() : inFlight.remove(at: index)
    }
}

extension InFlight {
    var endpoints: (Endpoint, Endpoint) {
        switch item {
        case .message(let envelope): (envelope.from, envelope.to)
        case .apply(let id): (.replica(id), .replica(id))
        }
    }

    /// `propose n1 → n2`, or `apply n2`.
    public var label: String { item.label }
}

extension PendingItem {
    /// `propose n1 → n2`, or `apply n2`.
    public var label: String {
        switch self {
        case .message(let envelope): "\(envelope.message.kind) \(envelope.from) → \(envelope.to)"
        case .apply(let id): "apply \(id)"
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
