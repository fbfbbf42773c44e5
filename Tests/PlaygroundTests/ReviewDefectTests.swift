import Foundation
import Testing
import PaxosCore
@testable import PaxosSimulation
@testable import PaxosPlayground

/// Defects a code review and an outside audit found in the fifth round, each with its exact behaviour now.
@Suite struct ReviewDefectTests {
    static func session(_ script: String) -> (Session, InterpreterTests.Transcript) {
        InterpreterTests.session(script)
    }

    /// A duplicated candidacy for the ballot a follower promised already made it forget the leader it
    /// follows (so it then granted anyone's pre-vote, "it follows no leader"). It grants again and keeps
    /// following.
    @Test func aDuplicateCandidacyKeepsTheFollowersLeader() {
        let (session, transcript) = Self.session("""
            cluster 3 leader n1
            crash n1
            tick 4
            step 4
            duplicate 5
            deliver 5
            deliver 7
            deliver 9
            """)
        #expect(session.simulation.replica(ReplicaID(3)).knownLeader == ReplicaID(2))
        transcript.lines = []
        session.execute("deliver 6")
        #expect(transcript.lines == [
            "  14 t4   §3(2)  election    n3 → n2        {\"promise\": {\"ballot\": \"2.n2\", \"granted\": true, \"promised\": \"2.n2\", \"last_index\": 0}}  → #11  (on #6)",
            "      ↳ n3 follows 2.n2's leader n2 already, so it promised 2.n2: it grants it again, and nothing else changes",
        ])
        #expect(session.simulation.replica(ReplicaID(3)).knownLeader == ReplicaID(2))
        #expect(session.simulation.replica(ReplicaID(3)).ticksWithoutLeader == 0)
    }

    /// After a failed election a replica waits its retry timeout; once it follows a leader again its
    /// policy's timeout is back (it stayed the retry timeout until its next timeout, so `priority`'s order
    /// did not hold at the next failure).
    @Test func followingALeaderBringsThePolicysTimeoutBack() {
        let (session, _) = Self.session("cluster 3 leader n1")
        let drawn = session.simulation.replica(ReplicaID(3)).electionTimeoutTicks
        #expect(drawn == 5)
        session.execute("partition n3 | n1 n2")
        session.execute("run for 12")
        #expect(session.simulation.replica(ReplicaID(3)).electionTimeoutTicks == 8, "its retry timeout, T + N + 2")
        session.execute("heal")
        session.execute("run for 3")
        #expect(session.simulation.replica(ReplicaID(3)).knownLeader == ReplicaID(1))
        #expect(session.simulation.replica(ReplicaID(3)).electionTimeoutTicks == drawn)
    }

    /// A lost ack left cleanup waiting for ever in an idle cluster (and a re-elected leader forgot acks
    /// given to it before): a heartbeat reply says what the follower applied, which counts as its ack.
    @Test func aHeartbeatReplyCountsAsTheAckItReports() {
        let (session, transcript) = Self.session("""
            cluster 3 leader n1
            submit x=1
            step 7
            drop 8
            """)
        session.execute("run")
        #expect(transcript.lines.last == "      ↳ cleanup waits: n2 has not acked 1")
        transcript.lines = []
        session.execute("tick")
        session.execute("run")
        #expect(transcript.lines.contains("      ↳ n2's heartbeat reply says it applied 1, which counts as its ack: every replica acked 1, so n1 deletes the redo entries up to 1 (the data stays)"))
        #expect(session.simulation.replica(ReplicaID(1)).log.start == 2)
    }

    /// `set timeout` restarts the clocks that watch a leader: a note that counts silence since then says so
    /// (it said "for 6 ticks" of a silence 8 ticks long).
    @Test func aCountOfSilenceSinceATimingChangeSaysSo() {
        let (session, transcript) = Self.session("""
            cluster 3 leader n1
            crash n1
            tick 2
            set timeout 5
            """)
        transcript.lines = []
        session.execute("tick 6")
        #expect(transcript.lines.contains("      ↳ no heartbeat from a leader it could follow for 6 ticks: n2 reports \"Leader heartbeat timeout\" to the monitor (the ticks are counted since the timing changed at tick 2, which restarted the clocks that watch a leader)"))
        // A count that began later (the leader heard after the change) says nothing of it.
        let (fresh, lines) = Self.session("cluster 3 leader n1\nset timeout 5\nrun for 2\ncrash n1")
        lines.lines = []
        fresh.execute("tick 6")
        #expect(lines.lines.contains("      ↳ no heartbeat from a leader it could follow for 6 ticks: n2 reports \"Leader heartbeat timeout\" to the monitor"))
    }

    /// A leader's refusal claimed a majority it does not check; a stale commit of an older ballot promised
    /// a re-send that never comes.
    @Test func refusalAndStaleCommitNotesSayWhatTheCoreChecks() {
        #expect(Refusal.leads(voter: ReplicaID(1), ballot: Ballot(round: 1, owner: ReplicaID(1))).description
                == "n1 leads 1.n1, and a leader votes for no one until it steps down")
        let stale = Annotator.note(Rule(reason: .cannotCommit(index: 1, ballot: Ballot(round: 1, owner: ReplicaID(1)),
                                                              holds: Ballot(round: 2, owner: ReplicaID(2))),
                                        by: ReplicaID(3), down: [], ranAhead: 0, retimedAt: nil))
        #expect(stale == "n3 cannot commit 1 under 1.n1: it holds 1 under the newer 2.n2; this commit is stale, and only the leader of 2.n2 commits it now")
    }
}
