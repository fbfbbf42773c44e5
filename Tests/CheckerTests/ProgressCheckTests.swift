import Testing
import PaxosSimulation
import PaxosChecker
import PaxosCore
@testable import PaxosPlayground

/// `check` verifies progress (`Docs/Progress.md`): from every state it reaches, once the faults stop, the
/// cluster converges for good within K ticks and commits a new transaction. Two test-only mutants that
/// break progress but no invariant are caught, and their counterexample scripts replay to the same failure.
@Suite struct ProgressCheckTests {
    /// The default bounds of `paxos-playground check`, with global ticks.
    static func defaults() -> CheckerConfiguration {
        var c = CheckerConfiguration()
        c.time = .ticks(2)
        return c
    }

    /// Runs the counterexample's script in a fresh session (its set-up lines switch the breaks on), and
    /// returns how it ended and what it printed; `withoutBreaks` drops its `set break` lines, to run the same
    /// steps under the correct protocol.
    static func replay(_ script: String, withoutBreaks: Bool = false) -> (ScriptRunner.Exit, [String]) {
        var output: [String] = []
        let session = Session(options: SessionOptions(), write: { output.append($0) })
        let text = withoutBreaks
            ? script.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("set break ") }.joined(separator: "\n")
            : script
        let exit = ScriptRunner.run(text, name: "counterexample.pxs", in: session)
        return (exit, output)
    }

    @Test func theDefaultBoundsVerifyWithProgress() throws {
        let report = try ModelChecker(Self.defaults()).run()
        #expect(report.verdict == .verified)
        #expect(report.lines[1] == "verified: invariants 1-5 hold in every state within these bounds, and from every one the cluster recovers once the faults stop")
        #expect(report.reductionNotes.last == "progress: from every state, once the faults stop (heal, what is in flight to crashed replicas lost, restart to a majority and all, time passing with timeout 3 and heartbeat 1), converged for good within K = 38 ticks and a new transaction applied")
    }

    /// Without catch-up, a follower whose proposal was lost never gets the entry: heartbeats tell the leader
    /// what it lacks, and nothing is sent.
    @Test func aLeaderThatDoesNotCatchFollowersUpIsCaught() throws {
        var c = Self.defaults()
        c.drops = 1
        c.breaks = [.noCatchUp]
        let checker = try ModelChecker(c)
        let report = checker.run()
        #expect(report.verdict == .violated)
        #expect(report.exitCode == 1)
        let counterexample = try #require(report.counterexample)
        #expect(counterexample.violations.isEmpty, "no invariant breaks: only progress")
        #expect(counterexample.actions == [.submit([RedoRecord(key: "x", value: "1")]), .deliver(1), .drop(2)])
        let continuation = try #require(counterexample.continuation)
        #expect(continuation.failure == .notConverged(tick: 38, bound: 38, .lacksCommitted(ReplicaID(2), index: 1)))
        #expect(report.lines[1] == "PROGRESS VIOLATION: after 3 steps the faults stop, and the cluster does not recover: not converged for good within K = 38 ticks after the faults stopped: at tick 38, n2 lacks committed 1")
        let script = checker.script(for: counterexample)
        #expect(script.hasSuffix("""
            drop 2            # propose n1 → n2
            # the faults stop: time passes with every due message delivered
            set heartbeat 1
            set timeout 3
            run for 38
            expect converged

            """))

        let (exit, output) = Self.replay(script)
        #expect(exit == .expectFailed)
        // The script's last line is the failed expect, which says where it is.
        let lastLine = script.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(output.last == "counterexample.pxs:\(lastLine): ✗ expect converged: n2 lacks committed 1")
        // The bug, not the bounds: the correct protocol recovers from the same run.
        let (cleanExit, cleanOutput) = Self.replay(script, withoutBreaks: true)
        #expect(cleanExit == .passed)
        #expect(cleanOutput.last == "✓ expect converged: n1 leads 1.n1, n2 n3 follow it, every live replica applied 1")
    }

    /// Without standing aside, a candidate refused by a majority stays a candidate: it never follows the
    /// leader elected after it.
    @Test func aCandidateThatNeverStandsAsideIsCaught() throws {
        var c = Self.defaults()
        c.elections = 2
        c.time = .ticks(3)
        c.crashes = 1
        c.breaks = [.noStandAside]
        let checker = try ModelChecker(c)
        let report = checker.run()
        #expect(report.verdict == .violated)
        let counterexample = try #require(report.counterexample)
        #expect(counterexample.violations.isEmpty)
        // n2 wins n3's pre-vote, stands for 2.n2 and crashes: it comes back holding a promise above n1's
        // ballot, and with the bug the cluster never settles behind one leader. (The continuation sets the
        // real timing, which restarts the followers' waits for n1: the shorter run, a crash of n1 right
        // after a tick, now converges in time.)
        #expect(counterexample.actions == [.tick, .tick, .deliver(2), .deliver(3), .crash(ReplicaID(2))])
        let continuation = try #require(counterexample.continuation)
        guard case .notConverged(let tick, 38, let divergence) = continuation.failure else {
            Issue.record("expected a failure to converge, not \(continuation.failure)")
            return
        }
        #expect(tick >= 38)
        let script = checker.script(for: counterexample)
        #expect(script.hasSuffix("restart n2\nrun for \(tick)\nexpect converged\n"))

        let (exit, output) = Self.replay(script)
        #expect(exit == .expectFailed)
        let lastLine = script.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(output.last == "counterexample.pxs:\(lastLine): ✗ expect converged: \(divergence)")
        let (cleanExit, _) = Self.replay(script, withoutBreaks: true)
        #expect(cleanExit == .passed)
    }

    @Test func withoutProgressOnlyInvariantsAreChecked() throws {
        var c = Self.defaults()
        c.drops = 1
        c.breaks = [.noCatchUp]
        c.progress = false
        let report = try ModelChecker(c).run()
        #expect(report.verdict == .verified)
        #expect(report.lines[1] == "verified: invariants 1-5 hold in every state within these bounds")
        #expect(report.bounds.hasSuffix("0 restarts, progress not checked, break no-catch-up"))
        #expect(report.reductionNotes.contains("drops as delays: no message is dropped; a lost message is one never delivered, which the search covers"))
    }
}
