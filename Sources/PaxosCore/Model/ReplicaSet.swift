/// Bit sets of replicas (up to 64), for vote and ack counting.
package struct ReplicaSet: Hashable, Sendable {
    package private(set) var bits: UInt64 = 0

    package init() {}
    init(_ replica: ReplicaID) { insert(replica) }

    package mutating func insert(_ replica: ReplicaID) { bits |= 1 << UInt64(replica.number - 1) }
    package func contains(_ replica: ReplicaID) -> Bool { bits & (1 << UInt64(replica.number - 1)) != 0 }
    package var count: Int { bits.nonzeroBitCount }

    /// The members, in id order.
    var members: [ReplicaID] {
        var members: [ReplicaID] = []
        members.reserveCapacity(count)
        var rest = bits
        while rest != 0 {
            members.append(ReplicaID(rest.trailingZeroBitCount + 1))
            rest &= rest - 1
        }
        return members
    }
}
