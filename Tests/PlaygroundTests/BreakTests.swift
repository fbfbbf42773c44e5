import Foundation
import Testing
import PaxosChecker
import PaxosCore
@testable import PaxosPlayground

/// `set break NAME`: the named protocol bugs of the break-it exercises. Listed, shown in `show` and the
/// prompt while on, journaled as a script line; `check` runs with them and writes a counterexample whose
/// script switches them on again, so `run` replays the violation.
@Suite struct BreakTests {
    static func session(_ setup: String = "cluster 3 leader n1") -> (Session, InterpreterTests.Transcript) {
        InterpreterTests.session(setup)
    }

    @Test func setBreakTurnsOneOnAndTheSessionShowsIt() {
        let (session, transcript) = Self.session()
        #expect(session.prompt == "paxos[0|t0]> ")
        session.execute("set break accept-lower-ballot")
        #expect(transcript.lines == ["break accept-lower-ballot on (UNSAFE): acceptors accept a proposal whose ballot is below their promise; check should find it: it breaks invariants 1, 2"])
        #expect(session.simulation.config.breaks == [.acceptLowerBallot])
        #expect(session.prompt == "paxos[0|t0 BREAK accept-lower-ballot]> ")
        session.execute("set break no-catch-up")
        #expect(session.prompt == "paxos[0|t0 BREAK accept-lower-ballot,no-catch-up]> ")
        transcript.lines = []
        session.execute("show")
        #expect(transcript.lines.count == 1)
        #expect(transcript.text.contains("\nprotocol broken on purpose (set break off restores it): accept-lower-ballot (breaks invariants 1, 2), no-catch-up (breaks progress)"))
        transcript.lines = []
        session.execute("set break off")
        #expect(transcript.lines == ["break off: the protocol as specified"])
        #expect(session.simulation.config.breaks.isEmpty)
        #expect(session.prompt == "paxos[0|t0]> ")
        transcript.lines = []
        session.execute("show")
        #expect(!transcript.text.contains("protocol broken"))
    }

    @Test func setBreakAloneListsThemAll() {
        let (session, transcript) = Self.session()
        session.execute("set break commit-without-majority")
        transcript.lines = []
        session.execute("set break")
        let listed = transcript.lines
        let rows = transcript.text.split(separator: "\n").map(String.init)
        #expect(rows.count == ProtocolBreak.allCases.count + 2)
        #expect(rows[2].hasPrefix("commit-without-majority     (on)  breaks invariant 5"))
        #expect(rows.last == "set break NAME turns one on (several may be on), set break off turns them all off")
        for bug in ProtocolBreak.allCases {
            #expect(rows.contains { $0.hasPrefix(bug.name + " ") && $0.hasSuffix(bug.summary) })
        }
        transcript.lines = []
        session.execute("set break list")
        #expect(transcript.lines == listed)
    }

    @Test func breaksAreJournaledAndReplayed() {
        let (session, _) = Self.session()
        session.execute("set break no-stand-aside")
        session.execute("submit x=1")
        #expect(session.journalScriptLines().contains("set break no-stand-aside"))
        session.execute("undo")
        #expect(session.simulation.config.breaks == [.noStandAside], "undo replays the journal, the break with it")
        session.execute("cluster 3")
        #expect(session.simulation.config.breaks == [.noStandAside], "a new cluster keeps the settings")
        #expect(session.journalScriptLines().contains("set break no-stand-aside"))
        session.execute("set break off")
        #expect(session.journalScriptLines().last == "set break off")
    }

    @Test func completion() {
        let (session, _) = Self.session()
        #expect(session.completions(line: "set b", word: "b") == ["batch", "break"])
        #expect(session.completions(line: "set break no", word: "no") == ["no-catch-up", "no-stand-aside"])
        #expect(session.completions(line: "set break o", word: "o") == ["off"])
        #expect(session.completions(line: "check ", word: "") == ["tiny", "classroom", "thorough"] + CheckBudgets.names + ["suspicion"])
        #expect(session.completions(line: "check classroom sus", word: "sus") == ["suspicion"])
        #expect(session.completions(line: "check classroom suspicion ", word: "") == ["any", "leader-down"])
        #expect(session.completions(line: "check suspicion any dr", word: "dr") == ["drops"])
        #expect(session.completions(line: "check drops 1 cr", word: "cr") == ["crashes"])
        #expect(session.completions(line: "check classroom dr", word: "dr") == ["drops"])
        #expect(session.completions(line: "check classroom drops ", word: "") == [])
    }

    /// Runs `setup`, then `check ...` in the session, and replays the script it wrote in a fresh session.
    /// The line a failed expect prints in a script: where it is (the script's last line), then what failed.
    static func failedExpect(_ text: String, lastLineOf script: String, in path: String) -> String {
        "\(path):\(script.split(separator: "\n", omittingEmptySubsequences: false).count - 1): ✗ \(text)"
    }

