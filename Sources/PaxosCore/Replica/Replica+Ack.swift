// §2(5) Ack and cleanup: a follower acks each entry after applying it. Once every replica has acked an
// index, the leader deletes the redo entries up to it (the data stays), so memory stays bounded. While a
// replica has not acked (it may be down), cleanup waits for it. A heartbeat reply says what the follower
// applied: that counts as its ack of everything up to there, so an ack given to an earlier leader (or
// lost) is not waited for again.

extension Replica {
    mutating func receiveAck(index: Int, from follower: ReplicaID, _ c: inout Context) {
        guard hasLeadership else {
            c.outcome(.ignored(.ackNotLeading))
            return
        }
        updateLeadership { $0.noteAck(index, from: follower) }
        cleanUp(after: index, &c)
    }

    /// Deletes the entries every replica acked, or says who cleanup waits for.
    ///
    /// The leader state is read where it lies and changed in place: a copy of it would make the removal
    /// below copy the whole `accepts` table on every ack.
    mutating func cleanUp(after index: Int, _ c: inout Context) {
        guard hasLeadership else { return }
        // Half-open ranges: a closed range's iteration is not specialised, and this runs on every ack.
        let replicas = 1..<(max(1, c.config.replicaCount) + 1)
        let everyoneAcked = everyoneAcked(replicas)
        let start = log.start
        if everyoneAcked >= start {
            deleteEntries(through: everyoneAcked, .cleansUp(through: everyoneAcked), &c)
        } else if index >= start {
            c.local(.cleanupWaits(index: index, missing: notAcked(index, replicas)),
                    .cleanupWaits(index: index, missing: notAcked(index, replicas)))
        } else {
            c.outcome(.countsAck(index: index))
        }
    }

    /// `follower`'s heartbeat reply says it applied everything through `applied`: its ack of all of it, to
    /// this leader. When every replica has now acked an index not yet cleaned up, the leader cleans up.
    mutating func noteApplied(_ applied: Int, by follower: ReplicaID, _ c: inout Context) {
        guard let acked = readLeadership({ $0.ackedIndex(of: follower) }), applied > acked else { return }
        updateLeadership { $0.noteAck(applied, from: follower) }
        let everyoneAcked = everyoneAcked(1..<(max(1, c.config.replicaCount) + 1))
        guard everyoneAcked >= log.start else { return }
        deleteEntries(through: everyoneAcked, .cleansUpOnReply(through: everyoneAcked, follower: follower, applied: applied), &c)
    }

    /// The cleanup itself: the leader deletes its redo entries (and their accepts) through `index`, which
    /// every replica acked, for `reason`.
    private mutating func deleteEntries(through index: Int, _ reason: @autoclosure () -> Reason, _ c: inout Context) {
        log.removeEntries(through: index)
        updateLeadership { $0.accepts.removeAll(through: index) }
        c.local(.cleanup(through: index), reason())
    }

    /// The highest index every replica (numbered in `replicas`) acked to this leader, its own ack its
    /// applied index; 0 when it does not lead.
    func everyoneAcked(_ replicas: Range<Int>) -> Int {
        readLeadership { leader in
            var least = Int.max
            for number in replicas { least = min(least, leader.ackedIndex(of: ReplicaID(number))) }
            return least
        } ?? 0
    }

    /// The replicas (numbered in `replicas`) that have not acked `index`, in id order.
    func notAcked(_ index: Int, _ replicas: Range<Int>) -> [ReplicaID] {
        var missing: [ReplicaID] = []
        for number in replicas where readLeadership({ $0.ackedIndex(of: ReplicaID(number)) }) ?? 0 < index {
            missing.append(ReplicaID(number))
        }
        return missing
    }

    /// Where followers may clean up to: every replica acked it.
    var cleanupIndex: Int { log.start - 1 }
}
