import PaxosCore

/// A renaming of the replicas: `nk` becomes `n(images[k - 1])`.
///
/// Only the model checker's symmetry reduction renames replicas: where the protocol cannot tell some
/// replicas apart, a state and its renamings have the same futures, so the search counts them once.
/// Renaming a world renames every replica id in it: ids, ballot owners, known leaders, vote and ack sets,
/// message senders and receivers.
package struct ReplicaPermutation: Hashable, Sendable, CustomStringConvertible {
    /// `images[k - 1]` is the number `nk` becomes.
    package let images: [Int]

    /// nil unless `images` holds each of 1...images.count once.
    package init?(images: [Int]) {
        guard images.sorted() == Array(1...max(1, images.count)), !images.isEmpty else { return nil }
        self.images = images
    }

    package static func identity(count: Int) -> ReplicaPermutation {
        ReplicaPermutation(unchecked: Array(1...max(1, count)))
    }

    private init(unchecked images: [Int]) { self.images = images }

    package var isIdentity: Bool { images.indices.allSatisfy { images[$0] == $0 + 1 } }

    /// Every permutation of `members` among themselves, the other replicas kept, the identity first.
    package static func all(of members: [ReplicaID], replicaCount: Int) -> [ReplicaPermutation] {
        let slots = members.map(\.number)
        var result: [ReplicaPermutation] = []
        var arrangement = slots
        func arrange(_ position: Int) {
            guard position < arrangement.count else {
                var images = Array(1...max(1, replicaCount))
                for (slot, image) in zip(slots, arrangement) { images[slot - 1] = image }
                result.append(ReplicaPermutation(unchecked: images))
                return
            }
            for candidate in position..<arrangement.count {
                arrangement.swapAt(position, candidate)
                arrange(position + 1)
                arrangement.swapAt(position, candidate)
            }
        }
        arrange(0)
        return result
    }

    /// `n2↔n3`-style: the replicas that move, as cycles.
    package var description: String {
        var seen = Set<Int>(), cycles: [String] = []
        for start in 1...images.count where !seen.contains(start) && images[start - 1] != start {
            var cycle: [String] = [], k = start
            while !seen.contains(k) {
                seen.insert(k)
                cycle.append("n\(k)")
                k = images[k - 1]
            }
            cycles.append("(" + cycle.joined(separator: " ") + ")")
        }
        return cycles.isEmpty ? "identity" : cycles.joined()
    }

    // MARK: - Renaming values

    package func callAsFunction(_ id: ReplicaID) -> ReplicaID {
        images.indices.contains(id.number - 1) ? ReplicaID(images[id.number - 1]) : id
    }

    package func callAsFunction(_ id: ReplicaID?) -> ReplicaID? { id.map { self($0) } }

    package func callAsFunction(_ ballot: Ballot) -> Ballot {
        guard let owner = ballot.ownerID else { return ballot }
        return Ballot(round: ballot.round, owner: self(owner))
    }

    package func callAsFunction(_ endpoint: Endpoint) -> Endpoint {
        if case .replica(let id) = endpoint { return .replica(self(id)) }
        return endpoint
    }

    /// `values[k - 1]` belongs to `nk`: the same values, each at its replica's new position.
    package func permuting<Value>(_ values: [Value]) -> [Value] {
        guard values.count == images.count else { return values }
        var result = values
        for (k, value) in values.enumerated() { result[images[k] - 1] = value }
        return result
    }
}
