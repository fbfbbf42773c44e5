import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// One test per rule of PROTOCOL.md's two tables, each named for the rule it checks: set up the replicas
/// (init), hand one of them an input (act), and check what came out and the state it left (check).
/// Replicas are driven directly, without a network, except where the rule is about the simulation's trace.
@Suite("Phase rules")
struct PhaseRuleTests {
    // MARK: - §2(1) transaction

    @Test("§2(1) the leader executes a transaction and appends its redo records at the next index")
    func leaderAppendsTransactionAtNextIndex() throws {
        var bench = Bench(3, leader: 1)

        let effects = bench.deliver(transaction(1, "x=1", "y=2"), from: nil, to: 1)

        #expect(bench[1].log[1] == LogEntry(index: 1, ballot: ballot(1, 1), redo: redo("x=1", "y=2"), transactions: [1]))
        #expect(bench[1].log.lastIndex == 1)
        #expect(effects.reasons.first == .proposes(index: 1, ballot: ballot(1, 1), transactions: [1]))
    }

    @Test("§2(1) a follower answers a transaction with a redirect naming the leader it knows")
    func followerRedirectsToKnownLeader() throws {
        var bench = Bench(3, leader: 1)

        let effects = bench.deliver(transaction(1, "x=1"), from: nil, to: 2)

        let redirect = try #require(effects.sent.first)
        #expect(effects.sent.count == 1)
        #expect(redirect.from == .replica(n(2)) && redirect.to == .client)
        #expect(redirect.message == .redirect(Transaction(id: 1, redo: redo("x=1")), leader: n(1)))
        #expect(redirect.json == #"{"type": "redirect", "leader": "n1", "redo_log": ["x=1"]}"#)
        #expect(bench[2].log.lastIndex == 0)
    }

    @Test("§2(1) a follower that knows no leader redirects with none")
    func followerWithoutLeaderRedirectsToNone() throws {
        var bench = Bench(3, leader: nil)

        let effects = bench.deliver(transaction(1, "x=1"), from: nil, to: 2)

        #expect(effects.sent.map(\.json) == [#"{"type": "redirect", "leader": null, "redo_log": ["x=1"]}"#])
        #expect(effects.reasons == [.redirects(knownLeader: nil)])
    }

    // MARK: - §2(2) propose

    @Test("§2(2) the leader proposes to every replica, its own accept counted first")
    func leaderProposesToEveryReplicaItselfIncluded() throws {
        var bench = Bench(3, leader: 1)

        let effects = bench.deliver(transaction(1, "x=1"), from: nil, to: 1)

        let proposals = effects.sent("propose")
        #expect(proposals.map(\.to) == [.replica(n(2)), .replica(n(3))])
        #expect(proposals.allSatisfy { $0.from == .replica(n(1)) })
        #expect(proposals.map(\.json) == Array(repeating: #"{"proposal_id": 1, "ballot": "1.n1", "redo_log": ["x=1"]}"#, count: 2))
        // The leader accepted its own proposal: it is in its log, and its accept is counted.
        let leader = try #require(bench[1].leadership)
        #expect(leader.accepts[1]?.members == [n(1)])
        #expect(effects.contains(.observed(.accepted(index: 1, ballot: ballot(1, 1), redo: redo("x=1")))))
        #expect(bench[1].log[1]?.status == .accepted)
    }

    @Test("§2(2) proposal ids are the log indexes: they increase within a ballot and (ballot, id) is unique")
    func proposalIDsIncrease() throws {
        var bench = Bench(3, leader: 1)

        let effects = (1...3).flatMap { bench.deliver(transaction($0, "k\($0)=v"), from: nil, to: 1) }

        let proposals = effects.sent("propose").compactMap { envelope -> Proposal? in
            if case .propose(let proposal) = envelope.message { proposal } else { nil }
        }
        #expect(proposals.map(\.index) == [1, 1, 2, 2, 3, 3])
        #expect(proposals.allSatisfy { $0.ballot == ballot(1, 1) })
        #expect(proposals.map(\.transactions) == [[1], [1], [2], [2], [3], [3]])
        #expect(bench[1].log.entries.map(\.index) == [1, 2, 3])
    }

