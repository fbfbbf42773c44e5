import PaxosCore

// What the benchmark (`paxos-playground bench`) needs of the simulation, and nothing else does:
//
// - `submitQuietly(_:)`: `performQuietly(.submit)`, returning the transaction message's id. Deliveries and
//   ticks go through `performQuietly(_:effects:)`: the one step path, building no trace events;
// - `figures(of:)`: what the bench samples after every step, read in place;
// - the bare baseline: message values through the very same in-flight queue as a run (the same `enqueue`
//   and `take` as every send and delivery) with no protocol work, so the protocol's cost is a ratio
//   measured in one run.

extension Simulation {
    /// Does `.submit(redo)` as ``perform(_:)`` does, through the same client code, but builds no trace event.
    /// Returns the transaction message's id.
    @discardableResult
    package mutating func submitQuietly(_ redo: [RedoRecord]) throws(SimulationError) -> Int {
        try performQuietly(.submit(redo))
        // A submit puts exactly one item in flight: the transaction, under the last id given.
        return network.nextID - 1
    }

    /// A replica's log length, commit index and client queue length (0 unless it leads), read in place:
    /// a copy of the replica (``replica(_:)``) costs more than a step's bookkeeping.
    package func figures(of id: ReplicaID) -> (logCount: Int, commitIndex: Int, queued: Int) {
        let k = id.number - 1
        return (replicas[k].log.count, replicas[k].commitIndex, replicas[k].leadership?.queue.count ?? 0)
    }

    /// Entries the invariant monitor keeps (commits and accepts it still watches); it forgets what every
    /// replica applied, so this stays bounded however long the run.
    package var monitorHistorySize: Int { monitor.committed.count + monitor.acceptors.count }

    /// Puts `envelope` on the network as a replica's send does, and returns its id. Nothing handles it.
    package mutating func enqueueBare(_ envelope: Envelope) -> Int {
        network.enqueue(.message(envelope), step: step)
    }

    /// Takes the oldest in-flight item off the network, as a FIFO delivery does, and hands it back
    /// undelivered; nil when nothing is in flight.
    package mutating func takeOldestBare() -> InFlight? {
        guard !network.inFlight.isEmpty else { return nil }
        return network.inFlight.remove(at: 0)
    }
}
