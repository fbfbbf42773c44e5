import PaxosCore

/// What one quiet step read and wrote, for the checker's partial-order reduction: two steps by different
/// actors commute unless one writes history the other reads.
package struct StepSummary: Hashable, Sendable {
    /// Who the step belongs to: a replica's number; ``client``; ``network`` for a drop or a duplicate (they
    /// touch only the message); ``everyone`` for a tick, a submit, a partition.
    package var actor: Int
    /// Slots (index, ballot) whose acceptors the step added to, as a 64-bit Bloom mask.
    package var acceptedSlots: UInt64 = 0
    /// Slots whose acceptors a leader's commit was checked against (invariant 5), as a Bloom mask.
    package var countedSlots: UInt64 = 0
    /// Indexes the step recorded a commit of (invariant 1 compares with the record), as a Bloom mask.
    package var committedIndexes: UInt64 = 0
    /// Indexes whose first commit record the step made (so the order of two such steps shows), as a Bloom mask.
    package var firstCommits: UInt64 = 0
    /// A leader finished recovery: invariant 2 read every commit so far.
    package var readCommitted = false
    /// The step fed the invariant monitor (its history may have changed).
    package var touchedHistory = false

    package static let client = 0
    package static let network = -1
    package static let everyone = -2

    package init(actor: Int) { self.actor = actor }

    /// Whether the two steps may not commute (a conservative answer: true when unsure): the same actor, or
    /// one writes history the other reads (acceptors a commit is checked against, the first record of a
    /// commit, the commits a new leader is checked against).
    package func conflicts(with other: StepSummary) -> Bool {
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

extension Simulation {
    /// The SplitMix64 finaliser: spreads every input bit over every output bit.
    @inlinable
    package static func mix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