    static func checkAndReplay(_ setup: String, _ check: String) throws
        -> (check: [String], replay: [String], exit: ScriptRunner.Exit, script: String, path: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(getpid())-\(UUID().uuidString).pxs").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (session, transcript) = InterpreterTests.session(setup)
        session.checkScriptPath = path
        let before = (session.simulation.step, session.trace.count)
        session.execute(check)
        #expect((session.simulation.step, session.trace.count) == before, "check changes nothing")
        #expect(transcript.lines.contains("wrote the counterexample as a script: \(path) (replay: paxos-playground run \(path))"))
        let script = try String(contentsOfFile: path, encoding: .utf8)
        var replayed: [String] = []
        let replay = Session(write: { replayed.append($0) })
        let exit = ScriptRunner.run(script, name: path, in: replay)
        return (transcript.lines, replayed, exit, script, path)
    }

    /// A safety break: the leader commits on its own accept, and `check` finds invariant 5 broken.
    @Test func checkFindsASafetyBreakAndItsScriptReplays() throws {
        // The classroom preset commits a transaction first, which breaks it before the search: the flow is
        // that transaction's steps, up to the one that broke the invariant, and the script replays them.
        let first = try Self.checkAndReplay("cluster 3 leader n1\nset break commit-without-majority", "check")
        #expect(first.check.first == "checking: 3 replicas, n1 leads ballot 1, election priority, commit sync, recovery on, 1 transaction committed first, 1 transaction, 1 election, 3 timeouts (only once the leader is down), 1 drop, 0 duplicates, 1 crash, 0 restarts, break commit-without-majority")
        #expect(first.check.contains("VIOLATION: invariant 5 (commit needs a majority): n1 committed 1 under 1.n1 with 1 accept; a majority is 2 before the search, as the transactions committed first commit"))
        #expect(first.check.contains("the violation happens before the search, as the transactions committed first commit:"))
        #expect(first.check.filter { $0.hasPrefix("   ") && !$0.hasPrefix("      ↳") }.map { String($0.prefix(4)) } == ["   1", "   2", "   2", "   2", "   2"])
        #expect(first.script.contains("\nset break commit-without-majority\ncluster 3 leader n1\nsubmit x=1\nrun\nexpect invariants\n"))
        #expect(first.exit == .expectFailed)
        #expect(first.replay.last?.hasPrefix(Self.failedExpect("expect invariants: violated 5", lastLineOf: first.script, in: first.path)) == true)

        // Nothing committed first: the shortest run within the search, the transaction reaching n1, which
        // commits it on its own accept.
        let run = try Self.checkAndReplay("cluster 3 leader n1\nset break commit-without-majority", "check classroom committed 0")
        #expect(run.check.first == "checking: 3 replicas, n1 leads ballot 1, election priority, commit sync, recovery on, 1 transaction, 1 election, 3 timeouts (only once the leader is down), 1 drop, 0 duplicates, 1 crash, 0 restarts, break commit-without-majority")
        #expect(run.check.contains("VIOLATION: invariant 5 (commit needs a majority): n1 committed 1 under 1.n1 with 1 accept; a majority is 2 after 2 steps"))
        #expect(run.check.contains("shortest path to the violation (2 steps):"))
        #expect(run.check.filter { $0.hasPrefix("   ") && !$0.hasPrefix("      ↳") }.map { String($0.prefix(4)) } == ["   1", "   2", "   2", "   2", "   2"])
        #expect(run.script.contains("\ncluster 3\nset heartbeat 1000\nset timeout 1\nset break commit-without-majority\ncluster 3 leader n1\nsubmit x=1\ndeliver 1         # transaction client → n1\nexpect invariants\n"))
        #expect(run.exit == .expectFailed)
        #expect(run.replay.last?.hasPrefix(Self.failedExpect("expect invariants: violated 5", lastLineOf: run.script, in: run.path)) == true)
    }

    /// A progress break: without catch-up, a follower whose proposal was lost never gets the entry.
    @Test func checkFindsAProgressBreakAndItsScriptReplays() throws {
        let run = try Self.checkAndReplay("set break no-catch-up\ncluster 3 leader n1", "check drops 1")
        #expect(run.check.contains("PROGRESS VIOLATION: after 3 steps the faults stop, and the cluster does not recover: not converged for good within K = 38 ticks after the faults stopped: at tick 38, n2 lacks committed 1"))
        #expect(run.script.contains("\nset break no-catch-up\ncluster 3 leader n1\n"))
        #expect(run.exit == .expectFailed)
        #expect(run.replay.last == Self.failedExpect("expect converged: n2 lacks committed 1", lastLineOf: run.script, in: run.path))
    }

