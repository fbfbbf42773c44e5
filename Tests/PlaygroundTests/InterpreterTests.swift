import Testing
import PaxosCore
@testable import PaxosPlayground

/// The command interpreter: errors say what was wrong and what would be right and change nothing;
/// undo replays; history, explain and completion.
@Suite struct InterpreterTests {
    final class Transcript {
        var lines: [String] = []
        var text: String { lines.joined(separator: "\n") }
    }

    static func session(_ setup: String = "cluster 3 leader n1") -> (Session, Transcript) {
        let transcript = Transcript()
        let session = Session(write: { transcript.lines.append($0) })
        for line in setup.split(separator: "\n") { session.execute(String(line)) }
        transcript.lines = []
        return (session, transcript)
    }

    @Test(arguments: [
        ("frobnicate", "error: unknown command 'frobnicate': type help for the list of commands"),
        ("sumbit x=1", "error: unknown command 'sumbit': did you mean 'submit'? type help for the list of commands"),
        ("crash n9", "error: unknown replica n9: this cluster has n1..n3"),
        ("crash x1", "error: 'x1' is not a replica: replicas are named n1, n2, …"),
        ("crash n01", "error: 'n01' is not a replica: replicas are named n1, n2, …"),
        ("crash n+1", "error: 'n+1' is not a replica: replicas are named n1, n2, …"),
        ("step many", "error: 'many' is not a number: step takes N as a whole number ≥ 1"),
        ("tick 0", "error: tick takes at least 1 tick (got 0)"),
        ("deliver 99", "error: message #99 is not in flight: nothing is in flight"),
        ("election fastest", "error: unknown election policy 'fastest': registered are priority, longest-term, randomized"),
        ("commit eventually", "error: unknown commit policy 'eventually': registered are sync, async"),
        ("submit x", "error: 'x' is not K=V: submit takes key=value pairs, e.g. submit x=1"),
        ("submit", "error: submit needs at least one K=V, e.g. submit x=1 y=2"),
        ("set speed 3", "error: unknown setting 'speed': use set batch|window|heartbeat|timeout N, set recovery on|off, or set break NAME|off"),
        ("set brek on", "error: unknown setting 'brek': did you mean 'break'? use set batch|window|heartbeat|timeout N, set recovery on|off, or set break NAME|off"),
        ("set break vote-twice", "error: unknown protocol break 'vote-twice': did you mean 'vote-twice-in-ballot'? set break lists them"),
        ("set break no-catchup", "error: unknown protocol break 'no-catchup': did you mean 'no-catch-up'? set break lists them"),
        ("set break everything", "error: unknown protocol break 'everything': set break lists them"),
        ("set break off now", "error: unexpected 'now' after set (see help set)"),
        ("check faults 1", "error: unknown budget 'faults': check takes a preset (tiny, classroom, thorough) and then committed, transactions, elections, ticks, timeouts, drops, duplicates, crashes, restarts, window, each with a number, and suspicion any|leader-down"),
        ("check drop 1", "error: unknown budget 'drop': did you mean 'drops'? check takes a preset (tiny, classroom, thorough) and then committed, transactions, elections, ticks, timeouts, drops, duplicates, crashes, restarts, window, each with a number, and suspicion any|leader-down"),
        ("check clasroom", "error: unknown budget 'clasroom': did you mean 'classroom'? check takes a preset (tiny, classroom, thorough) and then committed, transactions, elections, ticks, timeouts, drops, duplicates, crashes, restarts, window, each with a number, and suspicion any|leader-down"),
        ("check tiny faults 1", "error: unknown budget 'faults': check takes committed, transactions, elections, ticks, timeouts, drops, duplicates, crashes, restarts, window, each with a number, and suspicion any|leader-down"),
        ("check drops 1 classroom", "error: the preset 'classroom' comes first, before any budget: check classroom drops 1"),
        ("check tiny thorough", "error: check takes one preset: 'tiny' or 'thorough', not both"),
        ("check tiny tiny", "error: check takes one preset ('tiny' is given twice): check tiny"),
        ("check tiny drops 1 tiny", "error: check takes one preset ('tiny' is given twice): check tiny drops 1"),
        ("check drops", "error: check needs N: a number (see help check)"),
        ("check ticks 300", "error: check takes at most 255 ticks (got 300)"),
        ("set recovery maybe", "error: 'maybe' is not on or off: set recovery takes on|off"),
        ("restart n2", "error: n2 is up: only a crashed replica can restart"),
        ("partition", "error: partition needs groups split by |, e.g. partition n1 n2 | n3"),
        ("partition n1 n3 n2", "error: partition n1 n3 n2 puts every replica in one group, so nothing is split: name the groups split by |, e.g. partition n1 n2 | n3"),
        ("partition | n1", "error: partition: group 1 of 2 is empty: each group between | needs a replica, e.g. partition n1 n2 | n3"),
        ("partition n1 || n2", "error: partition: group 2 of 3 is empty: each group between | needs a replica, e.g. partition n1 n2 | n3"),
        ("partition n1 n2 | n3 |", "error: partition: group 3 of 3 is empty: each group between | needs a replica, e.g. partition n1 n2 | n3"),
        ("check crashes 1 crashes 2", "error: check gives crashes twice (1, then 2): give each budget once"),
        ("check suspicion any suspicion leader-down", "error: check gives suspicion twice (any, then leader-down): give it once"),
        ("expect leader", "error: expect needs nK: a replica such as n1 (see help expect)"),
        ("show me", "error: unexpected 'me' after show (see help show)"),
        ("apply n2", "error: n2 has no apply due (applied 0, committed 0; apply events exist under commit async)"),
        ("undo", "error: nothing to undo: no event since the cluster started"),
        ("timeout n1", "error: n1's election timer cannot fire: it leads (a leader has none)"),
        ("expect converged now", "error: unexpected 'now' after expect (see help expect)"),
        ("expect convergence", "error: unknown expectation 'convergence': expect leader|committed|applied|data|invariants|converged"),
        ("expect", "error: expect needs WHAT: leader, committed, applied, data, invariants or converged (see help expect)"),
        ("run until converged now", "error: unexpected 'now' after run (see help run)"),
        ("run until calm", "error: unknown condition 'calm': run until leader|committed I|applied nK I|converged|quiet"),
        ("run converged", "error: a condition of run comes after until: run until converged"),
        ("run quiet", "error: a condition of run comes after until: run until quiet (or plain run)"),
        ("run fast", "error: run takes 'for T' or 'until leader|committed I|applied nK I|converged|quiet', not 'fast'"),
        ("web of", "error: web takes on [PORT] or off (got 'of'): web on 8080 serves the live page on port 8080"),
        ("web on 70000", "error: web takes PORT from 0 to 65535 (got 70000)"),
        ("web on 8080 now", "error: unexpected 'now' after web (see help web)"),
        ("compare sync sync", "error: compare takes two different policies: sync against itself replays the same run (e.g. compare priority longest-term, or compare sync async)"),
        ("export html \"a", "error: export takes the file name as written, without quotes, and a name without spaces (export html run.html)"),
        ("export mermaid 'a.mmd'", "error: export takes the file name as written, without quotes, and a name without spaces (export mermaid run.mmd)"),
    ])
    func badInputSaysWhatIsWrongAndChangesNothing(_ line: String, _ expected: String) {
        let (session, transcript) = Self.session()
        let before = (session.simulation.step, session.trace.count, session.history)
        let outcome = session.execute(line)
        #expect(outcome == .error(String(expected.dropFirst("error: ".count))))
        #expect(transcript.lines == [expected])
        #expect(session.simulation.step == before.0 && session.trace.count == before.1 && session.history == before.2)
    }

