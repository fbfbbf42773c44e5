// §2(5) Ack and cleanup: a follower acks each entry after applying it. Once every replica has acked an
// index, the leader deletes the redo entries up to it (the data stays), so memory stays bounded. While a
// replica has not acked (it may be down), cleanup waits for it.

extension Replica {
    mutating func receiveAck(index: Int, from follower: ReplicaID, _ c: inout Context) {
        guard var leader = leadership else {
            c.outcome(.ignored("\(id) is not leading: acks are for the leader"))
            return
        }
        leader.noteAck(index, from: follower)
        leadership = leader
        cleanUp(after: index, &c)
    }

    /// Deletes the entries every replica acked, or says who cleanup waits for.
    mutating func cleanUp(after index: Int, _ c: inout Context) {
        guard let leader = leadership else { return }
        let everyoneAcked = c.config.replicas.map { leader.ackedIndex(of: $0) }.min() ?? 0
        if everyoneAcked >= log.start {
            log.removeEntries(through: everyoneAcked)
            leadership?.accepts = leader.accepts.filter { $0.key > everyoneAcked }
            c.local(.cleanup(through: everyoneAcked), .cleansUp(through: everyoneAcked))
        } else if index >= log.start {
            let missing = c.config.replicas.filter { leader.ackedIndex(of: $0) < index }
            c.local(.cleanupWaits(index: index, missing: missing), .cleanupWaits(index: index, missing: missing))
        } else {
            c.outcome(.countsAck(index: index))
        }
    }

    /// Where followers may clean up to: every replica acked it.
    var cleanupIndex: Int { log.start - 1 }
}
