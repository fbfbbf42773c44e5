import Testing
import PaxosCore
import PaxosSimulation
@testable import PaxosPlayground

/// `compare POLICY POLICY`: the session's commands replayed under two policies of one kind, side by side,
/// without touching the session.
@Suite struct CompareTests {
    final class Transcript {
        var lines: [String] = []
    }

    static func session(_ script: String) -> (Session, Transcript) {
        let transcript = Transcript()
        let session = Session(write: { transcript.lines.append($0) })
        for line in script.split(separator: "\n") { session.execute(String(line)) }
        transcript.lines = []
        return (session, transcript)
    }

    static let leaderFailure = "cluster 3 leader n1\nsubmit x=1\nrun\ncrash n1\nrun until leader\nsubmit y=2\nrun"

    /// The leader crashes: `priority` elects n2 at once; under `randomized` n2 and n3 both time out at
    /// tick 3, both pass the pre-vote and split round 2; neither gets a majority (n1 is down), each stands
    /// aside when its timer fires and retries after its retry timeout, and n3 wins round 3.
    @Test func priorityAgainstRandomizedAfterALeaderCrash() {
        let (session, transcript) = Self.session(Self.leaderFailure)
        #expect(session.execute("compare priority randomized") == .ok)
        #expect(transcript.lines.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
            "compare election policies priority and randomized: 7 commands of this session replayed under each, from the start",
            "                               priority   randomized",
            "  ≠  leader at the end         n2 (2.n2)  n3 (3.n3)",
            "  ≠  elected (ballot @tick)    2.n2 @t4   3.n3 @t14",
            "  ≠  ticks to elect            4          14",
            "  ≠  votes granted / refused   1 / 0      1 / 2",
            "  ≠  timeouts fired            1          3",
            "     ticks to commit (t1, t2)  0, 0       0, 0",
            "     commit index              2          2",
            "     applied n1 n2 n3          1 2 2      1 2 2",
            "     messages: transaction     2          2",
            "     messages: propose         4          4",
            "     messages: vote            3          3",
            "     messages: commit          4          4",
            "     messages: ack             3          3",
            "     messages: heartbeat       3          3",
            "  ≠  messages: election        6          18",
            "  ≠  messages in all           25         37",
            "  ≠  messages lost             5          9",
            "     invariants                hold       hold",
            "  ≠  steps / ticks             32 / 4     54 / 14",
            "first difference at step 14:",
            "  priority                    randomized",
            #"  (no event: time passes)  ≠  t3 §3(1) timeout n2 "Leader heartbeat timeout""#,
            #"                           ≠  t3 §3(2) pre_vote n2 → n1 {"ballot": "2.n2", "last_index": 1, "last_bal…"#,
            #"                           ≠  t3 §3(2) pre_vote n2 → n3 {"ballot": "2.n2", "last_index": 1, "last_bal…"#,
            #"                           ≠  t3 §3(1) timeout n3 "Leader heartbeat timeout""#,
            #"                           ≠  t3 §3(2) pre_vote n3 → n1 {"ballot": "2.n3", "last_index": 1, "last_bal…"#,
            #"                           ≠  t3 §3(2) pre_vote n3 → n2 {"ballot": "2.n3", "last_index": 1, "last_bal…"#,
        ])
    }

    /// Without a failure the election policy never matters: the traces are the same.
    @Test func identicalRunsSaySo() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun")
        session.execute("compare priority longest-term")
        #expect(transcript.lines.last?.hasSuffix("the traces are identical (17 events): these policies make no difference to these commands") == true)
        #expect(!transcript.lines.joined().contains("≠"))
    }

    /// The session's state, journal and trace are as before; only the history gains the line.
    @Test func compareChangesNothing() {
        let (session, _) = Self.session(Self.leaderFailure + "\ncommit async\nsubmit z=3\nstep 2")
        let before = (session.trace, session.journal, session.simulation.step, session.simulation.inFlight,
                      session.simulation.replicas, session.history)
        session.execute("compare priority longest-term")
        session.execute("compare sync async")
        #expect(session.trace == before.0)
        #expect(session.journal == before.1)
        #expect(session.simulation.step == before.2 && session.simulation.inFlight == before.3)
        #expect(session.simulation.replicas == before.4)
        #expect(session.simulation.policies.electionName == "priority" && session.simulation.policies.commitName == "async")
        #expect(session.history == before.5 + ["compare priority longest-term", "compare sync async"])
    }

    /// A message named by id is found in the other run by its content; a command that cannot run there
    /// is skipped; both are listed.
    @Test func deliveriesByIDAreMatchedByContentAndFailuresListed() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncommit async\nsubmit x=1\nrun\nsubmit y=2\nstep\ndeliver 14\ndeliver 13\nstep 3\napply n2")
        session.execute("compare sync async")
        let text = transcript.lines.joined(separator: "\n")
        #expect(text.hasSuffix("""
            replaying under sync:
              · deliver 14: #14 (propose n1 → n3) is #12 in this run
              · deliver 13: #13 (propose n1 → n2) is #11 in this run
              · apply n2: n2 has no apply due (applied 2, committed 2; apply events exist under commit async) in this run: skipped
            """))
        #expect(!text.contains("replaying under async"), "the session's own policy replays without adaptation")
    }

    /// The policy that the session ran with reproduces the session exactly.
    @Test func theSessionsOwnPolicyReproducesItsRun() {
        let (session, transcript) = Self.session(Self.leaderFailure)
        session.execute("compare randomized priority")
        let text = transcript.lines.joined(separator: "\n")
        #expect(text.contains("steps / ticks             54 / 14     \(session.simulation.step) / \(session.simulation.tick)"))
    }

    @Test(arguments: [
        ("compare priority fastest", "error: unknown policy 'fastest': election policies are priority, longest-term, randomized; commit policies are sync, async"),
        ("compare priority sync", "error: compare takes two policies of one kind: priority is an election policy, sync a commit one (e.g. compare priority longest-term, or compare sync async)"),
        ("compare async longest-term", "error: compare takes two policies of one kind: async is a commit policy, longest-term an election one (e.g. compare priority longest-term, or compare sync async)"),
        ("compare priority", "error: compare needs POLICY: two policy names (see help compare)"),
    ])
    func wrongPoliciesAreOneLineErrors(_ line: String, _ expected: String) {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1")
        let history = session.history
        #expect(session.execute(line) == .error(String(expected.dropFirst("error: ".count))))
        #expect(transcript.lines == [expected])
        #expect(session.history == history)
    }

    /// Earlier `compare` lines, shows and checks in the history are not replayed.
    @Test func onlyCommandsThatChangeTheWorldAreReplayed() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nshow\nsubmit x=1\nexpect committed 0\ncompare sync async\nrun\nslots")
        transcript.lines = []
        session.execute("compare sync async")
        #expect(transcript.lines.first?.split(separator: "\n").first == "compare commit policies sync and async: 3 commands of this session replayed under each, from the start")
    }
}
