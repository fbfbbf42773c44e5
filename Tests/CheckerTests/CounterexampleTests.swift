import Testing
import PaxosChecker
import PaxosCore
import PaxosPlayground
import PaxosSimulation

/// PROTOCOL.md: a workshop can "switch the recovery step off (an explicitly unsafe setting) to watch the
/// invariants break". The checker finds the shortest such run and writes it as a script that `run` replays.
@Suite struct CounterexampleTests {
    static func unsafeReport() throws -> (ModelChecker, CheckReport) {
        let checker = try ModelChecker(Bounds.ticking(recovery: false))
        return (checker, checker.run())
    }

    @Test func recoveryOffBreaksDurability() throws {
        let (_, report) = try Self.unsafeReport()
        #expect(report.verdict == .violated)
        #expect(report.exitCode == 1)
        // n1 commits x=1 with n3; n2, which never saw it, wins ballot 2 (a pre-vote, then the vote, with
        // n3) and proposes without asking.
        #expect(report.brokenInvariants == [2])
        #expect(report.steps == 10)
        let actions = try #require(report.counterexample?.actions)
        #expect(actions.filter { $0 == .tick }.count == 2, "n2's timeout is two ticks under priority with timeout 1")
        #expect(actions.contains(.submit([RedoRecord(key: "x", value: "1")])))
    }

    @Test func scriptReplaysToTheViolation() throws {
        let (checker, report) = try Self.unsafeReport()
        let counterexample = try #require(report.counterexample)
        let script = checker.script(for: counterexample)
        #expect(script.contains("set recovery off\ncluster 3 leader n1\n"))
        #expect(script.hasSuffix("expect invariants\n"))

        var output: [String] = []
        let session = Session(options: SessionOptions(), write: { output.append($0) })
        let exit = ScriptRunner.run(script, name: "counterexample.pxs", in: session)
        // Every line ran (no script error), and the closing `expect invariants` failed: the violation is there.
        #expect(exit == .expectFailed, "\(output.joined(separator: "\n"))")
        #expect(session.simulation.violations.map(\.invariant) == counterexample.violations.map(\.invariant))
        #expect(session.simulation.violations.first?.detail == counterexample.violations.first?.detail)
        #expect(output.contains { $0.contains("VIOLATION") })
        #expect(output.last?.contains("expect invariants") == true)
        // The replay's events are the checker's own trace of the path, id for id.
        #expect(session.trace.filter { $0.phase != .invariant }.map(\.messageID)
            == counterexample.events.filter { $0.phase != .invariant }.map(\.messageID))
    }

    @Test func scriptCommentsNameEachMessage() throws {
        let (checker, report) = try Self.unsafeReport()
        let script = checker.script(for: try #require(report.counterexample))
        #expect(script.contains("# transaction client → n1"))
        #expect(script.contains("# Breaks invariant 2 (durability)"))
        let deliveries = script.split(separator: "\n").filter { $0.hasPrefix("deliver ") }
        #expect(deliveries.allSatisfy { $0.contains("# ") })
    }

    @Test func shortestWhateverTheThreadsAndReductions() throws {
        var lengths: Set<Int> = []
        for threads in [1, 2] {
            for reductions in [CheckerConfiguration.Reductions.all, []] {
                var c = Bounds.ticking(recovery: false)
                c.threads = threads
                c.reductions = reductions
                c.drops = 1
                lengths.insert(try #require(try ModelChecker(c).run().steps))
            }
        }
        #expect(lengths == [10])
        var c = Bounds.ticking(recovery: false)
        c.order = .depthFirst
        let dfs = try ModelChecker(c).run()
        #expect(dfs.verdict == .violated)
        #expect(try #require(dfs.steps) >= 8)
    }

    /// `explore K` in the REPL: search from the session's current state; the session's journal followed by
    /// the returned actions replays to the violation.
    @Test func exploreFromASession() throws {
        let setup = ["set heartbeat 1000", "set timeout 1", "set recovery off", "cluster 3 leader n1", "tick", "tick",
                     "submit x=1"]
        let session = Session(options: SessionOptions(), write: { _ in })
        for line in setup { #expect(session.execute(line) == .ok, "\(line)") }

        let report = ModelChecker.explore(from: session.simulation, depth: 9, bounds: CheckerConfiguration())
        #expect(report.verdict == .violated)
        let counterexample = try #require(report.counterexample)
        #expect(counterexample.actions.count == 8)

        let replay = Session(options: SessionOptions(), write: { _ in })
        let exit = ScriptRunner.run(counterexample.script(setup: setup), name: "explore.pxs", in: replay)
        #expect(exit == .expectFailed)
        #expect(replay.simulation.violations.map(\.invariant) == [2])

        // Fewer steps than the violation needs: nothing found within them.
        let short = ModelChecker.explore(from: session.simulation, depth: 7, bounds: CheckerConfiguration())
        #expect(short.verdict == .verifiedToDepth(7))
        #expect(short.depth == 7)
    }

    @Test func abstractTimeoutsFindItSooner() throws {
        var c = Bounds.small()
        c.recovery = false
        let report = try ModelChecker(c).run()
        #expect(report.verdict == .violated)
        // n3's timer fires too (it stops counting n1 as its leader), then n2's pre-vote and vote.
        #expect(report.steps == 10)
        let counterexample = try #require(report.counterexample)
        #expect(counterexample.actions.contains(.timeout(ReplicaID(2))))
        #expect(ModelChecker(uncheckedFor: c).script(for: counterexample).contains("\ntimeout n2"))
    }
}

extension ModelChecker {
    init(uncheckedFor configuration: CheckerConfiguration) {
        // The configuration is valid in these tests.
        self = try! ModelChecker(configuration)
    }
}
