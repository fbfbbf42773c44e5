import PaxosCore

// What the model checker's reductions need of the core, and nothing else does: a replica, a message or
// an in-flight item as it would be in a world whose replicas were renamed (symmetry), and a replica with
// its election timers left out (abstract time, where a timer fires whenever the search says).

extension Replica {
    /// This replica as `permutation(id)` would be in the renamed world: its id, the owners of its ballots
    /// (promised, in its log, in its election and leadership), its known leader, and its vote, accept and
    /// ack bookkeeping, all renamed. Timers and the generator are kept as they are.
    package func relabeled(by permutation: ReplicaPermutation) -> Replica {
        var copy = self
        copy.id = permutation(id)
        copy.promised = permutation(promised)
        copy.log = log.relabeled(by: permutation)
        copy.knownLeader = permutation(knownLeader)
        copy.election = election.map {
            ElectionState(ballot: permutation($0.ballot), preVote: $0.preVote, granted: $0.granted.relabeled(by: permutation),
                          refused: $0.refused.relabeled(by: permutation), highestLastIndex: $0.highestLastIndex,
                          attempt: $0.attempt)
        }
        copy.leadership = leadership.map { $0.relabeled(by: permutation) }
        return copy
    }

    /// This replica with its election timers zeroed: the ticks waited, the timeout and the policy's last
    /// draw, the generator that draws it, and a leader's ticks since its last heartbeat. Under abstract time
    /// they cannot change what happens next, unless an apply waits for ticks (``ApplyMode/afterTicks(_:)``),
    /// which the caller must rule out.
    package func withoutTimers() -> Replica {
        var copy = self
        copy.ticksWithoutLeader = 0
        copy.electionTimeoutTicks = 0
        copy.drawnTimeoutTicks = 0
        copy.random = SplitMix64(seed: 0)
        copy.leadership?.ticksSinceHeartbeat = 0
        return copy.withoutQuorumWatch()
    }

    /// This replica with a leader's watch on its majority zeroed: the followers heard from and the ticks
    /// without a majority. They decide nothing while fewer ticks remain than ``ClusterConfig/stepDownTicks``
    /// (no step-down can come), as under abstract time (a leader's clock never moves) or when the heartbeat
    /// interval is beyond the tick budget.
    package func withoutQuorumWatch() -> Replica {
        var copy = self
        copy.leadership?.heard = ReplicaSet()
        copy.leadership?.ticksWithoutMajority = 0
        return copy
    }
}

extension LeaderState {
    func relabeled(by permutation: ReplicaPermutation) -> LeaderState {
        var copy = self
        copy.ballot = permutation(ballot)
        copy.recovery = recovery.map {
            RecoveryState(from: $0.from, to: $0.to, replied: $0.replied.relabeled(by: permutation),
                          best: $0.best.mapValues { $0.relabeled(by: permutation) })
        }
        copy.accepts = accepts.mapReplicas { $0.relabeled(by: permutation) }
        copy.heard = heard.relabeled(by: permutation)
        copy.acked = permutation.permuting(acked)
        copy.gapResent = permutation.permuting(gapResent)
        return copy
    }
}

extension ReplicaSet {
    func relabeled(by permutation: ReplicaPermutation) -> ReplicaSet {
        var result = ReplicaSet()
        var rest = bits
        while rest != 0 {
            result.insert(permutation(ReplicaID(rest.trailingZeroBitCount + 1)))
            rest &= rest - 1
        }
        return result
    }
}

extension Envelope {
    /// The same message between the renamed replicas, with the replica ids it carries renamed.
    package func relabeled(by permutation: ReplicaPermutation) -> Envelope {
        Envelope(from: permutation(from), to: permutation(to), message: message.relabeled(by: permutation))
    }
}

extension Message {
    /// The same message with every replica id it carries renamed. A refused promise's text names replicas
    /// and only the trace reads it: it becomes one neutral refusal, so renamed worlds compare equal.
    package func relabeled(by permutation: ReplicaPermutation) -> Message {
        switch self {
        case .transaction:
            return self
        case .redirect(let transaction, let leader):
            return .redirect(transaction, leader: permutation(leader))
        case .propose(let p):
            return .propose(Proposal(index: p.index, ballot: permutation(p.ballot), redo: p.redo, transactions: p.transactions))
        case .vote(let v):
            let rejection: RejectReason? = switch v.rejection {
            case .ballotBelowPromise(let promised): .ballotBelowPromise(promised: permutation(promised))
            case .stale(let accepted): .stale(accepted: permutation(accepted))
            case .gap, nil: v.rejection
            }
            return .vote(Vote(index: v.index, ballot: permutation(v.ballot), rejection: rejection))
        case .commit(let index, let ballot):
            return .commit(index: index, ballot: permutation(ballot))
        case .ack:
            return self
        case .heartbeat(let h):
            return .heartbeat(Heartbeat(ballot: permutation(h.ballot), commitIndex: h.commitIndex, cleanupIndex: h.cleanupIndex))
        case .heartbeatReply(let r):
            return .heartbeatReply(HeartbeatReply(ballot: permutation(r.ballot), promised: permutation(r.promised),
                                                  logEnd: r.logEnd, appliedIndex: r.appliedIndex))
        case .candidacy(let c):
            return .candidacy(c.relabeled(by: permutation))
        case .preVote(let c):
            return .preVote(c.relabeled(by: permutation))
        case .promise(let p):
            return .promise(p.relabeled(by: permutation))
        case .preVoteReply(let p):
            return .preVoteReply(p.relabeled(by: permutation))
        case .requestLogRange(let ballot, let from, let to):
            return .requestLogRange(ballot: permutation(ballot), from: from, to: to)
        case .logRange(let r):
            return .logRange(LogRange(ballot: permutation(r.ballot), from: r.from, to: r.to,
                                      entries: r.entries.map { $0.relabeled(by: permutation) }))
        }
    }
}

extension Candidacy {
    func relabeled(by permutation: ReplicaPermutation) -> Candidacy {
        Candidacy(ballot: permutation(ballot), lastIndex: lastIndex, lastBallot: permutation(lastBallot), retry: retry,
                  attempt: attempt)
    }
}

extension Promise {
    func relabeled(by permutation: ReplicaPermutation) -> Promise {
        Promise(ballot: permutation(ballot), refusal: refusal.map { _ in .policy("refused") }, promised: permutation(promised),
                lastIndex: lastIndex, attempt: attempt)
    }
}

// MARK: - Renaming replicas

extension RedoLog {
    /// The same log with every ballot's owner renamed (the model checker's symmetry reduction).
    func relabeled(by permutation: ReplicaPermutation) -> RedoLog {
        var copy = self
        copy.entries = entries.map { $0.relabeled(by: permutation) }
        copy.cleanedBallot = permutation(cleanedBallot)
        return copy
    }
}

extension LogEntry {
    func relabeled(by permutation: ReplicaPermutation) -> LogEntry {
        var copy = self
        copy.ballot = permutation(ballot)
        return copy
    }
}
