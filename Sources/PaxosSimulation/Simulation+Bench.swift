import DequeModule
import PaxosCore

// What the benchmark (`paxos-playground bench`) needs of the simulation, and nothing else does:
//
// - `submitQuietly(_:)`: `performQuietly(.submit)`, returning the transaction message's id. Deliveries and
//   ticks go through `performQuietly(_:effects:)`: the one step path, building no trace events;
// - `figures(of:)` and `queuedTransactions(at:)`: what the bench samples after every step and before a
//   submit, read in place;
// - the bare baseline (`bareQueue(_:messages:depth:)`): the run's message values through the fastest queue
//   at hand (a `Deque` of envelopes, no box, no id) with no protocol work, so the protocol's cost is a ratio
//   measured in one run against the limit of moving messages.

extension Simulation {
    /// Does `.submit(redo)` as ``perform(_:)`` does, through the same client code, but builds no trace event.
    /// Returns the transaction message's id.
    @discardableResult
    package mutating func submitQuietly(_ redo: [RedoRecord]) throws(SimulationError) -> Int {
        try performQuietly(.submit(redo))
        // A submit puts exactly one item in flight: the transaction, under the last id given.
        return network.nextID - 1
    }

    /// A replica's log length and commit index, read in place: a copy of the replica (``replica(_:)``) costs
    /// more than a step's bookkeeping.
    package func figures(of id: ReplicaID) -> (logCount: Int, commitIndex: Int) {
        let k = id.number - 1
        return (replicas[k].log.count, replicas[k].commitIndex)
    }

    /// The client transactions queued at replica `id` (0 unless it leads). Apart from ``figures(of:)``:
    /// it reads the role, which costs more than the two counters (about 100 instructions), and the bench
    /// needs it only before a submit.
    package func queuedTransactions(at id: ReplicaID) -> Int {
        replicas[id.number - 1].queuedTransactions
    }

    /// Entries the invariant monitor keeps (commits and accepts it still watches); it forgets what every
    /// replica applied, so this stays bounded however long the run.
    package var monitorHistorySize: Int { monitor.committed.count + monitor.acceptors.count }

    /// The bare baseline: `messages` envelopes (`samples`, cycled) through a `Deque` kept `depth` deep, each
    /// taken off the front and looked at as a delivery does (who it is for, and what it is); no protocol work.
    /// Returns a checksum of what it looked at, so that none of the work can be left out.
    /// Never inlined: `Scripts/bench-table.sh` reads its instructions (inclusive) from a callgrind profile.
    @inline(never)
    package static func bareQueue(_ samples: [Envelope], messages: Int, depth: Int) -> Int {
        guard !samples.isEmpty else { return 0 }
        var queue = Deque<Envelope>()
        queue.reserveCapacity(depth + 1)
        for k in 0..<depth { queue.append(samples[k % samples.count]) }
        var checksum = 0
        var k = depth % samples.count
        for _ in 0..<messages {
            queue.append(samples[k])
            k += 1
            if k == samples.count { k = 0 }
            guard let envelope = queue.popFirst() else { continue }
            // Who it is for, and what it is (a comparison of the kind's case, no string built).
            if case .replica(let to) = envelope.to {
                checksum &+= to.number &+ (envelope.message.kind == .vote ? 1 : 0)
            }
        }
        return checksum
    }
}