    @Test("§2(2) batching puts up to `batch` transactions in one proposal; the window bounds proposals in flight")
    func batchingAndWindow() throws {
        var bench = Bench(3, leader: 1) { config in
            config.batchSize = 2
            config.window = 1
        }

        let first = bench.deliver(transaction(1, "a=1"), from: nil, to: 1)
        let second = bench.deliver(transaction(2, "b=2"), from: nil, to: 1)
        let third = bench.deliver(transaction(3, "c=3"), from: nil, to: 1)

        #expect(first.sent("propose").count == 2)
        #expect(second.sent.isEmpty)
        #expect(second.reasons == [.queues(transaction: 2, queueLength: 1, cause: .windowFull(inFlight: 1, window: 1))])
        #expect(third.reasons == [.queues(transaction: 3, queueLength: 2, cause: .windowFull(inFlight: 1, window: 1))])
        // Entry 1 commits: the window opens and the two queued transactions go out as one batch.
        let commit = bench.deliver(accept(1, ballot(1, 1)), from: 2, to: 1)
        let batch = commit.sent("propose")
        #expect(batch.map(\.json) == Array(repeating: #"{"proposal_id": 2, "ballot": "1.n1", "redo_log": ["b=2", "c=3"]}"#, count: 2))
        #expect(bench[1].log[2]?.transactions == [2, 3])
        #expect(bench[1].leadership?.queue.isEmpty == true)
    }

    // MARK: - §2(3) vote

    @Test("§2(3) an acceptor accepts a legal proposal that follows its log")
    func voteAcceptsLegalProposal() throws {
        var bench = Bench(3, leader: 1)

        let effects = bench.deliver(propose(1, ballot(1, 1), "x=1"), from: 1, to: 2)

        #expect(effects.sent.map(\.to) == [.replica(n(1))])
        #expect(effects.sent.map(\.json) == [#"{"vote": "accept", "proposal_id": 1, "ballot": "1.n1"}"#])
        #expect(effects.reasons == [.accepts(index: 1, ballot: ballot(1, 1), promised: ballot(1, 1), logEnd: 0, replaced: nil, cleaned: false)])
        #expect(bench[2].log[1]?.ballot == ballot(1, 1))
        #expect(bench[2].log[1]?.status == .accepted)
    }

    @Test("§2(3) legality: a ballot below the promise is rejected with the reason, and the old leader steps down")
    func voteRejectsBallotBelowPromise() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(.heartbeat(Heartbeat(ballot: ballot(2, 3), commitIndex: 0, cleanupIndex: 0)), from: 3, to: 2)
        #expect(bench[2].promised == ballot(2, 3))
        bench.deliver(transaction(1, "x=1"), from: nil, to: 1)

        let effects = bench.deliver(propose(1, ballot(1, 1), "x=1"), from: 1, to: 2)

