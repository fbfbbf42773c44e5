import CustomPolicies
import PaxosCore
import PaxosPlayground
import Testing

/// This package's policies, run in the playground's own interpreter.
@Suite struct CustomPoliciesTests {
    final class Transcript {
        var lines: [String] = []
    }

    static func run(_ script: String) -> (Session, Transcript, ScriptRunner.Exit) {
        var options = SessionOptions()
        options.registry = .withCustomPolicies
        let transcript = Transcript()
        let session = Session(options: options, write: { transcript.lines.append($0) })
        let exit = ScriptRunner.run(script, name: "test.pxs", in: session)
        return (session, transcript, exit)
    }

    @Test func policiesListsThePluginsBesideTheBuiltIns() {
        let (_, transcript, exit) = Self.run("policies")
        #expect(exit == .passed)
        let table = transcript.lines.joined(separator: "\n")
        #expect(table.contains("election  zone-aware    "))
        #expect(table.contains("commit    delayed       "))
        #expect(table.contains("election  priority      (in use)"))
    }

    /// n3 has the highest priority and times out first; zone-aware voters would not pre-vote for it,
    /// because n3 is not in n1's zone; n2, n1's zone peer, times out next and wins.
    @Test func zoneAwarePrefersTheFailedLeadersZone() {
        let story = "cluster 5 leader n1\npriority n3 10\nsubmit x=1\nrun\ncrash n1\nrun until leader\n"
        let (zoneAware, transcript, _) = Self.run(story.replacingOccurrences(of: "submit", with: "election zone-aware\nsubmit"))
        #expect(zoneAware.simulation.leader == ReplicaID(2))
        #expect(transcript.lines.contains { $0.hasSuffix("n2 would not grant 2.n3: n3 is in zone 1, not in n1's zone 0") })
        let (priority, _, _) = Self.run(story)
        #expect(priority.simulation.leader == ReplicaID(3))
    }

    /// n1's zone (n1, n2) is down: n3, n4 and n5 are each refused on their first attempt. The core asks
    /// a policy about first attempts only, so n3, whose retry timeout is the shortest, wins on its retry.
    @Test func zoneAwareStillElectsWhenTheWholeZoneIsDown() {
        let (session, transcript, exit) = Self.run("""
            cluster 5 leader n1
            election zone-aware
            crash n1
            crash n2
            run until leader
            expect leader n3
            submit x=1
            run
            expect data n5 x=1
            expect invariants
            """)
        #expect(exit == .passed)
        #expect(session.simulation.violations.isEmpty)
        #expect(transcript.lines.filter { $0.contains("would not grant") }.count == 6)
        #expect(transcript.lines.contains {
            $0.hasSuffix("n4 would grant 2.n3: it follows no leader and round 2 is above its promise; n3 asks again after a failed election, so its election policy is not asked (a policy may delay an election, never block it)")
        })
    }

    @Test func delayedAppliesAFixedNumberOfTicksAfterTheCommit() {
        let (session, _, exit) = Self.run("""
            cluster 3 leader n1
            commit delayed
            submit x=1
            run
            expect applied n1 1
            expect applied n2 0
            tick
            expect applied n2 0
            tick
            expect applied n2 1
            expect data n2 x=1
            expect invariants
            """)
        #expect(exit == .passed)
        #expect(session.trace.contains { $0.note == "n2 knows 1 is committed; it applies 1 in 2 ticks" })
        #expect(session.trace.contains { $0.note == "n2 applies 1: its commit policy's delay ran out" })
    }
}
