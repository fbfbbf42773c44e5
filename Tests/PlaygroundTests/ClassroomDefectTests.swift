import Foundation
import Testing
import PaxosCore
@testable import PaxosPlayground

/// The defects a teacher met preparing the workshop (issue 18, "Why"), each with its exact output now.
@Suite struct ClassroomDefectTests {
    typealias Transcript = InterpreterTests.Transcript

    static func session(_ setup: String) -> (Session, Transcript) {
        InterpreterTests.session(setup)
    }

    static func output(_ setup: String, _ command: String) -> [String] {
        let (session, transcript) = session(setup)
        session.execute(command)
        return transcript.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// `slots` says "proposed" for the proposer's own copy (the old leader's, after it crashed) and
    /// "accepted" for the new leader's copy of an entry it never proposed (`log n2` says accepted too).
    @Test func slotsLabelsTheProposerNotTheCurrentLeader() {
        #expect(Self.output("cluster 3 leader n1\nsubmit x=1\nstep 2\ncrash n1\nrun until leader", "slots") == [
            "   slot  n1             n2 (leader)    n3             acked  redo_log",
            "      1  proposed 1.n1  accepted 1.n1  accepted 1.n1  ·      x=1",
            " commit  0              0              0",
            "applied  0              0              0",
            "cleaned  0              0              0",
            "  state  down           up             up",
        ])
    }

    /// n1 led, appended y=2 at index 2 and crashed before anyone else accepted it; n2 leads and puts z=3
    /// at index 2. When n1 is back, accepting proposal 2 overwrites its y=2, and the annotation says so.
    @Test func acceptingOverAnUncommittedEntrySaysWhatItReplaces() {
        let (session, transcript) = Self.session("""
            cluster 3 leader n1
            submit x=1
            run
            submit y=2
            step 1
            drop 11
            drop 12
            crash n1
            run until leader
            submit z=3
            run
            restart n1
            """)
        session.execute("run for 3")
        let notes = transcript.lines.filter { $0.contains("replaces") }
        #expect(notes == [
            "      ↳ n1 accepts proposal 2: ballot 2.n2 is not below its promise 2.n2, index 2 is in its log (2 is its last); it replaces its uncommitted y=2 of 1.n1",
        ])
        #expect(session.execute("expect data n1 y=") == .ok)
        #expect(session.execute("expect data n1 z=3") == .ok)
    }

    /// n3 applied x=1 under 1.n1 (its ack to n1 was lost with n1); n2, which never committed it, leads,
    /// re-proposes it under 2.n2 and commits it: n3 acks it to n2 for the first time, and the annotation
    /// no longer says the leader "missed the ack".
    @Test func anAckToANewLeaderIsNotCalledARepeat() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep 4\ndeliver 7\ndrop 6\ncrash n1\nrun until leader")
        session.execute("run")
        #expect(!transcript.text.contains("missed the ack"))
        #expect(transcript.lines.filter { $0.contains("only acks") } == [
            "      ↳ n3 applied 1 already: it only acks it, to n2 (leading 2.n2), as cleanup counts acks",
        ])
    }

    /// `compare` said `ticks to commit  t1 0  t1 0`, where "t1 0" reads as tick 1: the transactions now name
    /// the row, and the cells hold only ticks.
    @Test func compareNamesTheTransactionsInTheRowNotTheCells() {
        let lines = Self.output("cluster 3 leader n1\nsubmit x=1\nrun\nsubmit y=2\ntick 2\nrun", "compare priority randomized")
        #expect(lines.filter { $0.contains("to commit") } == ["     ticks to commit (t1, t2)  0, 2       0, 2"])
    }

    /// `explore` from a state where n2 leads said "n1 leads ballot 1": the bounds line now says where it
    /// starts from.
    @Test func exploreSaysTheStateItStartsFrom() {
        let lines = Self.output("cluster 3 leader n1\ncrash n1\nrun until leader", "explore 1")
        #expect(lines.contains { $0.hasPrefix("bounds: 3 replicas, from step 11 (n2 leads 2.n2), election priority") })
        #expect(!lines.contains { $0.contains("n1 leads ballot 1") })
    }

    /// A command in the wrong case gets the name it meant.
    @Test func aCommandInCapitalsGetsDidYouMean() {
        #expect(Self.output("cluster 3 leader n1", "STEP") == [
            "error: unknown command 'STEP': did you mean 'step'? type help for the list of commands",
        ])
        #expect(Self.output("cluster 3 leader n1", "Submit x=1") == [
            "error: unknown command 'Submit': did you mean 'submit'? type help for the list of commands",
        ])
    }

    /// `compare` compares two policies of one kind: after an election policy, only election policies.
    @Test func compareCompletesThePolicyOfTheFirstOnesKind() {
        let (session, _) = Self.session("cluster 3 leader n1")
        #expect(session.completions(line: "compare ", word: "") == ["priority", "longest-term", "randomized", "sync", "async"])
        #expect(session.completions(line: "compare priority ", word: "") == ["longest-term", "randomized"])
        #expect(session.completions(line: "compare sync ", word: "") == ["async"])
        #expect(session.completions(line: "compare priority s", word: "s") == [])
    }

    /// A 1-replica cluster cleans its log as soon as it applies (its own ack is every replica's), and
    /// says "1 replica".
    @Test func aOneReplicaClusterCleansUpAndCountsInTheSingular() {
        #expect(Self.output("", "cluster 1 leader n1") == [
            "cluster of 1 replica, n1 leads ballot 1 · election priority, commit sync, seed 1",
        ])
        let (session, transcript) = Self.session("cluster 1 leader n1")
        session.execute("submit x=1")
        session.execute("run")
        session.execute("submit y=2")
        session.execute("run")
        #expect(transcript.lines.filter { $0.contains("cleanup") }.count == 2)
        #expect(session.simulation.replica(ReplicaID(1)).log.entries.isEmpty)
        #expect(session.simulation.replica(ReplicaID(1)).log.start == 3)
        #expect(session.execute("expect data n1 y=2") == .ok)
    }

    /// Heartbeats no sooner than the election timeout make followers time out under a healthy leader: one
    /// warning line says so, and what would be right (the timeout above the heartbeat).
    @Test func heartbeatsSlowerThanTheTimeoutWarn() {
        #expect(Self.output("cluster 3 leader n1", "set heartbeat 5") == [
            "heartbeat every 5 ticks",
            "warning: heartbeats every 5 ticks, longer than the election timeout of 3: followers can time out between them under a healthy leader and hold needless elections; the timeout must be above the heartbeat (set heartbeat 2, or set timeout 6)",
        ])
        #expect(Self.output("cluster 3 leader n1", "set heartbeat 3") == [
            "heartbeat every 3 ticks",
            "warning: heartbeats every 3 ticks, as long as the election timeout of 3: followers can time out between them under a healthy leader and hold needless elections; the timeout must be above the heartbeat (set heartbeat 2, or set timeout 4)",
        ])
        #expect(Self.output("cluster 3 leader n1", "set heartbeat 2") == ["heartbeat every 2 ticks"])
        #expect(Self.output("cluster 3 leader n1\nset heartbeat 3", "set timeout 2") == [
            "election timeout 2 ticks (policies may add to it)",
            "warning: heartbeats every 3 ticks, longer than the election timeout of 2: followers can time out between them under a healthy leader and hold needless elections; the timeout must be above the heartbeat (set heartbeat 1, or set timeout 4)",
        ])
        // A timeout of 1 leaves no heartbeat interval below it: only the timeout can go up.
        #expect(Self.output("cluster 3 leader n1", "set timeout 1") == [
            "election timeout 1 tick (policies may add to it)",
            "warning: heartbeats every 1 tick, as long as the election timeout of 1: followers can time out between them under a healthy leader and hold needless elections; the timeout must be above the heartbeat (set timeout 2)",
        ])
    }

    /// The Mermaid file declares only the participants it draws: no `monitor`.
    @Test func mermaidDeclaresNoUnusedMonitor() {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun\npartition n1 | n2 n3\nheal\ncrash n1\nrun until leader")
        let text = MermaidRenderer(replicaCount: 3).render(session.trace)
        #expect(!text.contains("participant monitor"))
        #expect(!text.contains("over monitor"))
        #expect(!text.contains("monitor->>") && !text.contains("->>monitor"))
        #expect(ExportTests.mermaidProblems(text, replicas: 3).isEmpty)
    }

    /// `run until committed 5` in a fresh cluster printed 6,002 lines of identical heartbeat rounds: the
    /// first round prints in full, the 999 after it as one line; the trace keeps every event.
    @Test func runUntilFoldsRepeatedHeartbeatRounds() {
        let (session, transcript) = Self.session("cluster 3 leader n1")
        session.execute("run until committed 5")
        #expect(transcript.lines.joined(separator: "\n").split(separator: "\n").map(String.init) == [
            "   1 t1   §3(1)  heartbeat   n1 → n2, n3    {\"heartbeat\": {\"ballot\": \"1.n1\", \"commit_index\": 0, \"cleanup_index\": 0}}  → #1 #2",
            "      ↳ n1 leads 1.n1: heartbeat to every follower (commit index 0)",
            "   2 t1   §3(1)  heartbeat   n2 → n1        {\"heartbeat_reply\": {\"ballot\": \"1.n1\", \"promised\": \"1.n1\", \"log_end\": 0, \"applied_index\": 0}}  → #3  (on #1)",
            "      ↳ n2 follows n1 (ballot 1.n1); its election timer restarts; it answers that its log ends at 0 and it applied 0",
            "   3 t1   §3(1)  heartbeat   n3 → n1        {\"heartbeat_reply\": {\"ballot\": \"1.n1\", \"promised\": \"1.n1\", \"log_end\": 0, \"applied_index\": 0}}  → #4  (on #2)",
            "      ↳ n3 follows n1 (ballot 1.n1); its election timer restarts; it answers that its log ends at 0 and it applied 0",
            "   4 t1   §3(1)  heartbeat   n2 → n1        {\"heartbeat_reply\": {\"ballot\": \"1.n1\", \"promised\": \"1.n1\", \"log_end\": 0, \"applied_index\": 0}}  (#3 delivered)",
            "      ↳ n2's log ends at 0 and it applied 0: it misses nothing n1 can send now",
            "   5 t1   §3(1)  heartbeat   n3 → n1        {\"heartbeat_reply\": {\"ballot\": \"1.n1\", \"promised\": \"1.n1\", \"log_end\": 0, \"applied_index\": 0}}  (#4 delivered)",
            "      ↳ n3's log ends at 0 and it applied 0: it misses nothing n1 can send now",
            "      … 999 more heartbeat rounds (ticks 2–1000), nothing new",
            "run stops after 1000 ticks: the condition does not hold yet",
        ])
        #expect(session.trace.count == 6_000)
        #expect(session.simulation.tick == 1_000)
    }

    /// A new event ends the fold: the line saying what was folded comes before it, in order.
    @Test func aFoldedRunSaysWhatItFoldedBeforeWhatIsNew() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nset timeout 6\npartition n1 | n2 n3")
        session.execute("run until leader")
        let lines = transcript.lines.joined(separator: "\n").split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(8)) == [
            "   2 t1   §3(1)  heartbeat   n1 → n2, n3    {\"heartbeat\": {\"ballot\": \"1.n1\", \"commit_index\": 0, \"cleanup_index\": 0}}  → #1 #2",
            "      ↳ n1 leads 1.n1: heartbeat to every follower (commit index 0)",
            "   3 t1   fault  drop        n1 → n2        {\"id\": 1}  (on #1)",
            "      ↳ heartbeat n1 → n2 is lost: the network is partitioned",
            "   4 t1   fault  drop        n1 → n3        {\"id\": 2}  (on #2)",
            "      ↳ heartbeat n1 → n3 is lost: the network is partitioned",
            "      … 5 more heartbeat rounds (ticks 2–6), nothing new",
            "  20 t7   §3(2)  election    n1             {\"step_down\": {\"ballot\": \"1.n1\"}}",
        ])
        #expect(lines.filter { $0.contains("nothing new") }.count == 1)
    }

    /// `--quiet` prints no flow, and no fold line either; `run for` and `step` never fold.
    @Test func foldingIsOnlyForTheFlowOfRunUntil() {
        var options = SessionOptions()
        options.quiet = true
        let printed = Transcript()
        let quiet = Session(options: options, write: { printed.lines.append($0) })
        quiet.execute("cluster 3 leader n1")
        quiet.execute("run until committed 5")
        #expect(printed.lines == ["cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1",
                                  "run stops after 1000 ticks: the condition does not hold yet"])
        let (session, transcript) = Self.session("cluster 3 leader n1")
        session.execute("run for 3")
        #expect(!transcript.text.contains("nothing new"))
        #expect(transcript.lines.joined(separator: "\n").split(separator: "\n").count == 30)
    }
}
