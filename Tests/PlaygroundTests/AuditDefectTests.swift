import Foundation
import Testing
import PaxosCore
@testable import PaxosSimulation
@testable import PaxosPlayground

/// Defects the eighth and later outside audits found, each with its exact behaviour now.
@Suite struct AuditDefectTests {
    /// The client counts the redirects that come back for a transaction, copies included: four copies of t1
    /// redirected make four redirects though each copy was redirected once. The note said "redirected 4
    /// times; submit it again later" while three re-sent copies were still on their way (and committed).
    @Test func aGiveUpCountsTheCopiesAndSaysOneIsStillOnItsWay() {
        let (session, transcript) = InterpreterTests.session("""
            cluster 3 leader n1
            set window 1
            submit x=1
            duplicate 1
            duplicate 1
            duplicate 1
            duplicate 1
            step 5
            cut n1 n2
            cut n1 n3
            tick 3
            timeout n2
            """)
        session.execute("run")
        let at = transcript.lines.firstIndex { $0.contains("client gives up on t1") }
        #expect(at.map { Array(transcript.lines[($0 - 1)...$0]) } == [
            "  38 t3   §2(1)  transaction n1 → client    {\"type\": \"redirect\", \"leader\": \"n2\", \"redo_log\": [\"x=1\"]}  (on #27)",
            "      ↳ client gives up on t1: redirect number 4 of it came back, and the client re-sends a transaction at most 3 times; another copy of t1 is still on its way, and may yet commit",
        ])
        #expect(transcript.lines.filter { $0.contains("client re-sends t1") }.count == 3)
    }

    /// A leader alone in its cluster proposes and commits with no one to send to: the flow showed the
    /// transaction and then the apply, with no propose and no commit event.
    @Test func aClusterOfOneShowsItsProposalAndItsCommit() {
        let (session, transcript) = InterpreterTests.session("cluster 1\nrun until leader")
        session.execute("submit a=1")
        session.execute("run")
        #expect(Array(transcript.lines.suffix(8)) == [
            "   5 t3   §2(2)  propose     n1             {\"proposal_id\": 1, \"ballot\": \"1.n1\", \"redo_log\": [\"a=1\"]}  (on #1)",
            "      ↳ n1 executes t1, appends it at index 1 and proposes it under ballot 1.n1 to every replica, itself included",
            "   5 t3   §2(4)  commit      n1             {\"commit\": {\"proposal_id\": 1, \"ballot\": \"1.n1\"}}  (on #1)",
            "      ↳ 1 of 1 accepts for ballot 1.n1 (n1): majority, commit 1",
            "   5 t3   §2(4)  apply       n1             {\"proposal_id\": 1, \"redo_log\": [\"a=1\"]}  (on #1)",
            "      ↳ n1 applies 1 at once: the leader applies as soon as it commits",
            "   5 t3   §2(5)  cleanup     n1             {\"cleanup\": {\"through\": 1}}  (on #1)",
            "      ↳ every replica acked 1: n1 deletes the redo entries up to 1 (the data stays)",
        ])
        // In a larger cluster the broadcasts are the messages, and no such event is added.
        let (three, said) = InterpreterTests.session("cluster 3 leader n1")
        three.execute("submit a=1")
        three.execute("step 2")
        #expect(said.lines.filter { $0.contains("§2(2)  propose") } == [
            "   2 t0   §2(2)  propose     n1 → n2, n3    {\"proposal_id\": 1, \"ballot\": \"1.n1\", \"redo_log\": [\"a=1\"]}  → #2 #3  (on #1)",
        ])
    }

    /// `compare`'s ticks to elect count from the loss of the leader: a follower's crash loses none. It
    /// counted 17 from n3's crash at tick 10 for an election that took 3 ticks after n1 stepped down.
    @Test func compareCountsTicksToElectFromTheLeadersLoss() {
        let (session, transcript) = InterpreterTests.session("""
            cluster 3 leader n1
            run for 10
            crash n3
            run for 10
            tick 5
            run until leader
            """)
        session.execute("compare priority longest-term")
        let lines = transcript.lines.joined(separator: "\n").split(separator: "\n").map(String.init)
        #expect(lines.first == "compare election policies priority and longest-term: 6 commands of this session replayed under each, from the start")
        #expect(lines.contains("     elected (ballot @tick)   2.n1 @t27  2.n1 @t27"))
        #expect(lines.contains("     ticks to elect           3          3"))
    }

    /// The policy switches `compare` skips are not counted as replayed.
    @Test func compareCountsOnlyTheCommandsItReplays() {
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1\nelection longest-term\nsubmit x=1\nrun")
        session.execute("compare priority randomized")
        #expect(transcript.lines.first?.split(separator: "\n").first == "compare election policies priority and randomized: 3 commands of this session replayed under each, from the start")
    }

    /// `apply nK` on a crashed replica said "n2 has no apply due (applied 0, committed 1)".
    @Test func applyOnACrashedReplicaSaysItIsDown() {
        let (session, transcript) = InterpreterTests.session("commit async\ncluster 3 leader n1\nsubmit x=1\nrun\ncrash n2")
        let outcome = session.execute("apply n2")
        #expect({ if case .error = outcome { true } else { false } }(), "\(outcome)")
        #expect(transcript.lines == ["error: n2 is down: a crashed replica applies nothing (restart n2 brings it back)"])
    }

    /// `run for T` stops at the deliveries one run makes, heartbeats included, and says how to go on: it
    /// said "messages keep flowing", as of a livelock.
    @Test func runForStopsAtItsDeliveriesAndSaysHowToGoOn() throws {
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1")
        try session.runUntil(.ticks(100), deliveryLimit: 40)
        #expect(transcript.lines.last == "run for 100 stops at tick 11 of 100 after 40 deliveries, the most one run delivers (heartbeats and their replies count too); run for 89 goes on")
        #expect(session.simulation.tick == 11)
    }

    /// With a heartbeat interval above 1, a timer can fire before the leader's next heartbeat (or its answers)
    /// arrives: converged looks that far ahead, not one tick (outside audit, round 10: both said converged, and
    /// with no new fault a follower timed out, or the leader stepped down).
    @Test func convergedLooksAheadToTheNextHeartbeat() {
        let (follower, followerLines) = InterpreterTests.session("""
            set heartbeat 2
            set timeout 3
            cluster 3 leader n1
            run for 3
            tick
            drop 5
            run
            """)
        follower.execute("expect converged")
        #expect(followerLines.lines.last == "✗ expect converged: n2 has not heard its leader n1 for 2 ticks: its election timer fires within 2 ticks, before n1's next heartbeat reaches it")
        // n1's answers to its heartbeats of ticks 2 and 4 are dropped (the last faults) or still on their way.
        let answersOnTheirWay = """
            set heartbeat 2
            set timeout 4
            cluster 3 leader n1
            tick
            tick
            deliver 1
            deliver 2
            drop 3
            drop 4
            tick
            tick
            deliver 5
            deliver 6
            """
        let (leader, leaderLines) = InterpreterTests.session(answersOnTheirWay + "\ndrop 7\ndrop 8")
        leader.execute("expect converged")
        #expect(leaderLines.lines.last == "✗ expect converged: n1 has heard from no majority for 4 ticks: it steps down within 2 ticks, before its next heartbeat can be answered")
        // What is on its way resets the count first: the answers to n1, delivered before the next tick.
        let (answered, answeredLines) = InterpreterTests.session(answersOnTheirWay)
        answered.execute("expect converged")
        #expect(answeredLines.lines.last == "✓ expect converged: n1 leads 1.n1, n2 n3 follow it, every live replica applied 0")
    }

    /// Two commits learned in one delivery (commit 2 came first and waited for 1) queue two apply events: the
    /// delivery's one line names both (outside audit, round 10: it named the first only).
    @Test func oneDeliveryThatQueuesTwoAppliesNamesBoth() {
        let (session, transcript) = InterpreterTests.session("commit async\ncluster 3 leader n1\nsubmit x=1\nsubmit y=2\nrun until committed 2\ndeliver 13")
        session.execute("deliver 11")
        #expect(transcript.lines == [
            "  13 t0   §2(4)  commit      n1 → n2        {\"commit\": {\"proposal_id\": 1, \"ballot\": \"1.n1\"}}  → #15 #16  (#11 delivered)",
            "      ↳ n2 knows 1 is committed; applying 1 is an event of its own (apply n2)",
            "      ↳ n2 knows 2 is committed; applying 2 is an event of its own (apply n2)",
        ])
    }
}