    /// `check` alone runs the classroom preset, as `paxos-playground check` does; budgets alone fill in from
    /// tiny; a preset's budgets give way to those named after it.
    /// The REPL's `check` and `explore` print counts only: no wall time, rate, memory or threads, so that a
    /// script that checks prints the same bytes on every run and every machine.
    @Test func checkAndExploreReportCountsNotTimings() {
        var transcripts: [[String]] = []
        for _ in 0..<2 {
            let (session, transcript) = InterpreterTests.session("cluster 3 leader n1")
            session.checkScriptPath = "/nonexistent/never-written.pxs"
            session.execute("check tiny transactions 0")
            session.execute("explore 3")
            transcripts.append(transcript.lines)
        }
        #expect(transcripts[0] == transcripts[1])
        let counts = transcripts[0].filter { $0.contains(" states, ") }
        #expect(counts.count == 2)
        #expect(counts.allSatisfy { $0.wholeMatch(of: /[0-9,]+ states, [0-9,]+ transitions, depth [0-9]+/) != nil }, "\(counts)")
    }

    @Test func checkTakesThePresetsOfTheCommandLine() {
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1")
        session.checkScriptPath = "/nonexistent/never-written.pxs"
        let cluster = "checking: 3 replicas, n1 leads ballot 1, election priority, commit sync, recovery on, "
        for (command, bounds) in [
            ("check classroom transactions 0 timeouts 2", "1 transaction committed first, 0 transactions, 1 election, 2 timeouts (only once the leader is down), 1 drop, 0 duplicates, 1 crash, 0 restarts"),
            ("check classroom committed 0 timeouts 2", "1 transaction, 1 election, 2 timeouts (only once the leader is down), 1 drop, 0 duplicates, 1 crash, 0 restarts"),
            ("check classroom transactions 0 window 2 timeouts 1 suspicion any", "1 transaction committed first, 0 transactions, 1 election, 1 timeout, 1 drop, 0 duplicates, 1 crash, 0 restarts, window 2"),
            // Global ticks advance every timer: the preset's leader-down suspicion gives way to them.
            ("check classroom transactions 0 ticks 1", "1 transaction committed first, 0 transactions, 1 election, 1 tick, 1 drop, 0 duplicates, 1 crash, 0 restarts"),
            ("check transactions 0", "0 transactions, 1 election, 2 ticks, 0 drops, 0 duplicates, 0 crashes, 0 restarts"),
            ("check tiny transactions 0 timeouts 1", "0 transactions, 1 election, 1 timeout, 0 drops, 0 duplicates, 0 crashes, 0 restarts"),
            ("check thorough transactions 0 elections 0 ticks 1", "1 transaction committed first, 0 transactions, 0 elections, 1 tick, 1 drop, 0 duplicates, 1 crash, 1 restart"),
        ] {
            transcript.lines = []
            session.execute(command)
            #expect(transcript.lines.first == cluster + bounds, "\(command)")
            #expect(transcript.lines.contains { $0.hasPrefix("verified: ") }, "\(command)")
        }
        // With no leader at the start, nothing can be committed first: the preset commits nothing first, and
        // `committed N` asked for anyway is refused with what would be right.
        let (leaderless, said) = InterpreterTests.session("cluster 3")
        leaderless.checkScriptPath = "/nonexistent/never-written.pxs"
        // With no leader, every replica follows no one: one timer makes the first election.
        leaderless.execute("check classroom transactions 0 timeouts 1")
        #expect(said.lines.first == "checking: 3 replicas, no leader, election priority, commit sync, recovery on, 0 transactions, 1 election, 1 timeout (only once the leader is down), 1 drop, 0 duplicates, 1 crash, 0 restarts")
        #expect(said.lines.contains { $0.hasPrefix("verified: ") })
        said.lines = []
        leaderless.execute("check committed 1")
        #expect(said.lines == ["error: transactions committed first need a leader at the start: name one (check --leader n1; in a session, cluster 3 leader n1), or commit none first"])
        for (command, error) in [
            ("check suspicion leaderdown", "error: unknown suspicion 'leaderdown': did you mean 'leader-down'? check takes suspicion any or leader-down"),
            ("check suspicion", "error: check needs WHEN: any or leader-down (see help check)"),
            ("check tiny suspicion leader-down", "error: suspicion leader-down needs abstract time: give timeouts N, not ticks (a global tick advances every timer, the leader's followers' too)"),
            ("check window 0", "error: check takes at least 1 proposal (got 0)"),
        ] {
            said.lines = []
            leaderless.execute(command)
            #expect(said.lines == [error], "\(command)")
        }
        var alone = CheckerConfiguration(), classroom = CheckerConfiguration()
        CheckBudgets().apply(to: &alone)
        CheckPreset.classroom.apply(to: &classroom)
        #expect(alone.summary == classroom.summary)
        #expect(alone.summary.hasSuffix("1 transaction committed first, 1 transaction, 1 election, 3 timeouts (only once the leader is down), 1 drop, 0 duplicates, 1 crash, 0 restarts"))
    }

    /// Without the break, the same `check` verifies.
    @Test func checkWithoutABreakVerifies() {
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1")
        session.checkScriptPath = "/nonexistent/never-written.pxs"
        session.execute("check ticks 1")
        #expect(transcript.lines.contains("verified: invariants 1-5 hold in every state within these bounds, and from every one the cluster recovers once the faults stop"))
        #expect(!transcript.lines.contains { $0.hasPrefix("wrote") || $0.hasPrefix("cannot write") })
    }
}
