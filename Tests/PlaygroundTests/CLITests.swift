import Foundation
import Testing
@testable import PaxosPlayground

/// The real executable: `run` prints the same transcript as the library, exit codes follow REPL.md, and
/// bad options or scripts say what is wrong.
@Suite struct CLITests {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func playground(_ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                           executable: String = "paxos-playground", directory: URL? = nil) throws -> Result {
        try playground(arguments, data: input.map { Data($0.utf8) }, environment: environment, executable: executable,
                       directory: directory)
    }

    /// A new empty directory with `Examples` linked in, to run commands that write files (counterexample.pxs).
    static func scratchDirectoryWithExamples() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paxos-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("Examples"),
                                                   withDestinationURL: PseudoTerminalTests.root.appendingPathComponent("Examples"))
        return directory
    }

    static func playground(_ arguments: [String], data input: Data?, environment: [String: String] = [:],
                           executable: String = "paxos-playground", directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = PseudoTerminalTests.binary.deletingLastPathComponent().appendingPathComponent(executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? PseudoTerminalTests.root
        // COLUMNS from the shell running the tests would wrap the flows: only a test's own counts.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "COLUMNS" }.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try inPipe.fileHandleForWriting.close()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    @Test func runPrintsTheGoldenTranscript() throws {
        let result = try Self.playground(["run", "--no-color", "Examples/01-happy-path.pxs"])
        let golden = try String(contentsOf: GoldenTranscriptTests.golden.appendingPathComponent("01-happy-path.txt"), encoding: .utf8)
        #expect(result.status == 0)
        #expect(result.stdout + "exit 0\n" == golden)
    }

    /// Standard output that cannot be written (a full disk) is said on standard error, exit 2 (outside audit,
    /// round 9: the output was lost without a word, exit 0).
    @Test(arguments: [["run", "Examples/01-happy-path.pxs"], ["--help"], ["--version"], ["help", "check"]])
    func outputThatCannotBeWrittenIsSaid(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = PseudoTerminalTests.binary
        process.arguments = arguments
        process.currentDirectoryURL = PseudoTerminalTests.root
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr == "paxos-playground: standard output: No space left on device: what was printed is lost\n")
    }

    @Test func theUnsafeExampleExitsOne() throws {
        let result = try Self.playground(["run", "--quiet", "--no-color", "Examples/09-unsafe-recovery-off.pxs"])
        #expect(result.status == 1)
        #expect(result.stdout.hasSuffix("✗ expect invariants: violated 2 (durability at 1), 1 (agreement at 1)\n"))
    }

    /// D6: a script with no command (empty, or a byte-order mark, blank lines and comments only) proves
    /// nothing: one line says so, exit 2, alone, among several files, and on standard input.
    @Test func aScriptWithNoCommandIsAScriptError() throws {
        let directory = try Self.scratchDirectoryWithExamples()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data().write(to: directory.appendingPathComponent("empty.pxs"))
        try Data([0xEF, 0xBB, 0xBF] + Array("\n# only a comment\n  \t\n# another\r\n".utf8)).write(to: directory.appendingPathComponent("comments.pxs"))
        let line = "nothing to run: the script has no commands, only blank lines or comments; write one a line, such as cluster 3 leader n1"
        for name in ["empty.pxs", "comments.pxs"] {
            let alone = try Self.playground(["run", name], directory: directory)
            #expect(alone.status == 2)
            #expect(alone.stdout == "\(name): error: \(line)\n")
        }
        let several = try Self.playground(["run", "--quiet", "empty.pxs", "Examples/01-happy-path.pxs", "comments.pxs"], directory: directory)
        #expect(several.status == 2)
        let lines = several.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(3)) == ["== empty.pxs", "empty.pxs: error: \(line)", "== empty.pxs: exit 2 (not run)"])
        #expect(lines.contains("== Examples/01-happy-path.pxs: exit 0 (every expect held)"))
        #expect(Array(lines.suffix(3)) == ["== comments.pxs", "comments.pxs: error: \(line)", "== comments.pxs: exit 2 (not run)"])
        let standardInput = try Self.playground(["run", "-"], input: "# nothing\n\n")
        #expect(standardInput.status == 2)
        #expect(standardInput.stdout == "<stdin>: error: \(line)\n")
        var said: [String] = []
        #expect(ScriptRunner.run("\u{FEFF}# just this\n", name: "x.pxs", in: Session(write: { said.append($0) })) == .scriptError)
        #expect(said == ["x.pxs: error: \(line)"])
    }

    @Test func aScriptErrorNamesFileAndLineAndExitsTwo() throws {
        let result = try Self.playground(["run", "--no-color", "-"], input: "cluster 3 leader n1\nsubmit x=1\nfrobnicate\nshow\n")
        #expect(result.status == 2)
        #expect(result.stdout.hasSuffix("<stdin>:3: error: unknown command 'frobnicate': type help for the list of commands\n"))
        #expect(!result.stdout.contains("replica  role"), "the script stops at its first error")
    }

    @Test func anUnknownPolicyOptionExitsTwoWithTheRegisteredNames() throws {
        let result = try Self.playground(["run", "--election", "fastest", "Examples/01-happy-path.pxs"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown election policy 'fastest': registered are priority, longest-term, randomized"))
    }

    @Test func pipedInputRunsTheREPLWithoutPromptOrColour() throws {
        let result = try Self.playground([], input: "cluster 3 leader n1\nexpect leader n1\nquit\n")
        #expect(result.status == 0)
        #expect(result.stdout == "cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1\n✓ expect leader n1: n1 leads 1.n1\n")
    }

    @Test func traceJSONLinesIsWritten() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(getpid()).jsonl")
        let result = try Self.playground(["run", "--quiet", "--trace-jsonl", file.path, "-"],
                                         input: "cluster 3 leader n1\nsubmit x=1\nstep 3\n")
        #expect(result.status == 0)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        // The transaction, the proposal to n2 and to n3, the leader's own proposal and vote, two votes.
        #expect(lines.count == 7)
        #expect(lines.first == #"{"step": 1, "tick": 0, "phase": "transaction", "kind": "transaction", "from": "client", "to": "n1", "payload": {"type": "transaction", "redo_log": ["x=1"]}, "note": "client sends t1 to n1: n1 leads with the highest ballot (1.n1)", "id": 1}"#)
        #expect(lines.dropLast().last == #"{"step": 3, "tick": 0, "phase": "vote", "kind": "vote", "from": "n2", "to": "n1", "payload": {"vote": "accept", "proposal_id": 1, "ballot": "1.n1"}, "note": "n2 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1, index 1 follows its log", "id": 4, "cause": 2}"#)
        try? FileManager.default.removeItem(at: file)
    }

    @Test func helpIsAvailableForEachSubcommand() throws {
        for arguments in [["--help"], ["run", "--help"], ["repl", "--help"]] {
            let result = try Self.playground(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.stdout.contains("USAGE:"), "\(arguments)")
        }
    }

    // MARK: - Issue 17: input, files, several scripts

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Examples/01 saved with CRLF line ends prints its golden transcript and exits 0 (before: one line, a
    /// comment, exit 0 and nothing run).
    @Test func aScriptWithCRLFLineEndsRunsLineByLine() throws {
        let directory = try Self.temporaryDirectory()
        let text = try String(contentsOf: PseudoTerminalTests.root.appendingPathComponent("Examples/01-happy-path.pxs"), encoding: .utf8)
        let file = directory.appendingPathComponent("01-happy-path.pxs")
        try text.replacingOccurrences(of: "\n", with: "\r\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try Self.playground(["run", "--no-color", file.path])
        let golden = try String(contentsOf: GoldenTranscriptTests.golden.appendingPathComponent("01-happy-path.txt"), encoding: .utf8)
        #expect(result.stdout + "exit \(result.status)\n" == golden)
    }

    /// `run -` drops a byte-order mark (before: "unknown command '\u{FEFF}cluster'").
    @Test func runStandardInputAcceptsAByteOrderMark() throws {
        let result = try Self.playground(["run", "--no-color", "--quiet", "-"], input: "\u{FEFF}cluster 3 leader n1\r\nexpect leader n1\r\n")
        #expect(result.status == 0)
        #expect(result.stdout == "cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1\n✓ expect leader n1: n1 leads 1.n1\n")
    }

    /// Each file runs whatever happened to the ones before, with its own result line and trace file; the
    /// exit code is the worst (before: the missing file stopped the run, and one trace file kept the last).
    @Test func severalScriptsRunIndependentlyEachWithItsResultAndTrace() throws {
        let directory = try Self.temporaryDirectory()
        let bad = directory.appendingPathComponent("bad.pxs")
        try "cluster 3 leader n1\nsubmit x=1\nfrobnicate\n".write(to: bad, atomically: true, encoding: .utf8)
        let trace = directory.appendingPathComponent("t.jsonl")
        let result = try Self.playground(["run", "--no-color", "--quiet", "--trace-jsonl", trace.path,
                                          "missing.pxs", bad.path, "Examples/01-happy-path.pxs"])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(8)) == [
            "== missing.pxs",
            "missing.pxs: error: no such file; check the name and the directory you run from",
            "== missing.pxs: exit 2 (not run)",
            "== \(bad.path)",
            "cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1",
            "\(bad.path):3: error: unknown command 'frobnicate': type help for the list of commands",
            "== \(bad.path): exit 2 (a script error)",
            "== Examples/01-happy-path.pxs",
        ])
        #expect(lines.last == "== Examples/01-happy-path.pxs: exit 0 (every expect held)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["bad.pxs", "t.01-happy-path.jsonl", "t.bad.jsonl"])
        #expect(try String(contentsOf: directory.appendingPathComponent("t.bad.jsonl"), encoding: .utf8).split(separator: "\n").count == 1)
        #expect(try String(contentsOf: directory.appendingPathComponent("t.01-happy-path.jsonl"), encoding: .utf8).split(separator: "\n").count == 17)
    }

    /// The trace's path (and `check --script`'s) is checked before anything runs, and the error is the
    /// project's (before: the whole script ran, then an NSError dictionary).
    @Test func aTraceThatCannotBeWrittenIsRefusedBeforeTheRun() throws {
        for arguments in [["run", "Examples/01-happy-path.pxs"], ["repl"]] {
            let result = try Self.playground(arguments + ["--trace-jsonl", "/nonexistent/t.jsonl"], input: "cluster 3\n")
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout == "", "\(arguments): nothing ran")
            #expect(result.stderr == "Error: --trace-jsonl: cannot write /nonexistent/t.jsonl: there is no directory /nonexistent; create it first or choose another path\n")
        }
        let check = try Self.playground(["check", "--script", "/nonexistent/c.pxs"])
        #expect(check.status == 2 && check.stdout == "", "the search does not start")
        #expect(check.stderr == "Error: --script: cannot write /nonexistent/c.pxs: there is no directory /nonexistent; create it first or choose another path\n")
    }

    /// `--batch` and `--window` set what `set batch` and `set window` set, and the bounds say so; two
    /// transactions in one window of 1 are proposed one after the other.
    @Test func checkTakesBatchAndWindow() throws {
        let result = try Self.playground(["check", "--transactions", "2", "--elections", "0", "--ticks", "0", "--replicas", "2",
                                          "--window", "1", "--batch", "2", "--quiet", "--threads", "1"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "checking: 2 replicas, n1 leads ballot 1, election priority, commit sync, recovery on, 2 transactions, 0 elections, 0 ticks, 0 drops, 0 duplicates, 0 crashes, 0 restarts, batch 2, window 1")
        #expect(lines.contains("verified: invariants 1-5 hold in every state within these bounds, and from every one the cluster recovers once the faults stop"))
        let leaderless = try Self.playground(["check", "--committed", "1", "--leader", "none"])
        #expect(leaderless.status == 2)
        #expect(leaderless.stderr == "Error: --committed 1 needs a leader at the start: give --leader n1 (or another), or --committed 0\n")
        let bad = try Self.playground(["check", "--window", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "Error: --window takes at least 1 proposal (got 0)\n")
    }

    /// With commands piped in, the quiz reads no answers: the lines after `quiz on` stay commands (before,
    /// `quiz off` and `history` were graded as wrong answers and never ran).
    @Test func aPipedQuizReadsNoAnswers() throws {
        let result = try Self.playground(["--quiet"], input: "cluster 3 leader n1\nsubmit x=1\nstep\nquiz on\nstep\nquiz off\nhistory\n")
        #expect(result.status == 0)
        #expect(result.stdout == """
            cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1
            quiz on: nobody answers here (commands do not come from a terminal), so each question is shown with its answer
            ? quiz · #2 propose n1 → n2 (proposal 1, ballot 1.n1): will n2 accept or reject it?
              → accept · n2 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1, index 1 follows its log
            quiz off · 1 question shown with its answer, none answered (answers are read from a terminal)
               1  cluster 3 leader n1
               2  submit x=1
               3  step
               4  quiz on
               5  step
               6  quiz off
               7  history

            """)
    }

    /// A piped REPL line that is not UTF-8, or holds an escape sequence, is one error line, escaped.
    @Test func pipedLinesAreReadByTheOneReader() throws {
        var input = Data("cluster 3 leader n1\r\nsubmit x=caf".utf8)
        input.append(0xE9)
        input.append(contentsOf: Array("\nshow\u{1B}[2J\ndeliver #1\nexpect committed 0\n".utf8))
        let raw = try Self.playground(["--quiet"], data: input)
        #expect(raw.stdout == """
            cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1
            error: not UTF-8 text: byte 0xE9 at column 13 (é in Latin-1); set the terminal to UTF-8
            error: control character \\u{1B} at column 5: commands are plain text; retype the line without it
            error: message #1 is not in flight: nothing is in flight
            ✓ expect committed 0: the highest commit index is 0

            """)
    }

    /// `paxos-playground fuzz` (Scripts/fuzz.sh) runs and prints its figures.
    @Test func theFuzzCommandRuns() throws {
        let result = try Self.playground(["fuzz", "--lines", "40", "--seed", "3"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("fuzz: 40 lines from seed 3, counts up to 50, a fresh session every 200 lines\nlines      40 ("))
        #expect(result.stdout.hasSuffix("crashes    0, hangs 0\n"))
    }

    @Test func noColorIsHonoured() throws {
        let result = try Self.playground(["run", "-"], input: "cluster 3 leader n1\nsubmit x=1\nstep\n", environment: ["NO_COLOR": "1"])
        #expect(!result.stdout.contains("\u{1B}["))
    }
}

/// `--web PORT` and `--web-bind`: the live page starts with the REPL (its URLs first), and one that cannot
/// start ends the start with exit 2 and one line. The page itself is tested in a browser (`BrowserTests`).
@Suite struct WebOptionTests {
    @Test func theREPLPrintsTheLivePageURLsThenRunsAsBefore() throws {
        let result = try CLITests.playground(["--web", "0"], input: "cluster 3 leader n1\nexpect leader n1\nquit\n")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 6, "\(lines)")
        guard lines.count == 6, let port = lines[0].split(separator: " ").last.map(String.init) else { return }
        #expect(lines[0] == "web: serving the live page on 127.0.0.1 port \(port)" && Int(port).map { $0 > 0 } == true)
        #expect(lines[1] == "  watch (read-only, for the class): http://127.0.0.1:\(port)/watch")
        let control = "  control (drives this session; keep it to yourself): http://127.0.0.1:\(port)/?token="
        let token = lines[2].dropFirst(control.count)
        #expect(lines[2].hasPrefix(control) && token.count == 32 && token.allSatisfy(\.isHexDigit) && token == token.lowercased(), "\(lines[2])")
        #expect(Array(lines[3...]) == ["cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1",
                                       "✓ expect leader n1: n1 leads 1.n1", ""])
        #expect(result.stderr.isEmpty)
    }

    @Test func sharingOnTheNetworkWarns() throws {
        let result = try CLITests.playground(["--web", "0", "--web-bind", "0.0.0.0"], input: "quit\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("\n  the class: the watch URL with this machine's address on the network in place of 127.0.0.1 (hostname -I shows it)\n"))
        #expect(result.stdout.hasSuffix("\n  warning: 0.0.0.0 is not loopback: every machine that reaches this one can watch; only the control URL's token can act\n"))
    }

    @Test func anAddressThatIsNotOneExitsTwoInOneLine() throws {
        let result = try CLITests.playground(["--web", "0", "--web-bind", "nonsense"], input: "")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Error: --web: 'nonsense' is not an IP address: --web-bind takes one, such as 127.0.0.1, 0.0.0.0 or ::1\n")
    }

    /// A link-local IPv6 address without its interface cannot be listened on (EINVAL): one line saying what
    /// --web-bind takes, not the bare error.
    @Test func anAddressTheSystemRefusesIsExplained() throws {
        let result = try CLITests.playground(["--web", "0", "--web-bind", "fe80::1"], input: "")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Error: --web: fe80::1 cannot be listened on (Invalid argument): --web-bind takes one of this machine's addresses, such as 127.0.0.1 or ::1, or 0.0.0.0\n")
    }

    @Test func aPortInUseExitsTwoInOneLine() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0
                && getsockname(listener, $0, &length) == 0 }
        }
        #expect(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try CLITests.playground(["--web", String(port)], input: "")
        #expect(result.status == 2)
        #expect(result.stderr == "Error: --web: port \(port) on 127.0.0.1 is in use: pick another port, or 0 for any free port\n")
    }
}
