import PaxosCore

/// A violated invariant of Docs/Protocol.md.
public struct Violation: Hashable, Sendable {
    public let invariant: Int
    public let index: Int?
    public let replicas: [ReplicaID]
    /// What was seen, with its values.
    public let breach: Breach

    /// What broke an invariant, with the values that show it.
    public enum Breach: Hashable, Sendable {
        /// Invariant 1: two replicas committed different records at one index.
        case disagree(index: Int, first: ReplicaID, firstRedo: [RedoRecord], then: ReplicaID, redo: [RedoRecord])
        /// Invariant 5: a commit with fewer accepts than a majority.
        case committedWithoutMajority(replica: ReplicaID, index: Int, ballot: Ballot, accepts: Int, majority: Int)
        /// Invariant 4: an apply out of index order.
        case appliedOutOfOrder(replica: ReplicaID, index: Int, after: Int)
        /// Invariant 4: the data differs from the replay of what was applied.
        case dataDiffers(replica: ReplicaID)
        /// Invariant 2: a leader of a later ballot does not hold a committed entry.
        case lost(index: Int, redo: [RedoRecord], leader: ReplicaID, ballot: Ballot)
        /// Invariant 3: two replicas lead one ballot.
        case twoLeaders(ReplicaID, ReplicaID, ballot: Ballot)
    }

    /// The breach in words, for the trace and the checker's report.
    public var detail: String {
        switch breach {
        case .disagree(let index, let first, let firstRedo, let then, let redo):
            "\(first) committed \(redo: firstRedo) at \(index), \(then) committed \(redo: redo)"
        case .committedWithoutMajority(let replica, let index, let ballot, let accepts, let majority):
            "\(replica) committed \(index) under \(ballot) with \(counted(accepts, "accept")); a majority is \(majority)"
        case .appliedOutOfOrder(let replica, let index, let after):
            "\(replica) applied \(index) after \(after)"
        case .dataDiffers(let replica):
            "\(replica)'s data differs from the replay of what it applied"
        case .lost(let index, let redo, let leader, let ballot):
            "\(index) was committed (\(redo: redo)) but the leader of \(ballot), \(leader), does not hold it"
        case .twoLeaders(let other, let replica, let ballot):
            "\(other) and \(replica) both lead ballot \(ballot)"
        }
    }

    public static let names = [1: "agreement", 2: "durability", 3: "one leader per ballot", 4: "applied order",
                               5: "commit needs a majority"]
    public var name: String { Violation.names[invariant] ?? "invariant \(invariant)" }
}

/// Watches the facts the replicas report and checks invariants 1-5 after every event. It keeps the
/// history that the replicas' current state no longer shows (what was committed, who accepted what).
public struct InvariantMonitor: Hashable, Sendable {
    package struct Committed: Hashable, Sendable {
        package let redo: [RedoRecord]
        package let by: ReplicaID
        /// The ballot it was first committed under: leaders of higher ballots must hold it.
        package let ballot: Ballot

        package init(redo: [RedoRecord], by: ReplicaID, ballot: Ballot) {
            self.redo = redo
            self.by = by
            self.ballot = ballot
        }
    }
    package struct Slot: Hashable, Sendable {
        package let index: Int
        package let ballot: Ballot

        package init(index: Int, ballot: Ballot) {
            self.index = index
            self.ballot = ballot
        }
    }

    /// Invariant 1 and 2: the records committed at each index, and the first replica that committed them.
    package var committed: [Int: Committed] = [:]
    /// Invariant 5: who accepted each (index, ballot).
    package var acceptors: [Slot: [ReplicaID]] = [:]
    /// Invariant 3: the replica elected under each ballot.
    package var leaders: [Ballot: ReplicaID] = [:]
    /// Invariant 4: per replica, the last index applied and the replay of what it applied.
    package var lastApplied: [Int]
    package var replayed: [KeyValueData]
    /// Violations so far, each reported once per invariant and index.
    public private(set) var violations: [Violation] = []

