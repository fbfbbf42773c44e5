import Foundation
import Testing
@testable import PaxosPlayground

/// A limit on everything a user can type (issue 17, `Limits`): each is checked when the line is parsed,
/// with one error line that names it, and the session goes on unchanged.
@Suite struct LimitTests {
    static let longKey = String(repeating: "k", count: Limits.keyCharactersMax + 1)
    static let longValue = String(repeating: "v", count: Limits.valueCharactersMax + 1)
    static let manyRecords = (1...Limits.submitRecordsMax + 1).map { "k\($0)=1" }.joined(separator: " ")

    @Test(arguments: [
        ("tick 100000000", "error: tick takes at most 100000 ticks at a time (got 100000000)"),
        ("tick 99999999999999999999", "error: tick takes at most 100000 ticks at a time (got 99999999999999999999)"),
        ("tick -99999999999999999999", "error: tick takes at least 1 tick (got -99999999999999999999)"),
        ("tick 9999999999999999999999999999", "error: tick takes at most 100000 ticks at a time (got 99999999999999999999… (28 digits))"),
        ("step 100001", "error: step takes at most 100000 deliveries at a time (got 100001)"),
        ("run for 100001", "error: run for takes at most 100000 ticks (got 100001)"),
        ("run until committed 1000000001", "error: run until committed takes I from 0 to 1000000000 (got 1000000001)"),
        ("run until applied n2 -1", "error: run until applied takes I from 0 to 1000000000 (got -1)"),
        ("set timeout 9223372036854775807", "error: set timeout takes at most 100000 ticks (got 9223372036854775807)"),
        ("set timeout 9000000000000000000", "error: set timeout takes at most 100000 ticks (got 9000000000000000000)"),
        ("set timeout 1000000000", "error: set timeout takes at most 100000 ticks (got 1000000000)"),
        ("set heartbeat 100001", "error: set heartbeat takes at most 100000 ticks (got 100001)"),
        ("set batch 1001", "error: set batch takes at most 1000 transactions per proposal (got 1001)"),
        ("set window 0", "error: set window takes at least 1 proposal (got 0)"),
        ("set window 5000", "error: set window takes at most 1000 proposals in flight (got 5000)"),
        ("priority n2 9223372036854775807", "error: priority takes P from -1000000 to 1000000 (got 9223372036854775807)"),
        ("priority n2 -1000001", "error: priority takes P from -1000000 to 1000000 (got -1000001)"),
        ("cluster 12", "error: cluster takes at most 9 replicas (got 12)"),
        ("explore 65", "error: explore takes at most 64 steps ahead (got 65)"),
        ("undo 100001", "error: undo takes at most 100000 events at a time (got 100001)"),
        ("deliver 1000000001", "error: deliver takes ID from 1 to 1000000000 (got 1000000001)"),
        ("expect committed 1000000001", "error: expect committed takes I from 0 to 1000000000 (got 1000000001)"),
        ("check transactions 64", "error: check takes at most 63 transactions (got 64)"),
        ("check committed 9", "error: check takes at most 8 transactions committed first (got 9)"),
        ("check crashes 256", "error: check takes at most 255 crashes (got 256)"),
        ("submit \(longKey)=1", "error: submit takes keys of at most 64 characters (got 65)"),
        ("submit x=\(longValue)", "error: submit takes values of at most 256 characters (got 257)"),
        ("submit \(manyRecords)", "error: submit takes at most 64 K=V at a time (got 65)"),
        ("expect data n1 x=\(longValue)", "error: expect data takes values of at most 256 characters (got 257)"),
    ])
    func aNumberOrSizePastItsLimitIsOneErrorLineThatNamesIt(_ line: String, _ expected: String) {
        let (session, transcript) = InterpreterTests.session()
        let sim = session.simulation
        let before = (sim.step, sim.tick, sim.replicas, sim.config, session.trace.count, session.history)
        #expect(session.execute(line) == .error(String(expected.dropFirst("error: ".count))))
        #expect(transcript.lines == [expected])
        let after = session.simulation
        #expect(after.step == before.0 && after.tick == before.1 && after.replicas == before.2 && after.config == before.3)
        #expect(session.trace.count == before.4 && session.history == before.5)
    }

    @Test func theLargestValuesAreAccepted() {
        let (session, transcript) = InterpreterTests.session()
        for line in ["set timeout 100000", "set heartbeat 100000", "set batch 1000", "set window 1000", "priority n3 1000000",
                     "priority n2 -1000000", "submit \(String(repeating: "k", count: 64))=\(String(repeating: "v", count: 256))"] {
            #expect(session.execute(line) == .ok, "\(line): \(transcript.lines)")
        }
    }

