// §2(1) Transaction: the client sends a transaction to the leader; the leader executes it and appends its
// redo records to its log at the next index. A follower answers with a redirect naming the leader it knows.

extension Replica {
    mutating func receiveTransaction(_ transaction: Transaction, _ c: inout Context) {
        guard hasLeadership else {
            c.send(.redirect(transaction, leader: knownLeader), from: id, to: .client, .redirects(knownLeader: knownLeader))
            return
        }
        // In place: a copy of the leader state would copy the whole queue.
        updateLeadership { $0.queue.append(transaction) }
        let sent = c.produced
        proposeQueued(&c)
        if c.produced == sent {
            let cause: QueueCause = readLeadership({ $0.recovery != nil }) == true
                ? .recovering
                : .windowFull(inFlight: log.lastIndex - commitIndex, window: c.config.window)
            c.outcome(.queues(transaction: transaction.id, queueLength: queuedTransactions, cause: cause))
        }
    }
}
