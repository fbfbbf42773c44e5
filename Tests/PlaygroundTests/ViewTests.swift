import Foundation
import Testing
import PaxosCore
import PaxosSimulation
@testable import PaxosPlayground

/// `view full|compact|phases`, lines fitted to a width, `help` within 80 columns (issue 18 item 2).
@Suite struct ViewTests {
    static func run(_ script: String, options: SessionOptions = SessionOptions()) -> [String] {
        var lines: [String] = []
        let session = Session(options: options, write: { lines.append($0) })
        for line in script.split(separator: "\n") { session.execute(String(line)) }
        return lines
    }

    @Test func compactPrintsOneShortLinePerEvent() {
        let lines = Self.run("cluster 3 leader n1\nview compact\nsubmit x=1\nrun")
        #expect(lines == [
            "cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1",
            "view compact: one short line per event; heartbeat rounds with nothing new fold into one line",
            "   1 transaction client → n1  t1 x=1",
            "   2 propose     n1 → n2, n3  1 (1.n1) x=1",
            "   3 vote        n2 → n1      accept 1 (1.n1)",
            "   4 vote        n3 → n1      accept 1 (1.n1)",
            "   5 commit      n1 → n2, n3  1 (1.n1)",
            "   5 apply       n1           1 x=1",
            "   6 vote        n3 → n1      accept 1 (1.n1)  (#5 delivered)",
            "   7 apply       n2           1 x=1",
            "   7 ack         n2 → n1      1",
            "   8 apply       n3           1 x=1",
            "   8 ack         n3 → n1      1",
            "   9 cleanup     n1           1 waits for n3",
            "  10 cleanup     n1           through 1",
        ])
    }

    /// Heartbeats the network loses on its own (to a replica that is down) are part of a quiet round: the
    /// round folds and says whom they were lost to. A `drop` is never folded.
    @Test func heartbeatsLostToADownReplicaFoldWithTheirRound() {
        let lines = Self.run("cluster 3 leader n1\ncrash n3\nview compact\nrun for 4\ntick\ndrop 13")
        let after = Array(lines.drop { !$0.hasPrefix("view compact") }.dropFirst())
        #expect(after == [
            "     heartbeat round × 4 (tick 1–4): n1 → n2, n3, n2 followed, lost to n3",
            "     heartbeat round (tick 5): n1 → n2, n3, no answer yet",
            "  19 drop        n1 → n2      #13 dropped",
        ])
    }

    /// `run until` folds rounds that repeat a cycle (here a lone replica's timeout and pre-vote, then its
    /// dropping the pre-vote), in every view, after printing the cycle once.
    @Test(arguments: ["", "view compact\n"])
    func runUntilFoldsARepeatingCycleOfRounds(_ view: String) {
        let lines = Self.run("cluster 3 leader n1\ncrash n2\ncrash n3\n\(view)run until converged")
        #expect(lines.suffix(2) == [
            "      … 219 more rounds (ticks 19–1000) repeating the last 2, nothing new",
            "run stops after 1000 ticks: not converged: only n1 is up: a majority needs 2",
        ])
        #expect(lines.count == (view.isEmpty ? 34 : 19), "\(lines.count) lines")
        #expect(lines.filter { $0.contains("so n1 drops it, having raised no ballot") }.count == (view.isEmpty ? 1 : 0))
    }

    /// Seven replicas under lasting one-way cuts: n1 and n5 hear no leader and retry, each at its own retry
    /// timeout, while n2 leads the rest. Their rounds never make a short cycle (n1 and n5 time out together
    /// at some ticks and not at others), but every step of them is one the 32 rounds before took: they fold.
    /// (Folding only cycles of up to 4 rounds printed 13,562 lines here; outside audit, round 2.)
    @Test(arguments: ["", "view compact\n"])
    func runUntilFoldsRoundsMadeOfStepsAlreadyTaken(_ view: String) {
        let cuts = ["n1 n4", "n2 n1", "n2 n5", "n3 n1", "n3 n6", "n4 n5", "n5 n3", "n5 n4", "n5 n6", "n7 n1", "n7 n4", "n7 n5"]
        let lines = Self.run("cluster 7 leader n1\n\(view)" + cuts.map { "cut \($0)\n" }.joined() + "submit x=1\nrun until converged")
        #expect(lines.suffix(2) == [
            view.isEmpty ? "      … 966 more rounds (ticks 35–1000), each made of steps like those of the 32 rounds before it, nothing new"
                : "      … 965 more rounds (ticks 36–1000), each made of steps like those of the 32 rounds before it, nothing new",
            "run stops after 1000 ticks: not converged: n1 follows no one, not the leader n2",
        ])
        #expect(lines.count == (view.isEmpty ? 552 : 199), "\(lines.count) lines")
    }

    @Test func quietHeartbeatRoundsFoldIntoOneLine() {
        let lines = Self.run("cluster 3 leader n1\nsubmit x=1\nrun\ntick 3\nrun\nview compact\nrun for 3\nshow")
        let after = Array(lines.drop { !$0.hasPrefix("view compact") }.dropFirst())
        #expect(after.first == "     heartbeat round × 3 (tick 4–6): n1 → n2, n3, all followed")
        #expect(after.count == 2)
        #expect(after.last?.hasSuffix("\nview compact") == true)
    }

    /// A fold of answers only (the round itself was shown, cut off from n3 and n4) names the followers the
    /// leader found up to date: never "nobody" when answers arrived (outside audit, round 2).
    @Test func foldedAnswersNameWhomTheLeaderFoundUpToDate() {
        let lines = Self.run("cluster 5 leader n1\nview compact\nsubmit x=1\nrun\ncut n3 n1\ncut n4 n1\nrun for 1")
        #expect(Array(lines.suffix(8)) == [
            "  22 heartbeat   n2 → n1      1.n1 log 1 applied 1",
            "  23 heartbeat   n3 → n1      1.n1 log 1 applied 1",
            "  24 heartbeat   n4 → n1      1.n1 log 1 applied 1",
            "  25 heartbeat   n5 → n1      1.n1 log 1 applied 1",
            "     heartbeat answers (tick 1): n1 finds n2 up to date",
            "  27 drop        n3 → n1      #23 lost to a cut",
            "  28 drop        n4 → n1      #24 lost to a cut",
            "     heartbeat answers (tick 1): n1 finds n5 up to date",
        ])
    }

    /// A fold that begins with the answers to a round already printed names the rounds' own ticks, and the
    /// answers' apart (it said "× 2 (tick 1–3)" of the rounds of ticks 2 and 3).
    @Test func aFoldNamesItsRoundsTicksApartFromEarlierAnswers() {
        let lines = Self.run("cluster 3 leader n1\nsubmit x=1\nrun\nview compact\nrun for 3")
        #expect(lines.suffix(4) == [
            "     heartbeat round (tick 1): n1 → n2, n3, no answer yet",
            "  12 heartbeat   n2 → n1      1.n1 log 1 applied 1",
            "  13 heartbeat   n3 → n1      1.n1 log 1 applied 1",
            "     heartbeat round × 2 (tick 2–3; answers of tick 1 too): n1 → n2, n3, all followed",
        ])
    }

    @Test func heartbeatsWithNoAnswerSaySo() {
        let lines = Self.run("cluster 3 leader n1\nview compact\ntick 2")
        #expect(lines.last == "     heartbeat round × 2 (tick 1–2): n1 → n2, n3, no answer yet")
    }

    @Test func phasesShowOnlyTheNamedPhasesInFull() {
        let lines = Self.run("cluster 3 leader n1\nview phases commit,ack\nsubmit x=1\nrun")
        #expect(lines.dropFirst(2) == [
            "   5 t0   §2(4)  commit      n1 → n2, n3    {\"commit\": {\"proposal_id\": 1, \"ballot\": \"1.n1\"}}  → #6 #7  (on #4)",
            "      ↳ 2 of 3 accepts for ballot 1.n1 (n1, n2): majority, commit 1",
            "   7 t0   §2(5)  ack         n2 → n1        {\"ack\": {\"proposal_id\": 1}}  → #8  (on #6)",
            "      ↳ n2 acks 1 after applying it",
            "   8 t0   §2(5)  ack         n3 → n1        {\"ack\": {\"proposal_id\": 1}}  → #9  (on #7)",
            "      ↳ n3 acks 1 after applying it",
        ])
        #expect(lines[1] == "view phases: only commit, ack events, in full")
    }

    @Test(arguments: [
        ("view phases vote,votes", "error: unknown phase 'votes': phases are transaction, propose, vote, commit, apply, ack, cleanup, heartbeat, timeout, election, recovery, fault, invariant"),
        ("view phases", "error: view phases needs phase names, e.g. view phases propose,vote; phases are transaction, propose, vote, commit, apply, ack, cleanup, heartbeat, timeout, election, recovery, fault, invariant"),
        ("view compat", "error: unknown view 'compat': did you mean 'compact'? use view full, view compact or view phases P,P,..."),
        ("view", "error: view needs full|compact|phases: full, compact or phases P,P,... (see help view)"),
        ("view full now", "error: unexpected 'now' after view (see help view)"),
    ])
    func badViewSaysWhatWouldBeRightAndChangesNothing(_ line: String, _ message: String) {
        let session = Self.rejects(line, message, after: ["cluster 3 leader n1", "view compact"])
        #expect(session.view == .compact)
    }

    /// A session after `setup` that answers `line` with exactly the error line `message`, and nothing else.
    static func rejects(_ line: String, _ message: String, after setup: [String]) -> Session {
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        for command in setup { session.execute(command) }
        lines = []
        #expect(session.execute(line) == .error(String(message.dropFirst("error: ".count))))
        #expect(lines == [message])
        return session
    }

    @Test func aScriptSetsTheViewAndShowSaysIt() {
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        let exit = ScriptRunner.run("cluster 3 leader n1\nview phases vote\nsubmit x=1\nstep 2\nshow\n", name: "v.pxs", in: session)
        #expect(exit == .passed)
        #expect(session.view == .phases([.vote]))
        #expect(lines.last?.hasSuffix("recovery on\nview phases vote") == true)
        #expect(lines.filter { $0.contains("§2(2)") }.isEmpty)
    }

    @Test func theDefaultViewIsTheFullFlow() {
        let full = Self.run("cluster 3 leader n1\nsubmit x=1\nrun")
        let asked = Self.run("cluster 3 leader n1\nview full\nsubmit x=1\nrun")
        #expect(asked.count == full.count + 1)
        #expect(Array(asked.dropFirst(2)) == Array(full.dropFirst()))
    }

    @Test func tabCompletesViewsAndPhaseLists() {
        let session = Session(write: { _ in })
        #expect(session.completions(line: "view c", word: "c") == ["compact"])
        #expect(session.completions(line: "view phases vote,c", word: "vote,c") == ["vote,commit", "vote,cleanup"])
        #expect(session.completions(line: "help la", word: "la") == ["lanes"])
    }

    // MARK: - Width

    @Test func wrapBreaksAtWordsUnderAHangingIndent() {
        #expect(TextWrap.wrap("alpha beta gamma delta", width: 12, indent: 2) == ["alpha beta", "  gamma", "  delta"])
        #expect(TextWrap.wrap("short", width: 12, indent: 2) == ["short"])
        #expect(TextWrap.wrap("abcdefghijklmnop", width: 10, indent: 2) == ["abcdefghij", "  klmnop"])
        #expect(TextWrap.wrap("a very long line", width: nil, indent: 4) == ["a very long line"])
    }

    @Test func flowLinesFitTheWidthAndLoseNoWord() {
        var options = SessionOptions()
        options.width = 60
        let script = "cluster 3 leader n1\nsubmit x=1 y=2\nrun\ncrash n1\nrun until leader"
        let narrow = Self.run(script, options: options)
        let wide = Self.run(script)
        #expect(narrow.count > wide.count)
        for line in narrow.flatMap({ $0.split(separator: "\n") }) { #expect(line.count <= 60, "\(line.count): \(line)") }
        let words = { (lines: [String]) in lines.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == "\n" }) }
        #expect(words(narrow) == words(wide))
    }

    @Test func aWrappedFlowLineHangsUnderItsHead() {
        var options = SessionOptions()
        options.width = 60
        let lines = Self.run("cluster 3 leader n1\nsubmit x=1", options: options)
        #expect(Array(lines.dropFirst()) == [
            "   1 t0   §2(1)  transaction client → n1    {\"type\":",
            "          \"transaction\", \"redo_log\": [\"x=1\"]}  → #1",
            "      ↳ client sends t1 to n1: n1 leads with the highest",
            "        ballot (1.n1)",
        ])
    }

    @Test func everyLineFitsTheWidthWhenOneIsSet() {
        var options = SessionOptions()
        options.width = 50
        var lines: [String] = []
        let session = Session(options: options, write: { lines.append(contentsOf: $0.split(separator: "\n").map(String.init)) })
        for line in ["cluster 3 leader n1", "submit x=1", "pending", "step", "explain", "expect committed 1", "deliver 99",
                     "run", "show", "slots", "view compact", "run for 2", "lanes 5", "help view"] {
            session.execute(line)
        }
        #expect(lines.contains("error: message #99 is not in flight: in flight now"))
        #expect(lines.contains("✗ expect committed 1: the highest commit index is"))
        for line in lines { #expect(line.count <= 50, "\(line.count): \(line)") }
    }

    @Test func helpFitsEightyColumns() {
        var lines: [String] = []
        let session = Session(write: { lines.append(contentsOf: $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) })
        session.execute("help")
        for name in Help.commandNames { session.execute("help \(name)") }
        #expect(lines.count > Help.entries.count * 2)
        for line in lines { #expect(line.count <= 80, "\(line.count): \(line)") }
    }

    @Test func helpViewSaysTheViews() {
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        session.execute("help view")
        #expect(lines == [Help.detail(Help.entry("view")!)])
        #expect(lines[0].hasPrefix("view full | compact | phases P,P,...\n  how events print: full"))
    }
}

/// The command line's `--width`, `COLUMNS`, `--ascii` and `NO_COLOR` (issue 18 items 2 and 3).
@Suite struct WidthOptionTests {
    static let script = "cluster 3 leader n1\nsubmit x=1 y=2\nrun\n"

    @Test func widthWrapsFlowLinesAndPipedOutputDoesNot() throws {
        let piped = try CLITests.playground(["run", "--no-color", "-"], input: Self.script)
        let narrow = try CLITests.playground(["run", "--no-color", "--width", "60", "-"], input: Self.script)
        let columns = try CLITests.playground(["run", "--no-color", "-"], input: Self.script, environment: ["COLUMNS": "60"])
        #expect(piped.stdout.split(separator: "\n").contains { $0.count > 60 })
        #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 60 })
        #expect(columns.stdout == narrow.stdout)
    }

    @Test func aWidthOutOfRangeIsRefused() throws {
        let result = try CLITests.playground(["run", "--width", "10", "-"], input: Self.script)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--width takes at least 40 columns (got 10)"))
    }

    @Test func asciiAndNoColorDrawPlainLanes() throws {
        let input = "cluster 3 leader n1\nsubmit x=1\nstep 3\ndrop 5\nlanes 2\n"
        let ascii = try CLITests.playground(["run", "--quiet", "--ascii", "-"], input: input)
        let noColor = try CLITests.playground(["run", "--quiet", "-"], input: input, environment: ["NO_COLOR": "1"])
        #expect(ascii.stdout.hasSuffix("""
               4 t0       |              |<------------vote------------|  accept 1 (1.n1)  #5
               5 t0       |              |x------------vote------------|  #5 dropped

            """))
        #expect(noColor.stdout == ascii.stdout)
    }
}