    /// Issue 17: a 300,000-character unknown word took 17 s, in the "did you mean" search.
    @Test func aLineOf300000CharactersIsRefusedAtOnce() {
        let (session, transcript) = InterpreterTests.session()
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(session.execute(String(repeating: "x", count: 300_000)) == .error("a line takes at most 4096 characters (got 300000)"))
        }
        #expect(transcript.lines == ["error: a line takes at most 4096 characters (got 300000)"])
        #expect(elapsed < .seconds(2))
    }

    /// Words far longer than every name are near none: no edit distance is computed for them.
    @Test func didYouMeanMeasuresOnlyNamesOfAboutTheWordsLength() {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(Help.closest(to: String(repeating: "x", count: 300_000)) == nil)
            #expect(Help.closest(to: "submit" + String(repeating: "x", count: 4_000)) == nil)
        }
        #expect(elapsed < .seconds(2))
        #expect(Help.closest(to: "sumbit") == "submit")
    }

    @Test(arguments: [
        (["--replicas", "12"], "Error: --replicas takes at most 9 replicas (got 12)\n"),
        (["check", "--max-depth", "20000"], "Error: --max-depth takes at most 10000 steps (got 20000)\n"),
        (["check", "--threads", "0"], "Error: --threads takes at least 1 thread (got 0)\n"),
        (["check", "--max-seconds", "nan"], "Error: --max-seconds takes more than 0 and at most 604800 seconds (got nan)\n"),
        (["check", "--max-states", "2000000000"], "Error: --max-states takes at most 1000000000 states (got 2000000000)\n"),
        (["bench", "--transactions", "1000000000"], "Error: --transactions takes at most 100000000 transactions (got 1000000000)\n"),
        (["bench", "--batch", "1,5000"], "Error: --batch takes at most 1000 transactions per proposal (got 5000)\n"),
        (["bench", "--repeat", "1000"], "Error: --repeat takes at most 100 runs (got 1000)\n"),
        // A negative number is the option's value, not an option: its error says so (it said "Missing value").
        (["--seed", "-1"], "Error: --seed takes a whole number from 0 to 18446744073709551615 (got '-1')\n"),
        (["check", "--seed", "-1"], "Error: --seed takes a whole number from 0 to 18446744073709551615 (got '-1')\n"),
        // A value that is not of the option's kind: what it takes, not ArgumentParser's "is invalid".
        (["check", "--replicas", "x"], "Error: --replicas takes a whole number (got 'x')\n"),
        (["check", "--max-seconds", "abc"], "Error: --max-seconds takes a number of seconds, such as 2.5 (got 'abc')\n"),
        (["check", "--preset", "foo"], "Error: --preset takes tiny, classroom or thorough (got 'foo')\n"),
        // A repeated --break or --without adds up, as their commas do (the last one alone counted), each name once.
        (["check", "--without", "progress", "--without", "progress"], "Error: --without names progress twice: give each once (got 'progress,progress')\n"),
        (["check", "--break", "no-catch-up", "--break", "no-catch-up"], "Error: --break names no-catch-up twice: give each once (got 'no-catch-up,no-catch-up')\n"),
        (["check", "--suspicion", "x"], "Error: --suspicion takes any or leader-down (got 'x')\n"),
        (["bench", "--window", "1,x"], "Error: --window takes whole numbers separated by commas, such as 1,4,16 (got '1,x')\n"),
        (["bench", "--replicas", "three"], "Error: --replicas takes whole numbers separated by commas, such as 1,4,16 (got 'three')\n"),
        (["fuzz", "--slow", "x"], "Error: --slow takes a number of seconds, such as 2.5 (got 'x')\n"),
        (["--web", "abc"], "Error: --web takes a port number from 0 to 65535 (got 'abc')\n"),
        (["--web", "70000"], "Error: --web takes a port number from 0 to 65535 (got 70000)\n"),
        (["--web", "-1"], "Error: --web takes a port number from 0 to 65535 (got -1)\n"),
        (["run", "--width", "wide"], "Error: --width takes a whole number (got 'wide')\n"),
        (["--replicas", "-3"], "Error: --replicas takes at least 1 replica (got -3)\n"),
        (["check", "--max-seconds", "-2"], "Error: --max-seconds takes more than 0 and at most 604800 seconds (got -2)\n"),
        (["fuzz", "--lines", "-5"], "Error: --lines takes at least 1 line (got -5)\n"),
        (["fuzz", "--max-count", "0"], "Error: --max-count takes a whole number ≥ 1 (got 0)\n"),
        (["fuzz", "--hang-seconds", "-1"], "Error: --hang-seconds takes more than 0 seconds (got -1)\n"),
        (["bench", "--batch", "-1"], "Error: --batch takes at least 1 transaction (got -1)\n"),
        // check holds every number to the limit the REPL holds it to (`set batch`, `set window`, the REPL
        // check's budgets), with a line that names the option: what it accepts, its script replays.
        (["check", "--window", "5000"], "Error: --window takes at most 1000 proposals in flight (got 5000)\n"),
        (["check", "--batch", "2000"], "Error: --batch takes at most 1000 transactions per proposal (got 2000)\n"),
        (["check", "--batch", "1000000000"], "Error: --batch takes at most 1000 transactions per proposal (got 1000000000)\n"),
        (["check", "--batch", "0"], "Error: --batch takes at least 1 transaction (got 0)\n"),
        (["check", "--window", "0"], "Error: --window takes at least 1 proposal (got 0)\n"),
        (["check", "--timeouts", "256"], "Error: --timeouts takes at most 255 timeouts (got 256)\n"),
        (["check", "--ticks", "-1"], "Error: --ticks takes at least 0 ticks (got -1)\n"),
        (["check", "--committed", "9"], "Error: --committed takes at most 8 transactions committed first (got 9)\n"),
        (["check", "--transactions", "64"], "Error: --transactions takes at most 63 transactions (got 64)\n"),
        (["check", "--elections", "256"], "Error: --elections takes at most 255 elections (got 256)\n"),
        (["check", "--drops", "256"], "Error: --drops takes at most 255 drops (got 256)\n"),
        (["check", "--crashes", "-1"], "Error: --crashes takes at least 0 crashes (got -1)\n"),
        (["check", "--replicas", "12"], "Error: --replicas takes at most 9 replicas (got 12)\n"),
        (["check", "--elections-per-replica", "16"], "Error: --elections-per-replica takes at most 15 elections per replica (got 16)\n"),
        (["check", "--elections", "1", "--elections-per-replica", "0"],
         "Error: --elections-per-replica takes at least 1 election (got 0); --elections 0 allows none\n"),
        (["check", "--ticks", "2", "--timeouts", "1"],
         "Error: --ticks and --timeouts are two ways time passes: give one (--ticks N global ticks, or --timeouts N election timers)\n"),
        (["check", "--candidates", ""], "Error: --candidates takes distinct replicas from n1 to n3, separated by commas, such as n2,n3 (got '')\n"),
        (["check", "--candidates", "n1,n1"], "Error: --candidates takes distinct replicas from n1 to n3, separated by commas, such as n2,n3 (got 'n1,n1')\n"),
        (["check", "--candidates", "n1,,n2"], "Error: --candidates takes distinct replicas from n1 to n3, separated by commas, such as n2,n3 (got 'n1,,n2')\n"),
        (["check", "--replicas", "2", "--candidates", "n3"], "Error: --candidates takes distinct replicas from n1 to n2, separated by commas, such as n1,n2 (got 'n3')\n"),
        (["check", "--leader", "n5"], "Error: --leader takes a replica from n1 to n3, or none (got 'n5')\n"),
        (["check", "--leader", "x"], "Error: --leader takes a replica from n1 to n3, or none (got 'x')\n"),
        (["check", "--committed", "1", "--leader", "none"], "Error: --committed 1 needs a leader at the start: give --leader n1 (or another), or --committed 0\n"),
        (["check", "--break", ""], "Error: --break takes protocol bugs from accept-lower-ballot, commit-without-majority, vote-twice-in-ballot, apply-out-of-order, skip-highest-ballot-choice, ignore-recovered-values, no-catch-up, no-stand-aside, separated by commas (got '')\n"),
        (["check", "--without", "progress,"], "Error: --without takes progress or reductions from sleep-sets, dead-letters, ignored-messages, drops-as-delays, symmetry, separated by commas (got 'progress,')\n"),
        (["check", "--without", ""], "Error: --without takes progress or reductions from sleep-sets, dead-letters, ignored-messages, drops-as-delays, symmetry, separated by commas (got '')\n"),
        (["check", "--ticks", "2", "--suspicion", "leader-down"], "Error: --suspicion leader-down needs abstract time, --timeouts N: under global ticks (--ticks) a tick advances every timer, the leader's followers' too\n"),
        (["check", "--break", "no-catch-up,no-catch-up"], "Error: --break names no-catch-up twice: give each once (got 'no-catch-up,no-catch-up')\n"),
        (["check", "--without", "symmetry,progress,symmetry"], "Error: --without names symmetry twice: give each once (got 'symmetry,progress,symmetry')\n"),
        // bench refuses the options the mode it runs does not read, and lists with an empty element.
        (["bench", "--interactive", "--json", "--steps", "10", "--only", "tick", "--replicas", "5", "--batch", "4", "--baseline"],
         "Error: --replicas, --batch, --baseline and --json belong to the throughput sweep, not to --interactive (which takes --steps, --only, --repeat and --seed, and prints text only): drop them, or drop --interactive\n"),
        (["bench", "--interactive", "--transactions", "10"],
         "Error: --transactions belongs to the throughput sweep, not to --interactive (which takes --steps, --only, --repeat and --seed, and prints text only): drop it, or drop --interactive\n"),
        (["bench", "--interactive", "--memory-check", "--window", "1", "--commit", "async", "--traced", "--invariants"],
         "Error: --window, --commit, --memory-check, --traced and --invariants belong to the throughput sweep, not to --interactive (which takes --steps, --only, --repeat and --seed, and prints text only): drop them, or drop --interactive\n"),
        (["bench", "--steps", "5", "--only", "zz", "--transactions", "10"],
         "Error: --steps and --only work with --interactive only (timing REPL commands): add --interactive, or drop them for the throughput sweep\n"),
        (["bench", "--only", "tick"],
         "Error: --only works with --interactive only (timing REPL commands): add --interactive, or drop it for the throughput sweep\n"),
        (["bench", "--interactive", "--only", "nosuchcommand", "--steps", "10"],
         "Error: --only takes part of a timed command's name (got 'nosuchcommand', which none has): the commands are step, step 10, deliver, drop, duplicate, tick, submit, timeout, restart, crash, partition, cut, heal, run for 1, undo, undo 100, undo 1000, status (show), pending, log, data, slots, lanes, lanes 1000, history, explain, expect invariants, policies, set break, view compact, help, compare election, compare commit, export jsonl, export mermaid, export html\n"),
        (["bench", "--replicas", "3,,5"], "Error: --replicas takes whole numbers separated by commas, such as 1,4,16 (got '3,,5')\n"),
        (["bench", "--batch", ",3"], "Error: --batch takes whole numbers separated by commas, such as 1,4,16 (got ',3')\n"),
        (["bench", "--window", "4,"], "Error: --window takes whole numbers separated by commas, such as 1,4,16 (got '4,')\n"),
        // --web-bind sets where --web serves: without --web it is refused, not ignored.
        (["--web-bind", "0.0.0.0"], "Error: --web-bind needs --web: give both, such as --web 8080 --web-bind 0.0.0.0, to serve the live page on that address\n"),
        (["repl", "--web-bind", "127.0.0.1"], "Error: --web-bind needs --web: give both, such as --web 8080 --web-bind 127.0.0.1, to serve the live page on that address\n"),
        // The live page is the REPL's: run says so (it suggested --seed).
        (["run", "--web", "8080", "Examples/01-happy-path.pxs"], "Error: --web is the REPL's, not run's: paxos-playground --web 8080 opens a session with the live page\n"),
        (["run", "--web-bind", "0.0.0.0", "Examples/01-happy-path.pxs"], "Error: --web-bind is the REPL's, not run's: paxos-playground --web 8080 opens a session with the live page\n"),
        // One preset, as in the REPL.
        (["check", "--preset", "tiny", "--preset", "classroom"], "Error: --preset takes one preset: 'tiny' or 'classroom', not several\n"),
        (["check", "--preset", "tiny", "--preset", "tiny"], "Error: --preset takes one preset ('tiny' is given 2 times)\n"),
    ])
    func commandLineOptionsPastTheirLimitExitTwo(_ arguments: [String], _ expected: String) throws {
        let result = try CLITests.playground(arguments)
        #expect(result.status == 2)
        #expect(result.stderr == expected, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing runs: \(result.stdout)")
    }

    /// `--suspicion` is not a budget: alone it keeps the standard preset, as the REPL's `check suspicion …`
    /// does (it used to select the base preset, whose global ticks then refused it).
    @Test func suspicionAloneKeepsTheStandardPreset() throws {
        let result = try CLITests.playground(["check", "--suspicion", "leader-down", "--max-states", "10", "--quiet"])
        #expect(result.status == 3)
        #expect(result.stdout.split(separator: "\n").first == "checking: 3 replicas, n1 leads ballot 1, election priority, commit sync, recovery on, 1 transaction committed first, 1 transaction, 1 election, 3 timeouts (only once the leader is down), 1 drop, 0 duplicates, 1 crash, 0 restarts")
    }
}