    /// Only the interactive REPL serves the live page: elsewhere (a script, a test) `web` changes nothing, says
    /// so in one line, and is kept in the history like any command, so that a session's history replays.
    @Test(arguments: ["web", "web on", "web on 0", "web off"])
    func webOutsideTheREPLIsIgnoredInOneLine(_ line: String) {
        let (session, transcript) = Self.session("cluster 3 leader n1")
        #expect(session.execute(line) == .ok)
        #expect(transcript.lines == ["web: ignored here: only the interactive REPL serves the live page (paxos-playground --web PORT)"])
        #expect(session.history == ["cluster 3 leader n1", line])
        #expect(session.trace.isEmpty)
    }

    /// A gap reported twice before a heartbeat: the first report is filled, the second says why nothing is
    /// re-sent, and a heartbeat round later n2 has both entries.
    @Test func aGapReportedAgainIsNotFilledTwice() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nsubmit y=2\nstep 2\nview compact")
        for line in ["deliver 5", "deliver 7", "deliver 9", "deliver 10"] { session.execute(line) }
        #expect(transcript.lines == [
            "   5 vote        n2 → n1      reject 2 (1.n1): gap, log ends at 0",
            "   6 propose     n1 → n2      1 (1.n1) x=1",
            "   6 propose     n1 → n2      2 (1.n1) y=2",
            "   7 vote        n2 → n1      reject 2 (1.n1): gap, log ends at 0",
            "   8 vote        n2 → n1      reject 2 (1.n1): gap, log ends at 0  (#10 delivered)",
        ])
        transcript.lines = []
        session.execute("explain")
        #expect(transcript.lines.first == "step 8 at tick 0:\n  • vote n2 → n1: n2's log ends at 0, below 2: n1 already re-sent it 1–2 and sends nothing again before its next heartbeat, whose reply says what is still missing\n\n  §2(3) Vote. An acceptor accepts proposal i only if (a) legality: the ballot is not below the one it promised, and the proposal is newer than what it accepted at i; and (b) log compatibility: i directly follows its log, no gap. A reject carries the reason; on a gap it says where the acceptor's log ends, and the leader re-sends the missing entries, once per heartbeat interval.")
        session.execute("view full")
        session.execute("run for 4")
        #expect(session.simulation.replica(ReplicaID(2)).log.lastIndex == 2)
        #expect(session.simulation.replica(ReplicaID(2)).appliedIndex == 2)
    }

    /// n1 comes back holding an old leader's uncommitted entry at 2, and the new leader's proposal 2 to it
    /// was lost while it was down; proposal 3 reaches it. While n2 has not committed 2 and 3 the cluster is
    /// not converged: once they commit, n1 cannot commit 2 until the next heartbeat's reply brings it the
    /// entry. `run until converged` waits for that, and the cluster then stays converged: a new transaction
    /// commits and is applied everywhere with no tick.
    @Test func workUnderWayIsNotConvergence() {
        let (session, _) = Self.session("""
            cluster 3 leader n1
            submit a=1
            run
            partition n1 | n2 n3
            submit b=2
            run
            run until leader
            crash n1
            heal
            run until converged
            submit c=3
            submit d=4
            step 3
            deliver 30
            restart n1
            step 2
            """)
        let (n1, n2) = (ReplicaID(1), ReplicaID(2))
        #expect(session.simulation.replica(n1).log[2]?.ballot == Ballot(round: 1, owner: n1))
        #expect(session.simulation.replica(n1).log[3]?.ballot == Ballot(round: 2, owner: n2))
        #expect(session.simulation.divergence() == .uncommitted(n2, index: 2, last: 3))
        #expect(session.simulation.divergence()?.description == "n2 has not committed 2 to 3 yet: its proposals are under way")
        #expect(session.execute("run until converged") == .ok)
        #expect(session.simulation.divergence() == nil)
        #expect(session.simulation.replica(n1).data == ["a": "1", "c": "3", "d": "4"])
        let tick = session.simulation.tick
        for line in ["run", "expect converged", "submit e=5", "run", "expect converged", "expect data n1 e=5"] {
            #expect(session.execute(line) == .ok, "\(line)")
        }
        #expect(session.simulation.tick == tick, "with no tick")
    }

    /// A change of timing alone deposes no healthy leader. Under heartbeats every 4 ticks a follower waits
    /// up to 3 ticks between two of them; counted under a new timeout of 2 (heartbeats every tick), that
    /// silence fired its timer and the leader's step-down at once. The clocks that watch a leader now start
    /// over when the heartbeat interval or the base timeout changes, under every election and commit policy
    /// and on 3, 5 and 7 replicas.
    @Test(arguments: ["priority", "longest-term", "randomized"])
    func aChangeOfTimingDeposesNoLeader(election: String) {
        for commit in ["sync", "async"] {
            for replicas in [3, 5, 7] {
                let (session, _) = Self.session("""
                    election \(election)
                    commit \(commit)
                    set timeout 5
                    set heartbeat 4
                    cluster \(replicas) leader n1
                    run for 7
                    """)
                let setup = "\(election), \(commit), \(replicas) replicas"
                #expect(session.simulation.tick == 7, "\(setup)")
                #expect(session.simulation.divergence() == nil, "\(setup)")
                for line in ["set heartbeat 1", "set timeout 2", "expect converged", "run for 20", "expect leader n1",
                             "expect converged", "submit x=1", "run until converged", "expect leader n1"] {
                    #expect(session.execute(line) == .ok, "\(setup): \(line)")
                }
                #expect(session.simulation.replica(ReplicaID(1)).promised == Ballot(round: 1, owner: ReplicaID(1)), "\(setup)")
                #expect(session.simulation.replicas.allSatisfy { $0.data == ["x": "1"] }, "\(setup)")
            }
        }
    }

    /// A replica the cluster does not have is an error, as everywhere else, not a condition that never holds.
    @Test func runUntilAndExpectNameOnlyReplicasTheClusterHas() {
        let (session, transcript) = Self.session()
        for line in ["run until applied n7 1", "expect leader n9", "expect applied n9 0", "expect data n9 x=1"] {
            transcript.lines = []
            let name = line.contains("n7") ? "n7" : "n9"
            #expect(session.execute(line) == .error("unknown replica \(name): this cluster has n1..n3"), "\(line)")
            #expect(transcript.lines == ["error: unknown replica \(name): this cluster has n1..n3"])
        }
        #expect(session.simulation.step == 0 && session.trace.isEmpty, "nothing ran")
        let script = Session(write: { _ in })
        #expect(ScriptRunner.run("cluster 3 leader n1\nexpect leader n9\n", name: "unknown.pxs", in: script) == .scriptError)
    }

    /// Commit and applied indexes only grow: a condition already passed is said so at once, and nothing runs.
    @Test func runUntilAConditionAlreadyPassedRunsNothing() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nsubmit y=2\nrun")
        let step = session.simulation.step
        #expect(session.execute("run until committed 1") == .ok)
        #expect(transcript.lines == ["the highest commit index is already 2, past 1, and it only grows: run until committed 1 would never stop; run until committed 3 waits for the next"])
        transcript.lines = []
        #expect(session.execute("run until applied n2 1") == .ok)
        #expect(transcript.lines == ["n2 already applied 2, past 1, and it only grows: run until applied n2 1 would never stop; run until applied n2 3 waits for the next"])
        #expect(session.simulation.step == step, "nothing ran")
    }

    /// `run until leader` under a leader that no election can follow runs nothing, also when a cut stands that
    /// deposes no one (between two followers); a run that ends with no election says who still leads (outside
    /// audit, round 11: after `cut n2 n3` it ran 1,000 ticks, "the condition does not hold yet").
    @Test func runUntilLeaderUnderAConvergedLeaderRunsNothing() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncut n2 n3")
        let step = session.simulation.step
        #expect(session.execute("run until leader") == .ok)
        #expect(transcript.lines == ["n1 already leads 1.n1: run until leader waits for a new election; crash n1 or cut it off first"])
        #expect(session.simulation.step == step, "nothing ran")

        // A leader that has not converged (n3 cannot hear it) but that nothing deposes either: the run's bound.
        let (cut, log) = Self.session("cluster 3 leader n1\ncut n1 n3")
        #expect(cut.execute("run until leader") == .ok)
        #expect(log.lines.last?.hasSuffix("no replica was elected: n1 still leads 1.n1") == true, "\(log.lines.last ?? "")")
    }

    /// A network change that would change nothing is refused with what would: no second copy of a cut, no
    /// event that says a link flows again when it never stopped.
    @Test func cutsAndPartitionsThatChangeNothingAreRefused() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncut n1 n2")
        let step = session.simulation.step
        for (line, error) in [
            ("cut n1 n2", "n1 → n2 is already cut: uncut n1 n2 lifts it"),
            ("uncut n2 n3", "n2 → n3 is not cut, so there is nothing to uncut (cut now: n1 → n2)"),
            ("partition n1 | n1", "n1 appears twice: each replica goes in one group, e.g. partition n1 n2 | n3"),
        ] {
            transcript.lines = []
            #expect(session.execute(line) == .error(error))
            #expect(transcript.lines == ["error: \(error)"])
        }
        #expect(session.simulation.step == step && session.simulation.cuts.count == 1)
        #expect(session.execute("uncut n1 n2") == .ok)
        #expect(session.execute("uncut n1 n2") == .error("n1 → n2 is not cut, so there is nothing to uncut (cut now: none)"))
    }

    /// A no-break or other Unicode space inside a command is refused with where it is; in a comment it is
    /// left alone.
    @Test func spacesThatAreNotPlainSpacesAreRefusedInCommands() {
        let (session, transcript) = Self.session()
        for (line, error) in [
            ("submit x=1\u{A0}y=2", "a space that is not a plain space, \\u{A0}, at column 11: type a plain space"),
            ("cluster\u{2003}3", "a space that is not a plain space, \\u{2003}, at column 8: type a plain space"),
            ("step\u{3000}2", "a space that is not a plain space, \\u{3000}, at column 5: type a plain space"),
        ] {
            transcript.lines = []
            #expect(session.execute(line) == .error(error), "\(line)")
            #expect(transcript.lines == ["error: \(error)"])
        }
        #expect(session.simulation.step == 0 && session.simulation.replica(ReplicaID(1)).data.isEmpty)
        #expect(session.execute("show # a comment may hold\u{A0}one") == .ok)
    }

    @Test func messageIDsNotInFlightListWhatIs() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep")
        session.execute("drop 1")
        #expect(transcript.lines == ["error: message #1 is not in flight: in flight now are #2 #3 (see pending)"])
    }

    @Test func undoStepsBackByReplayAndRedoingGivesTheSameTrace() {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun")
        let full = session.trace
        let steps = session.simulation.step
        session.execute("undo 3")
        #expect(session.simulation.step == steps - 3)
        #expect(session.trace == Array(full.prefix { $0.step <= steps - 3 }))
        session.execute("run")
        #expect(session.trace == full)
        #expect(session.simulation.replicas == Self.session("cluster 3 leader n1\nsubmit x=1\nrun").0.simulation.replicas)
    }

    @Test func undoKeepsSettingsAndPoliciesMadeBeforeTheCut() {
        let (session, _) = Self.session("cluster 3 leader n1\nset batch 4\nelection longest-term\ncommit async\nsubmit x=1\nstep")
        session.execute("undo")
        #expect(session.simulation.config.batchSize == 4)
        #expect(session.simulation.policies.electionName == "longest-term")
        #expect(session.simulation.policies.commitName == "async")
        #expect(session.simulation.step == 1)
    }

    /// A partition into the groups there are already (listed in any order) changes nothing: it says so and
    /// takes no step, as `heal` on a whole network does.
    @Test func theSamePartitionAgainTakesNoStep() {
        let (session, transcript) = Self.session("cluster 3 leader n1\npartition n1 | n2 n3")
        let step = session.simulation.step
        transcript.lines = []
        #expect(session.execute("partition n3 n2 | n1") == .ok)
        #expect(session.execute("partition n2 n3 | n1") == .ok)
        #expect(transcript.lines == ["the network is already split so (n1 | n2 n3): partition changes nothing",
                                     "the network is already split so (n1 | n2 n3): partition changes nothing"])
        #expect(session.simulation.step == step)
        #expect(session.execute("partition n1 n2 | n3") == .ok)
        #expect(session.simulation.step == step + 1)
    }

    /// One group splits it from the replicas not named; a split with nothing on the other side is refused with
    /// an example this cluster can make, and a cluster of one has nothing to split.
    @Test func oneGroupSplitsItFromTheRest() {
        let (session, transcript) = Self.session("cluster 3 leader n1")
        transcript.lines = []
        #expect(session.execute("partition n3") == .ok)
        #expect(session.simulation.partition.map(partitionText) == "n3 | n1 n2")
        #expect(transcript.lines.last == "      ↳ the network splits into n3 | n1 n2: messages between groups are lost")
        let (two, twoLines) = Self.session("cluster 2 leader n1")
        twoLines.lines = []
        #expect(two.execute("partition") != .ok)
        #expect(two.execute("partition n2 n1") != .ok)
        #expect(two.execute("partition n1 |") != .ok)
        #expect(two.execute("partition n1 n1") != .ok)
        let (one, oneLines) = Self.session("cluster 1")
        oneLines.lines = []
        #expect(one.execute("partition n1") != .ok)
        #expect(one.execute("partition n1 | n2") != .ok)
        #expect(one.execute("partition | n1") != .ok)
        #expect(twoLines.lines + oneLines.lines == [
            "error: partition needs groups split by |, e.g. partition n1 | n2",
            "error: partition n2 n1 puts every replica in one group, so nothing is split: name the groups split by |, e.g. partition n1 | n2",
            "error: partition: group 2 of 2 is empty: each group between | needs a replica, e.g. partition n1 | n2",
            "error: n1 appears twice: each replica goes in one group, e.g. partition n1 | n2",
            "error: a cluster of one replica cannot be split: partition needs two groups (cluster 3 starts three replicas)",
            "error: unknown replica n2: this cluster has only n1",
            "error: partition: group 1 of 2 is empty: each group between | needs a replica (a cluster of one replica cannot be split)",
        ])
    }

    /// Settings are not events: `undo` takes back events only, and keeps the settings made among and after
    /// them, in order, as a replay of the session without those events would have them.
    @Test func undoKeepsSettingsMadeAfterTheCut() {
        let (session, transcript) = Self.session("""
            cluster 3 leader n1
            submit x=1
            step
            set batch 2
            step
            set batch 3
            election longest-term
            priority n2 50
            set recovery off
            """)
        transcript.lines = []
        #expect(session.execute("undo 2") == .ok)
        #expect(transcript.lines == ["undid 2 events: back at step 1, tick 0"])
        #expect(session.simulation.step == 1)
        #expect(session.simulation.config.batchSize == 3)
        #expect(session.simulation.policies.electionName == "longest-term")
        #expect(session.simulation.config.priorities[1] == 50)
        #expect(!session.simulation.config.recovery)
        // The same world as a session that never took the two steps.
        let (fresh, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nset batch 2\nset batch 3\nelection longest-term\npriority n2 50\nset recovery off")
        #expect(session.simulation.replicas == fresh.simulation.replicas)
        #expect(session.simulation.config == fresh.simulation.config)
        #expect(session.simulation.inFlight == fresh.simulation.inFlight)
    }

    @Test func historyListsTheCommandsEntered() {
        let (session, transcript) = Self.session("")
        session.execute("cluster 3 leader n1")
        session.execute("  submit x=1  ")
        session.execute("bogus")
        session.execute("history")
        #expect(transcript.lines.last == "   1  cluster 3 leader n1\n   2  submit x=1\n   3  history")
    }

    @Test func explainGivesTheRuleAndSection() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep 2")
        session.execute("explain")
        #expect(transcript.lines.count == 1)
        let text = transcript.text
        #expect(text.hasPrefix("step 3 at tick 0:\n  • vote n2 → n1: n2 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1, index 1 follows its log\n"))
        #expect(text.contains("§2(3) Vote. An acceptor accepts proposal i only if (a) legality"))
    }

    @Test func completionOffersCommandsReplicasPoliciesAndMessageIDs() {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep")
        #expect(session.completions(line: "s", word: "s") == ["set", "submit", "step", "show", "slots"])
        #expect(session.completions(line: "crash ", word: "") == ["n1", "n2", "n3"])
        #expect(session.completions(line: "election l", word: "l") == ["longest-term"])
        #expect(session.completions(line: "commit ", word: "") == ["sync", "async"])
        #expect(session.completions(line: "deliver ", word: "") == ["2", "3"])
        #expect(session.completions(line: "expect ", word: "") == ["leader", "committed", "applied", "data", "invariants", "converged"])
        #expect(session.completions(line: "expect c", word: "c") == ["committed", "converged"])
        #expect(session.completions(line: "run until ", word: "") == ["leader", "committed", "applied", "converged", "quiet"])
    }

    /// Completion offers only what the command takes there (outside audit, round 9: `restart` offered live
    /// replicas, `cut n1` offered n1, `cluster 9 leader` only n1 to n3).
    @Test func completionOffersOnlyWhatTheCommandTakes() {
        let (session, _) = Self.session("cluster 3 leader n1\ncommit async\nsubmit x=1\nrun until committed 1\ndeliver 6\ncrash n3\ncut n1 n2")
        #expect(session.completions(line: "crash ", word: "") == ["n1", "n2"])
        #expect(session.completions(line: "timeout ", word: "") == ["n2"], "n1 leads: it has no election timer")
        #expect(session.completions(line: "apply ", word: "") == ["n2"], "n2's apply of 1 waits")
        #expect(session.completions(line: "restart ", word: "") == ["n3"])
        #expect(session.completions(line: "log ", word: "") == ["n1", "n2", "n3"])
        #expect(session.completions(line: "cut n1 ", word: "") == ["n3"])
        session.execute("cut n1 n3")
        #expect(session.completions(line: "cut ", word: "") == ["n2", "n3"], "every link from n1 is cut")
        session.execute("uncut n1 n3")
        #expect(session.completions(line: "uncut ", word: "") == ["n1"])
        #expect(session.completions(line: "uncut n1 ", word: "") == ["n2"])
        #expect(session.completions(line: "partition n1 ", word: "") == ["n2", "n3", "|"])
        #expect(session.completions(line: "partition n1 | ", word: "") == ["n2", "n3"])
        #expect(session.completions(line: "partition n1 n2|n3 ", word: "") == [])
        #expect(session.completions(line: "cluster 1 leader ", word: "") == ["n1"])
        #expect(session.completions(line: "cluster 5 leader n", word: "n") == ["n1", "n2", "n3", "n4", "n5"])
        #expect(session.completions(line: "cluster 99 leader ", word: "") == [])
        #expect(session.completions(line: "view phases vote,v", word: "vote,v") == [])
        #expect(session.completions(line: "view phases vote c", word: "c") == ["commit", "cleanup"])
        let ids = session.simulation.inFlight.map(\.id)
        let apply = session.simulation.inFlight.filter { if case .apply = $0.item { true } else { false } }.map(\.id)
        #expect(apply.count == 1)
        #expect(session.completions(line: "deliver ", word: "") == ids.map(String.init))
        #expect(session.completions(line: "drop #", word: "#") == ids.filter { !apply.contains($0) }.map { "#\($0)" })
    }

    @Test func expectationsSayWhatTheyFound() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun")
        #expect(session.execute("expect leader n2") == .expectFailed)
        #expect(session.execute("expect committed 1") == .ok)
        #expect(session.execute("expect applied n3 0") == .expectFailed)
        #expect(session.execute("expect data n2 x=2") == .expectFailed)
        #expect(session.execute("expect data n2 y=") == .ok)
        #expect(transcript.lines == [
            "✗ expect leader n2: n1 leads 1.n1",
            "✓ expect committed 1: the highest commit index is 1",
            "✗ expect applied n3 0: n3 applied 1",
            "✗ expect data n2 x=2: x=1",
            "✓ expect data n2 y=: y is absent",
        ])
        #expect(session.failedExpectations == 3)
    }

    @Test func convergedParsesAsAConditionAndAnExpectation() throws {
        #expect(try CommandParser.parse("run until converged") == .run(.converged))
        #expect(try CommandParser.parse("expect converged   # one leader, all caught up") == .expect(.converged))
    }

    @Test func expectConvergedSaysWhoLeadsAndWhatEveryoneApplied() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun")
        #expect(session.execute("expect converged") == .ok)
        session.execute("crash n2")
        transcript.lines = []
        #expect(session.execute("expect converged") == .ok)
        let (single, singleTranscript) = Self.session("cluster 1 leader n1")
        #expect(single.execute("expect converged") == .ok)
        #expect(transcript.lines == ["✓ expect converged: n1 leads 1.n1, n3 follows it, n2 is down, every live replica applied 1"])
        #expect(singleTranscript.lines == ["✓ expect converged: n1 leads 1.n1, every live replica applied 0"])
        #expect(session.failedExpectations == 0)
    }

    @Test func expectConvergedHoldsAfterACommittedTransaction() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun")
        session.execute("expect converged")
        #expect(transcript.lines == ["✓ expect converged: n1 leads 1.n1, n2 n3 follow it, every live replica applied 1"])
    }

    @Test func expectConvergedFailsWithTheFirstProblem() {
        // n1's messages to n3 are lost: n1 and n2 commit x=1, n3 never hears of it.
        let (session, transcript) = Self.session("cluster 3 leader n1\ncut n1 n3\nsubmit x=1\nrun")
        #expect(session.simulation.replica(ReplicaID(1)).commitIndex == 1)
        #expect(session.execute("expect converged") == .expectFailed)
        session.execute("uncut n1 n3")
        #expect(session.execute("expect converged") == .expectFailed)
        session.execute("crash n1")
        #expect(session.execute("expect converged") == .expectFailed)
        #expect(transcript.lines.filter { $0.hasPrefix("✗") } == [
            "✗ expect converged: n3 cannot hear the leader n1: the cut from n1 to n3 stands (uncut n1 n3 lifts it)",
            "✗ expect converged: n3 lacks committed 1",
            "✗ expect converged: no leader",
        ])
        #expect(session.failedExpectations == 3)
    }

    @Test func runUntilConvergedStopsAtOnceWhenConverged() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun")
        let before = (session.simulation.step, session.simulation.tick)
        #expect(session.execute("run until converged") == .ok)
        #expect(transcript.lines == ["run until converged: holds already: n1 leads 1.n1, n2 n3 follow it, every live replica applied 1"])
        #expect(session.simulation.step == before.0 && session.simulation.tick == before.1)
    }

    /// A transaction on its way is work under way: once it reaches the leader, the leader proposes it and
    /// the cluster is no longer converged. So `run until converged` runs until it is applied everywhere,
    /// and `expect converged` says why it does not hold before.
    @Test func aTransactionOnItsWayIsNotConvergence() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1")
        #expect(session.simulation.divergence() == .transactionUnderWay(transaction: 1, to: .replica(ReplicaID(1))))
        #expect(session.execute("expect converged") == .expectFailed)
        #expect(transcript.lines.last == "✗ expect converged: t1 is on its way to n1: the client's transaction is under way")
        #expect(session.execute("run until converged") == .ok)
        #expect(session.simulation.divergence() == nil)
        #expect(session.simulation.replicas.allSatisfy { $0.data == ["x": "1"] })
        #expect(session.simulation.tick == 0, "no time passes: every message is delivered first")
        // One to a follower: it redirects, and the redirect on its way back is work under way too.
        let (redirected, _) = Self.session("cluster 3 leader n1\nrun for 1\ncrash n1\nrun until leader\nsubmit y=2")
        #expect(redirected.execute("run until converged") == .ok)
        #expect(redirected.simulation.divergence() == nil)
        #expect(redirected.simulation.replicas.filter { redirected.simulation.isAlive($0.id) }.allSatisfy { $0.data == ["y": "2"] })
    }

    /// A leader that loses leadership with transactions queued and never proposed hands them back to the
    /// client: to the leader that deposed it, which commits them, or, knowing none, with a redirect that
    /// makes the client give up, in the flow. Before, they vanished without a line.
    @Test func aLeaderThatLosesLeadershipHandsItsQueueBack() {
        let setUp = "cluster 3 leader n1\nset window 1\nsubmit x=1\nsubmit y=2\nstep 2\ncut n1 n2\ncut n1 n3"
        // Its heartbeats lost, n1 steps down before the others elect: it knows no leader.
        let (alone, transcript) = Self.session("cluster 3 leader n1\nset window 1\nsubmit x=1\nsubmit y=2")
        for line in ["step 2", "cut n1 n2", "cut n1 n3"] { #expect(alone.execute(line) == .ok) }
        #expect(alone.simulation.replica(ReplicaID(1)).queuedTransactions == 1)
        #expect(alone.execute("run until converged") == .ok)
        let notes = transcript.lines.filter { $0.contains("t2") }
        #expect(notes.contains("      ↳ n1 queues t2 (queue 1): 1 proposal in flight fills the window of 1"))
        #expect(notes.suffix(2) == [
            "      ↳ n1 no longer leads and knows no leader: t2, queued and never proposed, goes back to the client",
            "      ↳ client gives up on t2: no leader is known; submit it again later",
        ])
        #expect(alone.simulation.replicas.allSatisfy { $0.data["y"] == nil })
        // With a heartbeat every 2 ticks it steps down after 5, and the new leader's heartbeat reaches it
        // first: it follows n2, and t2 goes to n2, which commits it.
        let (deposed, log) = Self.session("set heartbeat 2\n" + setUp)
        #expect(deposed.execute("run until converged") == .ok)
        #expect(log.lines.contains("      ↳ n1 no longer leads: t2, queued and never proposed, goes back to the client, redirected to n2"))
        #expect(log.lines.contains("      ↳ client re-sends t2 to n2, as n1 redirected it"))
        #expect(deposed.simulation.replicas.allSatisfy { $0.data["y"] == "2" })
        #expect(deposed.simulation.replicas.allSatisfy { $0.queuedTransactions == 0 })
    }

    @Test func runUntilConvergedSaysWhyItStopped() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncrash n2\ncrash n3")
        session.execute("run until converged")
        #expect(transcript.lines.last == "run stops after 1000 ticks: not converged: only n1 is up: a majority needs 2")
        #expect(session.simulation.tick == 1000)
    }

    /// With a long election timeout the convergence bound K is past 1,000 ticks: the run waits twice K, so a
    /// cluster that recovers within its bound is not given up on. (It stopped at 1,000 ticks, before any
    /// follower's timer of 1,200 ticks could fire, and said the cluster was not converged.)
    @Test func runUntilConvergedWaitsTwiceTheBoundWhenTimeoutsAreLong() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nset timeout 1200\ncrash n1")
        #expect(session.simulation.config.progressBoundTicks == 8_417)
        #expect(session.runIdleTickLimit == 16_834)
        #expect(session.execute("run until converged") == .ok)
        #expect(session.simulation.divergence() == nil)
        #expect(session.simulation.leader != nil)
        #expect(session.simulation.tick > 1_000 && session.simulation.tick <= 8_417)
        #expect(!transcript.lines.contains { $0.hasPrefix("run stops after") })
        // Where no majority is up it still stops, after twice K.
        let (stuck, stuckLines) = Self.session("cluster 3 leader n1\nset timeout 1200\ncrash n2\ncrash n3")
        stuck.execute("run until converged")
        #expect(stuckLines.lines.last == "run stops after 16834 ticks: not converged: only n1 is up: a majority needs 2")
    }

    /// A grant to an earlier pre-vote for the same ballot, delivered late, is not counted for a later one
    /// (an audit's case): n3 granted n2's pre-vote #1 for 2.n2 while it heard no leader, n1's heartbeats
    /// then reached everyone, and n2 asked again (#2), which every voter refuses. The late grant made n2
    /// stand, raise its promise to 2.n2, reject n1's next proposal and depose a healthy leader.
    /// A voter grants the pre-vote of the very leader it follows (a stale duplicate of n1's proposal made n3
    /// follow n1 after n1 restarted): the note says so, not that it hears no leader (outside audit, round 2).
    @Test func aGrantToTheLeaderItFollowsSaysSo() {
        let (session, transcript) = Self.session("""
            cluster 3 leader n1
            election longest-term
            submit x=1
            step
            duplicate 3
            deliver 3
            crash n1
            restart n1
            tick 5
            deliver 4
            """)
        #expect(session.simulation.replica(ReplicaID(3)).knownLeader == ReplicaID(1))
        session.execute("deliver 7")
        #expect(transcript.lines.suffix(2) == [
            "  13 t5   §3(2)  election    n3 → n1        {\"pre_vote_reply\": {\"ballot\": \"2.n1\", \"granted\": true, \"promised\": \"1.n1\", \"last_index\": 1, \"attempt\": 1}}  → #13  (on #7)",
            "      ↳ n3 would grant 2.n1: it follows n1, the very replica asking, round 2 is above its promise, and its election policy agrees (it promises nothing yet)",
        ])
    }

    /// The other two reasons a voter's leader does not keep it from granting: it follows none, or its
    /// leader has been silent for its whole election timeout.
    @Test func aGrantSaysWhyTheVotersLeaderDoesNotCount() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncrash n1")
        session.execute("run until leader")
        let grants = transcript.lines.filter { $0.contains("would grant") }
        #expect(grants == [
            "      ↳ n3 would grant 2.n2: its leader n1 has been silent for 4 ticks (at least the base election timeout), round 2 is above its promise, and its election policy agrees (it promises nothing yet)",
        ])
        let (cluster, fresh) = Self.session("cluster 3")
        cluster.execute("run until leader")
        #expect(fresh.lines.filter { $0.contains("would grant") }.first?.contains(": it follows no leader, round 1 is above its promise") == true)
    }

    /// Under `set break vote-twice-in-ballot` a leader and a follower that hears it grant anyway: the note
    /// names the break, not a silence that did not happen.
    @Test func aGrantUnderTheVoteTwiceBreakNamesIt() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nelection longest-term\nset break vote-twice-in-ballot\ntimeout n3")
        session.execute("step 2")
        #expect(transcript.lines.filter { $0.contains("would grant") } == [
            "      ↳ n1 would grant 2.n3 though it leads 1.n1: the protocol break vote-twice-in-ballot skips the rules that keep a voter to one candidate a round",
            "      ↳ n2 would grant 2.n3 though it follows n1, not silent for a whole tick yet, within the base election timeout of 3: the protocol break vote-twice-in-ballot skips the rules that keep a voter to one candidate a round",
        ])
    }

    /// Under each protocol break, the note of the step the break changed says what the break did and the rule
    /// it skipped, never the rule's own reasoning, which the step just broke (outside audit, round 11: "ballot
    /// 1.n1 is not below its promise 2.n2", "1 of 3 accepts: majority", "no replier holds anything").
    @Test(arguments: [
        ("set break accept-lower-ballot\ncluster 3 leader n1\nsubmit x=1\nstep\ncrash n1\ntick 4\ndeliver 5\ndeliver 6\ndeliver 8\ndeliver 9\ndeliver 3",
         "      ↳ n3 accepts proposal 1 though ballot 1.n1 is below its promise 2.n2: the protocol break accept-lower-ballot skips the legality check"),
        ("set break commit-without-majority\ncluster 3 leader n1\nsubmit x=1\nstep 2",
         "      ↳ only 1 accept for ballot 1.n1 (n1), and a majority needs 2, yet n1 commits 1: the protocol break commit-without-majority lets the leader commit on its own accept"),
        ("set break vote-twice-in-ballot\nelection randomized\ncluster 3 leader n1\ncrash n1\nrun until leader",
         "      ↳ n3 grants 2.n2 though it already promised 2.n3 in round 2: the protocol break vote-twice-in-ballot skips the rules that keep a voter to one candidate a round"),
        ("set break apply-out-of-order\ncluster 3 leader n1\nsubmit x=1\nsubmit y=2\nrun until committed 2\ndeliver 14",
         "      ↳ n3 applies 2 as its commit arrives, whatever it has applied below 2: the protocol break apply-out-of-order applies each entry so, in any order"),
        ("set break apply-out-of-order\ncluster 3 leader n1\nsubmit x=1\nsubmit y=2\nrun until committed 2\ndeliver 14\nrun",
         "      ↳ n3 marks 1 committed, but it applied 2, above it, already, out of index order (the protocol break apply-out-of-order): it never applies 1"),
        ("set break skip-highest-ballot-choice\ncluster 3 leader n1\npriority n3 10\nsubmit x=1\nstep\ndeliver 2\ndrop 3\ncrash n1\nrun until leader\nstep 3",
         "      ↳ a majority answered: per index n3 keeps the lowest-ballot entry (1: 1.n1), as the protocol break skip-highest-ballot-choice makes it, and re-proposes it"),
        ("set break ignore-recovered-values\ncluster 3 leader n1\npriority n3 10\nsubmit x=1\nstep\ndeliver 2\ndrop 3\ncrash n1\nrun until leader\nstep 3",
         "      ↳ n3 ignores what the log ranges for 1..1 hold (the protocol break ignore-recovered-values) and keeps only its own log: it re-proposes only its own entries"),
        ("set break no-catch-up\ncluster 3 leader n1\nsubmit x=1\nstep\ndrop 3\nrun\ntick\nrun",
         "      ↳ n3's log ends at 0 and it applied 0, but n1 catches no follower up from a reply (the protocol break no-catch-up): it sends n3 nothing, whatever it misses"),
    ])
    func aBrokenStepsNoteNamesTheBreak(_ script: String, _ note: String) {
        let (session, transcript) = Self.session("")
        for line in script.split(separator: "\n") { session.execute(String(line)) }
        #expect(transcript.lines.contains(note), "\(transcript.lines.filter { $0.hasPrefix("      ↳") }.joined(separator: "\n"))")
    }

    /// A replica that only asks for pre-votes raised no ballot: `show` calls it a pre-candidate, and says what
    /// that is (outside audit, round 11: it showed as `candidate`, and "converged" said it stood).
    @Test func aReplicaAskingForPreVotesShowsAsAPreCandidate() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ntimeout n3")
        session.execute("show")
        session.execute("expect converged")
        #expect(transcript.text.split(separator: "\n", omittingEmptySubsequences: false) == [
            "replica  role           ballot  last  commit  applied  log  state  priority",
            "n1       leader         1.n1       0       0        0    0  up            3",
            "n2       follower       1.n1       0       0        0    0  up            2",
            "n3       pre-candidate  1.n1       0       0        0    0  up            1",
            "step 1, tick 0, 2 in flight · election priority, commit sync · batch 1, window 4, heartbeat 1, timeout 3, recovery on",
            "pre-candidate = asking for pre-votes, with no ballot raised yet",
            "✗ expect converged: n3 asks for pre-votes for 2.n3 (it raised no ballot), not following the leader n1",
        ])
    }

    /// A pre-vote that arrives after its candidacy, at a voter that promised that very ballot, is granted
    /// again as the candidacy's copy is, not refused by the policy (outside audit, round 11: "n1 has priority
    /// 3, above n2's 2", then n1 granted 2.n2 one step later).
    @Test func aLatePreVoteForThePromisedBallotIsGrantedAgain() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\ncrash n1\nrestart n1\ntick 4\ndeliver 5\ndeliver 6\ndeliver 8\ndeliver 9\ndeliver 10\ndeliver 1\nduplicate 13")
        session.execute("run")
        #expect(transcript.lines.contains(
            "      ↳ n1 follows 2.n2's leader n2 already, so it promised 2.n2: this pre-vote for it comes late, after the candidacy; n1 would grant it again, and nothing changes"))
        #expect(!transcript.lines.contains { $0.contains("would not grant 2.n2") })
    }

    /// A leader's step-down note lists whom it heard from since its last complete majority, which is what
    /// its count of ticks starts from (n2's vote came after n3 to n5 answered at tick 1; outside audit, round 3:
    /// it read "heard from only n1, n2 in 4 ticks", as if n3 to n5 had been silent).
    @Test func aStepDownSaysWhomItHeardSinceItsLastMajority() {
        let (session, transcript) = Self.session("cluster 5 leader n1\ntick 1\nrun\nsubmit x=1\nstep 1\ndeliver 10\ndeliver 14")
        session.execute("tick 4")
        #expect(transcript.lines.contains(
            "      ↳ n1 leads 1.n1 but no majority has answered it for 4 ticks (in those ticks it heard from n2): it steps down"))
    }

    /// A forced timeout of a candidate makes its election time out and stops its clock there: its next
    /// timeout comes its retry timeout later in global ticks, and the note's count of ticks is true (outside
    /// audit, round 3: the clock ran on a tick, and "for 7 ticks" came 6 ticks after it stood aside).
    @Test func aForcedTimeoutRunsTheClockOnlyUntilTheTimerFires() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ntick 1\nrun\ntimeout n2")
        session.execute("timeout n2")
        #expect(transcript.lines.last?.hasSuffix("no majority granted the pre-vote for 2.n2 in 4 ticks of its own clock, so n2 drops it, having raised no ballot, and asks again in 7 ticks if it hears no leader") == true)
        session.execute("tick 8")
        let timeouts = transcript.lines.indices.filter { transcript.lines[$0].contains("timeout     n2") }
        #expect(timeouts.map { transcript.lines[$0] }.first?.hasPrefix("  14 t8   §3(1)  timeout     n2") == true)
        #expect(timeouts.first.map { transcript.lines[$0 + 1] } == "      ↳ no heartbeat from a leader it could follow for 7 ticks: n2 reports \"Leader heartbeat timeout\" to the monitor")
    }

    /// `explain` after a tick at which nothing happened says so, not "nothing has happened yet" or an older
    /// step's events (outside audit, round 4).
    @Test func explainAfterAQuietTickSaysSo() {
        let (session, transcript) = Self.session("cluster 3\ntick")
        session.execute("explain")
        let (crashed, later) = Self.session("cluster 3 leader n1\ncrash n1\ntick")
        crashed.execute("explain")
        let (fresh, nothing) = Self.session("cluster 3")
        fresh.execute("explain")
        #expect(transcript.lines == ["step 1 at tick 1: a tick at which nothing happened (no timer fell due, nothing was sent)"])
        #expect(later.lines == ["step 2 at tick 1: a tick at which nothing happened (no timer fell due, nothing was sent)"])
        #expect(nothing.lines == ["nothing has happened yet: step, tick or submit first"])
    }

    /// `run` and `run for 0` with nothing in flight say so, as `step` does.
    @Test func runWithNothingInFlightSaysSo() {
        let (session, transcript) = Self.session()
        session.execute("run")
        session.execute("run for 0")
        #expect(transcript.lines == [
            "nothing in flight: run delivered nothing; tick or run for T advances time (heartbeats, timeouts)",
            "nothing in flight: run for 0 delivered nothing; run for T with T ≥ 1 advances time (heartbeats, timeouts)",
        ])
    }

    /// A recovering leader re-proposes an entry its log holds committed already: its own accept is no "late
    /// accept", and no event of the delivery that completed the recovery (outside audits, rounds 3 and 4;
    /// found by a fuzzer at seed 255).
    @Test func aReproposalOfACommittedEntryIsNotALateAccept() {
        var options = SessionOptions()
        options.seed = 255
        var lines: [String] = []
        let session = Session(options: options, write: { lines.append($0) })
        for line in """
            election randomized
            commit sync
            set timeout 3
            cluster 3 leader n1
            submit x=1
            crash n2
            drop 1
            crash n3
            submit y=2
            submit x=3
            run for 8
            restart n2
            tick 1
            submit z=4
            crash n1
            tick 3
            submit y=5
            crash n2
            step 3
            step 4
            submit z=6
            restart n1
            tick 2
            run for 2
            restart n2
            submit y=7
            run
            timeout n2
            deliver 27
            deliver 26
            step 2
            step 4
            drop 34
            step 5
            tick 3
            tick 2
            run for 8
            """.split(separator: "\n") { session.execute(String(line.drop { $0 == " " })) }
        // The flow shows the recovery and the re-proposals, and no event that reads as another delivery.
        let step99 = lines.filter { $0.hasPrefix("  99 t24") }
        #expect(step99.count == 3)
        #expect(step99.allSatisfy { !$0.contains("(#60 delivered)") })
        #expect(!lines.contains { $0.contains("counts the late accept (n2)") })
        // The trace keeps n2's own vote, a local event of its own, with the rule that applied.
        let ownVotes = session.trace.filter { $0.step == 99 && $0.isLeadersOwnMessage && $0.kind == .vote }
        #expect(ownVotes.map(\.note) == [
            "n2 accepts its own proposal 1 under 3.n2: its vote counts toward the majority",
            "n2 accepts its own re-proposal of 2 under 3.n2: 2 is committed in its log already, so there is nothing to count",
        ])
    }

    /// A proposal for an index the acceptor cleaned up already is accepted, and nothing is stored: the note
    /// says so, not that the index is in its log (outside audit, round 2).
    @Test func anAcceptOfACleanedUpIndexSaysNothingIsStored() {
        let (session, transcript) = Self.session("""
            cluster 3 leader n1
            submit x=1
            step
            duplicate 2
            duplicate 3
            deliver 2
            deliver 3
            deliver 6
            deliver 7
            duplicate 8
            deliver 8
            deliver 9
            deliver 11
            deliver 12
            tick
            deliver 13
            deliver 14
            deliver 15
            deliver 16
            """)
        #expect(session.simulation.replica(ReplicaID(2)).log.start == 2)
        session.execute("deliver 4")
        #expect(transcript.lines.suffix(2) == [
            "  19 t1   §2(3)  vote        n2 → n1        {\"vote\": \"accept\", \"proposal_id\": 1, \"ballot\": \"1.n1\"}  → #17  (on #4)",
            "      ↳ n2 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1; it cleaned up 1 already (every replica had acked it), so it stores nothing and only answers",
        ])
        #expect(session.simulation.replica(ReplicaID(2)).log.start == 2)
    }

    /// `undo N` with fewer events than N undoes them all and says so.
    @Test func undoPastTheStartSaysHowManyItUndid() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep")
        session.execute("undo 3")
        #expect(transcript.lines.last == "undid 2 events (all there were since the cluster started, of 3 asked): back at step 0, tick 0")
    }

    @Test func aLateGrantToAnEarlierPreVoteIsNotCounted() {
        let setUp = """
            cluster 3 leader n1
            timeout n3
            timeout n2
            deliver 4
            drop 1
            drop 2
            deliver 3
            deliver 6
            tick
            deliver 7
            deliver 8
            deliver 9
            deliver 10
            tick
            deliver 11
            deliver 12
            deliver 13
            deliver 14
            tick
            deliver 15
            deliver 16
            deliver 17
            deliver 18
            timeout n2
            """
        let (session, transcript) = Self.session(setUp)
        #expect(session.simulation.inFlight.first?.id == 5)
        session.execute("deliver 5")
        #expect(transcript.lines.suffix(2) == [
            "  24 t3   §3(2)  election    n3 → n2        {\"pre_vote_reply\": {\"ballot\": \"2.n2\", \"granted\": true, \"promised\": \"1.n1\", \"last_index\": 0, \"attempt\": 1}}  (#5 delivered)",
            "      ↳ n2 ignores an answer to its pre-vote #1 for 2.n2: it asks again in pre-vote #2, and counts only the answers to that one",
        ])
        session.execute("run")
        session.execute("submit x=1")
        session.execute("run for 20")
        #expect(session.simulation.replica(ReplicaID(1)).leaderBallot == Ballot(round: 1, owner: ReplicaID(1)))
        #expect(session.simulation.replicas.allSatisfy { $0.promised == Ballot(round: 1, owner: ReplicaID(1)) && $0.data["x"] == "1" })
        #expect(!transcript.lines.contains { $0.contains("stands for election") })
    }

    @Test func sameSeedSameCommandsSameBytes() {
        let script = "cluster 5\nelection randomized\nrun until leader\nsubmit a=1 b=2\nrun\ncrash n2\ntick 9\nrun"
        let one = Self.session(script).0.traceJSONLines
        let two = Self.session(script).0.traceJSONLines
        #expect(one == two)
        #expect(!one.isEmpty)
    }

    @Test func runStopsAtTheTickBoundAndSaysSo() {
        let (session, transcript) = Self.session("cluster 3 leader n1\ncrash n1\ncrash n2")
        session.execute("run until committed 5")
        #expect(transcript.lines.last == "run stops after 1000 ticks: the condition does not hold yet")
    }
}