    public init(replicaCount: Int) {
        lastApplied = Array(repeating: 0, count: replicaCount)
        replayed = Array(repeating: KeyValueData(), count: replicaCount)
    }

    mutating func observe(_ observation: Observation, by replica: ReplicaID, state: Replica, majority: Int) -> [Violation] {
        var found: [Violation] = []
        switch observation {
        case .accepted(let index, let ballot, _):
            let slot = Slot(index: index, ballot: ballot)
            if acceptors[slot]?.contains(replica) != true { acceptors[slot, default: []].append(replica) }
        case .committed(let index, let ballot, let redo, let claimed):
            if let earlier = committed[index], earlier.redo != redo {
                found.append(Violation(invariant: 1, index: index, replicas: [earlier.by, replica].sorted(),
                                       breach: .disagree(index: index, first: earlier.by, firstRedo: earlier.redo, then: replica, redo: redo)))
            } else if committed[index] == nil {
                committed[index] = Committed(redo: redo, by: replica, ballot: ballot)
            }
            if claimed != nil {
                let accepted = acceptors[Slot(index: index, ballot: ballot)] ?? []
                if accepted.count < majority {
                    found.append(Violation(invariant: 5, index: index, replicas: accepted.sorted(),
                                           breach: .committedWithoutMajority(replica: replica, index: index, ballot: ballot,
                                                                                   accepts: accepted.count, majority: majority)))
                }
            }
        case .applied(let index, let redo):
            let k = replica.number - 1
            if index != lastApplied[k] + 1 {
                found.append(Violation(invariant: 4, index: index, replicas: [replica],
                                       breach: .appliedOutOfOrder(replica: replica, index: index, after: lastApplied[k])))
            }
            lastApplied[k] = max(lastApplied[k], index)
            for record in redo { replayed[k].apply(record) }
            // `state` is the replica after the whole step, which may have applied several entries (a commit
            // that closes a hole, a restart): compare once the replay has caught up with what it applied.
            if lastApplied[k] == state.appliedIndex, replayed[k] != state.data {
                found.append(Violation(invariant: 4, index: index, replicas: [replica],
                                       breach: .dataDiffers(replica: replica)))
            }
        case .leaderReady(let ballot):
            // Durability is owed to the leaders of later (higher) ballots; a leader of a lower ballot that
            // finishes late can commit nothing, since every majority promised the higher one.
            for index in committed.keys.sorted() {
                guard let entry = committed[index], entry.ballot < ballot else { continue }
                let holds = index < state.log.start || state.log[index]?.redo == entry.redo
                if !holds {
                    found.append(Violation(invariant: 2, index: index, replicas: [entry.by, replica].sorted(),
                                           breach: .lost(index: index, redo: entry.redo, leader: replica, ballot: ballot)))
                }
            }
        }
        return record(found)
    }

    mutating func observeElection(of ballot: Ballot, by replica: ReplicaID) -> [Violation] {
        if let other = leaders[ballot], other != replica {
            return record([Violation(invariant: 3, index: nil, replicas: [other, replica].sorted(),
                                     breach: .twoLeaders(other, replica, ballot: ballot))])
        }
        leaders[ballot] = replica
        return []
    }

    /// Forgets history below an index every replica applied: nothing can commit there any more.
    mutating func forget(through index: Int) {
        guard index > 0, committed.keys.contains(where: { $0 <= index }) else { return }
        committed = committed.filter { $0.key > index }
        acceptors = acceptors.filter { $0.key.index > index }
    }

    private mutating func record(_ found: [Violation]) -> [Violation] {
        let new = found.filter { v in !violations.contains { $0.invariant == v.invariant && $0.index == v.index } }
        violations += new
        return new
    }
}

extension String.StringInterpolation {
    mutating func appendInterpolation(redo: [RedoRecord]) {
        appendLiteral(redo.map(\.description).joined(separator: " "))
    }
}