        let reject = try #require(effects.sent.first)
        #expect(reject.to == .replica(n(1)))
        #expect(reject.json == #"{"vote": "reject", "proposal_id": 1, "ballot": "1.n1", "reason": "ballot below promise", "promised": "2.n3"}"#)
        #expect(bench[2].log.lastIndex == 0)
        #expect(bench[2].promised == ballot(2, 3))
        // The leader learns that n2 promised a higher round: it steps down, and will stand above it.
        let answer = bench.deliver(reject)
        #expect(answer.reasons == [.learnsHigherRound(round: 2, replica: n(2))])
        #expect(bench[1].role == .follower && bench[1].knownLeader == nil && bench[1].promised == ballot(1, 1))
        #expect(bench[1].leadership == nil)
        let asks = bench.stand(1, bench[1].electionTimeoutTicks).sent("pre_vote")
        #expect(asks.first?.message == .preVote(Candidacy(ballot: ballot(3, 1), lastIndex: 1, lastBallot: ballot(1, 1), attempt: 1)))
    }

    @Test("§2(3) legality: a proposal older than the one accepted at that index is rejected as stale")
    func voteRejectsStaleProposal() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(propose(1, ballot(2, 3), "new=1"), from: 3, to: 2)
        // In a run the promise never drops below an accepted ballot, so the ballot check would answer first;
        // lowering it here isolates the second legality check ("newer than what it accepted").
        bench[2].promised = ballot(1, 1)

        let effects = bench.deliver(propose(1, ballot(1, 1), "old=1"), from: 1, to: 2)

        #expect(effects.sent.map(\.json) == [#"{"vote": "reject", "proposal_id": 1, "ballot": "1.n1", "reason": "stale", "accepted": "2.n3"}"#])
        #expect(bench[2].log[1]?.redo == redo("new=1"))
        #expect(bench[2].log[1]?.ballot == ballot(2, 3))
    }

    @Test("§2(3) log compatibility: a gap is rejected with where the log ends, and the leader re-sends the missing entries")
    func voteRejectsGapAndLeaderResends() throws {
        var bench = Bench(3, leader: 1)
        for t in 1...3 { bench.deliver(transaction(t, "k\(t)=v\(t)"), from: nil, to: 1) }

        let effects = bench.deliver(propose(3, ballot(1, 1), "k3=v3"), from: 1, to: 2)

        let reject = try #require(effects.sent.first)
        #expect(reject.json == #"{"vote": "reject", "proposal_id": 3, "ballot": "1.n1", "reason": "gap", "log_end": 0}"#)
        #expect(bench[2].log.lastIndex == 0)

        let resent = bench.deliver(reject)
        #expect(resent.sent.map(\.to) == Array(repeating: .replica(n(2)), count: 3))
        #expect(resent.sent.map(\.json) == (1...3).map { #"{"proposal_id": \#($0), "ballot": "1.n1", "redo_log": ["k\#($0)=v\#($0)"]}"# })
        #expect(resent.reasons.first == .resends(index: 1, ballot: ballot(1, 1), cause: .gap(logEnd: 0)))

        let votes = resent.sent.flatMap { bench.deliver($0).sent }
        #expect(votes.map(\.json) == (1...3).map { #"{"vote": "accept", "proposal_id": \#($0), "ballot": "1.n1"}"# })
        #expect(bench[2].log.entries.map(\.index) == [1, 2, 3])
    }

    @Test("§2(3) a gap reported again before the next heartbeat is not filled again: only entries above what was re-sent go")
    func gapIsFilledOncePerHeartbeat() throws {
        var bench = Bench(3, leader: 1) { $0.heartbeatIntervalTicks = 3 }
        for t in 1...3 { bench.deliver(transaction(t, "k\(t)=v\(t)"), from: nil, to: 1) }
        let gapAt2 = Envelope(from: .replica(n(2)), to: .replica(n(1)),
                              message: .vote(Vote(index: 2, ballot: ballot(1, 1), rejection: .gap(logEnd: 0))))
        let gapAt3 = Envelope(from: .replica(n(2)), to: .replica(n(1)),
                              message: .vote(Vote(index: 3, ballot: ballot(1, 1), rejection: .gap(logEnd: 0))))

        let first = bench.deliver(gapAt2)
        #expect(first.sent.map(\.json) == (1...2).map { #"{"proposal_id": \#($0), "ballot": "1.n1", "redo_log": ["k\#($0)=v\#($0)"]}"# })

        // The re-sent 2 overtook the re-sent 1: the same gap again. 1 and 2 are on their way; nothing goes.
        let again = bench.deliver(gapAt2)
        #expect(again.sent.isEmpty)
        #expect(again.reasons == [.gapResentAlready(follower: n(2), logEnd: 0, index: 2, resentThrough: 2)])

        // The original 3 arrives before them: only 3 is sent again.
        let above = bench.deliver(gapAt3)
        #expect(above.sent.map(\.json) == [#"{"proposal_id": 3, "ballot": "1.n1", "redo_log": ["k3=v3"]}"#])
        #expect(above.reasons == [.resends(index: 3, ballot: ballot(1, 1), cause: .gap(logEnd: 0))])

        // After a heartbeat the gap may be filled once more (its replies find what is still missing).
        #expect(bench.tick(1, 3).sent("heartbeat").count == 2)
        #expect(bench.deliver(gapAt2).sent.count == 2)
    }

    // MARK: - §2(4) commit and apply

    @Test("§2(4) commit on accepts from a majority for the entry's ballot, the leader's own counted")
    func commitOnMajorityWithLeadersOwnAccept() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(transaction(1, "x=1"), from: nil, to: 1)

        let effects = bench.deliver(accept(1, ballot(1, 1)), from: 2, to: 1)

        #expect(effects.reasons.first == .majority(index: 1, ballot: ballot(1, 1), acceptors: [n(1), n(2)], replicas: 3))
        #expect(effects.sent("commit").map(\.to) == [.replica(n(2)), .replica(n(3))])
        #expect(effects.sent("commit").map(\.json) == Array(repeating: #"{"commit": {"proposal_id": 1, "ballot": "1.n1"}}"#, count: 2))
        #expect(bench[1].commitIndex == 1)
    }

    @Test("§2(4) no commit on a minority of accepts")
    func noCommitOnMinority() throws {
        var bench = Bench(5, leader: 1)
        bench.deliver(transaction(1, "x=1"), from: nil, to: 1)

        let one = bench.deliver(accept(1, ballot(1, 1)), from: 2, to: 1)
        let duplicate = bench.deliver(accept(1, ballot(1, 1)), from: 2, to: 1)

        #expect(one.sent.isEmpty && duplicate.sent.isEmpty)
        #expect(one.reasons == [.countsAccept(index: 1, ballot: ballot(1, 1), acceptors: [n(1), n(2)], needed: 3)])
        #expect(duplicate.reasons == one.reasons, "a duplicated accept counts once")
        #expect(bench[1].commitIndex == 0)
        #expect(bench[1].log[1]?.status == .accepted)

        let third = bench.deliver(accept(1, ballot(1, 1)), from: 4, to: 1)
        #expect(third.sent("commit").count == 4)
        #expect(bench[1].commitIndex == 1)
    }

    @Test("§2(4) no commit on accepts for another ballot")
    func noCommitOnAcceptsForAnotherBallot() throws {
        var bench = Bench(3, leader: nil)
        bench[1].startAsLeader(ballot: ballot(2, 1), config: bench.config)
        bench.deliver(transaction(1, "x=1"), from: nil, to: 1)

        let effects = bench.deliver(accept(1, ballot(1, 1)), from: 2, to: 1)

        #expect(effects.sent.isEmpty)
        #expect(effects.reasons == [.staleVote(index: 1, ballot: ballot(1, 1), current: ballot(2, 1))])
        #expect(bench[1].commitIndex == 0)
        #expect(bench[1].leadership?.accepts[1]?.members == [n(1)])
    }

    @Test("§2(4) the leader applies at once when it commits")
    func leaderAppliesAtOnce() throws {
        for commit in [SyncCommit() as any CommitPolicy, AsyncCommit()] {
            var bench = Bench(3, leader: 1, policies: Policies(commit: commit))
            bench.deliver(transaction(1, "x=1"), from: nil, to: 1)

            let effects = bench.deliver(accept(1, ballot(1, 1)), from: 2, to: 1)

            #expect(effects.locals == [.apply(index: 1, redo: redo("x=1"))], "under \(type(of: commit).name)")
            #expect(bench[1].appliedIndex == 1 && bench[1].data == ["x": "1"], "under \(type(of: commit).name)")
            #expect(bench[1].log[1]?.status == .applied)
        }
    }

    @Test("§2(4)-(5) sync: a follower applies while handling the commit, then acks, in the same step")
    func syncFollowerAppliesThenAcks() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(propose(1, ballot(1, 1), "x=1"), from: 1, to: 2)

        let effects = bench.deliver(.commit(index: 1, ballot: ballot(1, 1)), from: 1, to: 2)

        let applyAt = try #require(effects.firstIndex { if case .local(.apply(1, _), _) = $0 { true } else { false } })
        let ackAt = try #require(effects.firstIndex { if case .send(let e, _) = $0 { e.message == .ack(index: 1) } else { false } })
        #expect(applyAt < ackAt, "the ack follows the apply")
        #expect(effects.sent.map(\.json) == [#"{"ack": {"proposal_id": 1}}"#])
        #expect(effects.sent.map(\.to) == [.replica(n(1))])
        #expect(bench[2].commitIndex == 1 && bench[2].appliedIndex == 1)
        #expect(bench[2].data == ["x": "1"])
    }

    @Test("§2(4)-(5) async: the commit only marks the entry; the apply event applies it, then the ack")
    func asyncFollowerAppliesAsItsOwnEvent() throws {
        var bench = Bench(3, leader: 1, policies: Policies(commit: AsyncCommit()))
        bench.deliver(propose(1, ballot(1, 1), "x=1"), from: 1, to: 2)

        let commit = bench.deliver(.commit(index: 1, ballot: ballot(1, 1)), from: 1, to: 2)

        #expect(commit.sent.isEmpty)
        #expect(commit.contains(.queueApply))
        #expect(bench[2].commitIndex == 1 && bench[2].appliedIndex == 0)
        #expect(bench[2].log[1]?.status == .committed)
        #expect(bench[2].data.isEmpty)

        let apply = bench.handle(2, .applyNext)
        #expect(apply.locals == [.apply(index: 1, redo: redo("x=1"))])
        #expect(apply.sent.map(\.json) == [#"{"ack": {"proposal_id": 1}}"#])
        #expect(bench[2].appliedIndex == 1 && bench[2].data == ["x": "1"])
    }

    @Test("§2(4) followers apply in index order: a commit past a hole waits for it")
    func followerAppliesInIndexOrder() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(propose(1, ballot(1, 1), "x=1"), from: 1, to: 2)
        bench.deliver(propose(2, ballot(1, 1), "x=2"), from: 1, to: 2)

        let second = bench.deliver(.commit(index: 2, ballot: ballot(1, 1)), from: 1, to: 2)
        #expect(second.reasons == [.commitWaitsForGap(index: 2, commitIndex: 0)])
        #expect(bench[2].appliedIndex == 0)

        let first = bench.deliver(.commit(index: 1, ballot: ballot(1, 1)), from: 1, to: 2)
        #expect(first.locals == [.apply(index: 1, redo: redo("x=1")), .apply(index: 2, redo: redo("x=2"))])
        #expect(first.sent.map(\.json) == [#"{"ack": {"proposal_id": 1}}"#, #"{"ack": {"proposal_id": 2}}"#])
        #expect(bench[2].data == ["x": "2"])
    }

    // MARK: - §2(5) ack and cleanup

    @Test("§2(5) cleanup: once every replica acked an index, the leader deletes the entries up to it")
    func cleanupWhenEveryReplicaAcked() throws {
        var bench = Bench(3, leader: 1)
        bench.deliver(transaction(1, "x=1"), from: nil, to: 1)
        bench.deliver(accept(1, ballot(1, 1)), from: 2, to: 1)

        let first = bench.deliver(.ack(index: 1), from: 2, to: 1)
        #expect(first.locals == [.cleanupWaits(index: 1, missing: [n(3)])])
        #expect(bench[1].log.count == 1)

        let second = bench.deliver(.ack(index: 1), from: 3, to: 1)
        #expect(second.locals == [.cleanup(through: 1)])
        #expect(bench[1].log.count == 0 && bench[1].log.start == 2 && bench[1].log.lastIndex == 1)
        #expect(bench[1].data == ["x": "1"], "the data stays")
    }

    @Test("§2(5) cleanup waits while a replica is down, and the trace says so")
    func cleanupWaitsForCrashedReplica() throws {
        var world = World(replicas: 3)
        world.crash(3)
        world.submit("x=1")

        world.deliverAll()

        let waits = world.events("cleanup").map(\.note)
        #expect(waits == ["cleanup waits: n3 (crashed) has not acked 1"])
        #expect(world.events("cleanup").map(\.payload.rendered) == [#"{"cleanup": {"index": 1, "waiting_for": ["n3"]}}"#])
        #expect(world.replica(1).log.count == 1)
        #expect(world.replica(1).commitIndex == 1 && world.replica(2).appliedIndex == 1)

        // Back up, n3 gets the proposal and the commit again with the heartbeats, applies, acks.
        world.restart(3)
        let cleaned = world.run(maxTicks: 3) { $0.replica(1).log.count == 0 }
        #expect(cleaned)
        #expect(world.events("cleanup").last?.payload.rendered == #"{"cleanup": {"through": 1}}"#)
        #expect(world.replica(1).log.count == 0)
    }

    // MARK: - §3(1) heartbeat and timeout

    @Test("§3(1) a heartbeat resets the follower's election timer")
    func heartbeatResetsFollowerTimer() throws {
        var bench = Bench(3, leader: 1)
        let timeout = bench[2].electionTimeoutTicks
        #expect(timeout == 4, "priority: the base 3 ticks plus one per rank")

        let before = bench.tick(2, timeout - 1)
        let heartbeat = try #require(bench.tick(1).sent("heartbeat").first { $0.to == .replica(n(2)) })
        #expect(heartbeat.json == #"{"heartbeat": {"ballot": "1.n1", "commit_index": 0, "cleanup_index": 0}}"#)
        let follows = bench.deliver(heartbeat)
        let after = bench.tick(2, timeout - 1)

        #expect(follows.reasons == [.followsLeader(ballot: ballot(1, 1), cleanedThrough: nil, logEnd: 0, applied: 0)])
        #expect((before + after).locals.isEmpty, "no timeout: the heartbeat restarted the timer")
        #expect(bench[2].role == .follower && bench[2].knownLeader == n(1))
        #expect(bench.tick(2).locals == [.timeout], "one more silent tick and the timer fires")
    }

    @Test("§3(1) heartbeat timeout: the follower reports it and asks for a pre-vote, promising nothing yet")
    func heartbeatTimeoutAsksPreVote() throws {
        var bench = Bench(3, leader: 1)

        let effects = bench.tick(2, 4)

        #expect(effects.locals == [.timeout])
        #expect(effects.sent("pre_vote").map(\.to) == [.replica(n(1)), .replica(n(3))])
        #expect(effects.sent("pre_vote").map(\.json) == Array(repeating: #"{"pre_vote": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0", "attempt": 1}}"#, count: 2))
        #expect(effects.sent("candidacy").isEmpty)
        #expect(bench[2].role == .candidate && bench[2].promised == ballot(1, 1), "a pre-vote raises no ballot")
    }

    @Test("§3(2) with a majority of pre-votes the replica stands: a candidacy above every round it saw")
    func preVoteMajorityStands() throws {
        var bench = Bench(3, leader: 1)

        let effects = bench.stand(2, 4)

        #expect(!effects.reasons.contains { if case .grantsPreVote = $0 { true } else { false } }, "the voter's reason is its own")
        #expect(effects.sent("candidacy").map(\.json) == Array(repeating: #"{"candidacy": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0"}}"#, count: 2))
        #expect(bench[2].role == .candidate && bench[2].promised == ballot(2, 2))
    }

    @Test("§3(2) leader stickiness: a follower that heard its leader within the election timeout refuses a pre-vote")
    func stickyFollowerRefusesPreVote() throws {
        var bench = Bench(3, leader: 1)
        let ask = try #require(bench.tick(2, 4).sent("pre_vote").first { $0.to == .replica(n(3)) })

        let answer = bench.deliver(ask)

        #expect(answer.sent.map(\.json) == [#"{"pre_vote_reply": {"ballot": "2.n2", "granted": false, "reason": "n3 follows n1, not silent for a whole tick yet, within the base election timeout of 3: it keeps following", "promised": "1.n1", "last_index": 0, "attempt": 1}}"#])
        #expect(bench[3].promised == ballot(1, 1) && bench[3].knownLeader == n(1), "a pre-vote changes nothing at the voter")
    }

    @Test("§3(1) the timeout is a trace event from the follower to itself: \"Leader heartbeat timeout\"")
    func timeoutTraceEvent() throws {
        var world = World(replicas: 3)
        world.crash(1)

        world.tick(4)

        let timeout = try #require(world.events("timeout").first)
        #expect(world.events("timeout").count == 1)
        #expect(timeout.phase == .timeout && timeout.from == .replica(n(2)) && timeout.to == .replica(n(2)))
        #expect(timeout.payload.rendered == #""Leader heartbeat timeout""#)
        #expect(world.events("pre_vote").count == 2)
    }

    // MARK: - §3(2) election

    @Test("§3(2) a majority of granted votes, the candidate's own counted, elects it")
    func electionMajorityElects() throws {
        var bench = Bench(5, leader: 1)
        let candidacies = bench.stand(2, 4).sent("candidacy")
        let grants = candidacies.filter { $0.to != .replica(n(1)) }.map { bench.deliver($0) }
        #expect(grants.map { $0.sent.map(\.json) } == Array(repeating: [
            #"{"promise": {"ballot": "2.n2", "granted": true, "promised": "2.n2", "last_index": 0}}"#,
        ], count: 3))
        #expect(grants.allSatisfy { $0.sent.allSatisfy { $0.to == .replica(n(2)) } })

        let first = bench.deliver(try #require(grants[0].sent.first))
        #expect(first.reasons == [.countsPromise(ballot: ballot(2, 2), granted: [n(2), n(3)], refused: [], needed: 3)])
        #expect(bench[2].role == .candidate)

        let second = bench.deliver(try #require(grants[1].sent.first))
        #expect(second.locals.first == .elected(ballot(2, 2)))
        #expect(second.reasons.first == .elected(ballot: ballot(2, 2), granted: [n(2), n(3), n(4)], recovers: true))
        #expect(bench[2].role == .leader && bench[2].leaderBallot == ballot(2, 2))
        #expect(second.sent("heartbeat").count == 4)
        #expect(bench[2].isReadyLeader, "nothing to recover: every log is empty")
    }

    @Test("§3(2) a voter grants one candidate per round")
    func oneVotePerRound() throws {
        var bench = Bench(3, leader: nil, policies: Policies(election: RandomizedElection()))
        bench.deliver(.candidacy(Candidacy(ballot: ballot(2, 2), lastIndex: 0, lastBallot: .zero)), from: 2, to: 1)

        let effects = bench.deliver(.candidacy(Candidacy(ballot: ballot(2, 3), lastIndex: 0, lastBallot: .zero)), from: 3, to: 1)

        #expect(effects.sent.map(\.json) == [#"{"promise": {"ballot": "2.n3", "granted": false, "reason": "n1 already promised 2.n2 in round 2", "promised": "2.n2", "last_index": 0}}"#])
        #expect(bench[1].promised == ballot(2, 2))
    }

    /// Refuses every candidate; with `stands` false, also tells every replica not to stand.
    struct Unwilling: ElectionPolicy {
        static let name = "unwilling"
        static let summary = "refuses everyone"
        var stands = true
        func shouldStand(_ replica: VoterView, config: ClusterConfig) throws -> Bool { stands }
        func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
            .refuse("\(voter.id) refuses everyone")
        }
    }

    @Test("§3(2) a policy shapes a first attempt only: a retry after a failed election is judged without it")
    func retryIsJudgedWithoutThePolicy() throws {
        var bench = Bench(3, leader: 1, policies: Policies(election: Unwilling()))

        let first = bench.stand(2, 3)
        #expect(first.sent("pre_vote").map(\.json).first == #"{"pre_vote": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0", "attempt": 1}}"#)
        #expect(first.reasons.last == .standsAside(ballot: ballot(2, 2), preVote: true, cause: .preVoteRefused([n(1), n(3)]), retryTicks: 7))
        #expect(first.sent("candidacy").isEmpty)

        let retry = bench.stand(2, 7)
        #expect(retry.sent("pre_vote").map(\.json).first == #"{"pre_vote": {"ballot": "2.n2", "last_index": 0, "last_ballot": "0", "retry": true, "attempt": 2}}"#)
        let candidacies = retry.sent("candidacy")
        #expect(candidacies.map(\.to) == [.replica(n(1)), .replica(n(3))], "both voters would grant the retry: n2 stands")
        let grant = bench.deliver(try #require(candidacies.last))
        #expect(grant.reasons == [.grantsRetry(ballot: ballot(2, 2))])
        #expect(bench[3].promised == ballot(2, 2))
    }

    @Test("§3(2) a policy that says not to stand holds a replica back one timeout, not two")
    func shouldStandIsOverruledAtTheNextTimeout() throws {
        var bench = Bench(3, leader: 1, policies: Policies(election: Unwilling(stands: false)))

        let first = bench.tick(2, 3)
        #expect(first.locals == [.timeout])
        #expect(first.reasons == [.timedOut(ticks: 3), .waitsToStand(ticks: 3)])
        #expect(first.sent("pre_vote").isEmpty)
        let second = bench.tick(2, 3)
        #expect(second.locals == [.timeout])
        #expect(second.sent("pre_vote").count == 2, "the second timeout without a leader: it asks, whatever the policy says")
    }

    // MARK: - §3(3) recovery

    @Test("§3(3) recovery: request_log_range to the voters, highest ballot per index among a majority, re-proposed, committed; new transactions after")
    func recoveryChoosesHighestBallotAndReproposes() throws {
        var bench = Bench(5, leader: nil)
        // n2 accepted a and b from the leader of 1.n1; n3 accepted a, then c from a short-lived leader of 2.n4.
        bench.deliver(propose(1, ballot(1, 1), "a=1"), from: 1, to: 2)
        bench.deliver(propose(2, ballot(1, 1), "b=1"), from: 1, to: 2)
        bench.deliver(propose(1, ballot(1, 1), "a=1"), from: 1, to: 3)
        bench.deliver(propose(2, ballot(2, 4), "c=1"), from: 4, to: 3)
        bench.deliver(.heartbeat(Heartbeat(ballot: ballot(2, 4), commitIndex: 0, cleanupIndex: 0)), from: 4, to: 2)
        // n2 times out and stands under 3.n2; n3 and n5 promise.
        let candidacies = bench.stand(2, 4).sent("candidacy")
        #expect(candidacies.first?.message == .candidacy(Candidacy(ballot: ballot(3, 2), lastIndex: 2, lastBallot: ballot(1, 1))))
        let promises = candidacies.filter { [n(3), n(5)].contains($0.to.replica) }.flatMap { bench.deliver($0).sent }
        #expect(promises.map(\.json) == [
            #"{"promise": {"ballot": "3.n2", "granted": true, "promised": "3.n2", "last_index": 2}}"#,
            #"{"promise": {"ballot": "3.n2", "granted": true, "promised": "3.n2", "last_index": 0}}"#,
        ])
        bench.deliver(promises[0])

        let elected = bench.deliver(promises[1])

        // Asked first: the voters; the range ends at the last index a voter reported.
        let requests = elected.sent("request_log_range")
        #expect(requests.map(\.to) == [.replica(n(3)), .replica(n(5))])
        #expect(requests.map(\.json) == Array(repeating: #"{"request_log_range": {"from": 1, "to": 2, "ballot": "3.n2"}}"#, count: 2))
        #expect(elected.sent("propose").isEmpty)
        #expect(bench[2].leadership?.isRecovering == true)

        // A transaction during recovery waits.
        let queued = bench.deliver(transaction(7, "t=7"), from: nil, to: 2)
        #expect(queued.sent.isEmpty)
        #expect(queued.reasons == [.queues(transaction: 7, queueLength: 1, cause: .recovering)])

        let fromN3 = try #require(bench.deliver(requests[0]).sent.first)
        #expect(fromN3.json == #"{"log_range": {"from": 1, "to": 2, "ballot": "3.n2", "entries": [{"index": 1, "ballot": "1.n1", "status": "accepted", "redo_log": ["a=1"]}, {"index": 2, "ballot": "2.n4", "status": "accepted", "redo_log": ["c=1"]}]}}"#)
        let counted = bench.deliver(fromN3)
        #expect(counted.reasons == [.countsLogRange(ballot: ballot(3, 2), replied: [n(2), n(3)], needed: 3)])
        let fromN5 = try #require(bench.deliver(requests[1]).sent.first)

        let recovered = bench.deliver(fromN5)

        // Recovered, then each re-proposal reaches the leader itself, which votes for it (§2(2), §2(3)).
        let own: [(Int, RedoRecord, Int)] = [(1, RedoRecord(key: "a", value: "1"), 1), (2, RedoRecord(key: "c", value: "1"), 2),
                                             (3, RedoRecord(key: "t", value: "7"), 7)]
        #expect(recovered.locals == [.recovered(ballot: ballot(3, 2), from: 1, to: 2)] + own.flatMap { index, redo, t in
            [LocalEvent.ownProposal(Proposal(index: index, ballot: ballot(3, 2), redo: [redo], transactions: [t])),
             .ownVote(Vote(index: index, ballot: ballot(3, 2), rejection: nil))]
        })
        #expect(recovered.reasons.first == .recovered(from: 1, to: 2, chosen: [1: ballot(1, 1), 2: ballot(2, 4)]))
        // Index 2: c (2.n4) beats n2's own b (1.n1). Both re-proposed under 3.n2, then the queued transaction.
        let toN3 = recovered.sent("propose").filter { $0.to == .replica(n(3)) }
        #expect(toN3.map(\.json) == [
            #"{"proposal_id": 1, "ballot": "3.n2", "redo_log": ["a=1"]}"#,
            #"{"proposal_id": 2, "ballot": "3.n2", "redo_log": ["c=1"]}"#,
            #"{"proposal_id": 3, "ballot": "3.n2", "redo_log": ["t=7"]}"#,
        ])
        #expect(bench[2].log.entries.map(\.ballot) == Array(repeating: ballot(3, 2), count: 3))
        #expect(bench[2].isReadyLeader)

        // n3 and n5 accept everything: n2 commits the three entries.
        let proposals = recovered.sent("propose").filter { [n(3), n(5)].contains($0.to.replica) }
        for vote in proposals.flatMap({ bench.deliver($0).sent }) { bench.deliver(vote) }
        #expect(bench[2].commitIndex == 3 && bench[2].appliedIndex == 3)
        #expect(bench[2].data == ["a": "1", "c": "1", "t": "7"])
        #expect(bench[3].log[2]?.redo == redo("c=1") && bench[3].log[2]?.ballot == ballot(3, 2))
    }
}
