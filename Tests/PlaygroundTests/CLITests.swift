import Foundation
import Testing

/// The real executable: `run` prints the same transcript as the library, exit codes follow REPL.md, and
/// bad options or scripts say what is wrong.
@Suite struct CLITests {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func playground(_ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                           executable: String = "paxos-playground") throws -> Result {
        let process = Process()
        process.executableURL = PseudoTerminalTests.binary.deletingLastPathComponent().appendingPathComponent(executable)
        process.arguments = arguments
        process.currentDirectoryURL = PseudoTerminalTests.root
        // COLUMNS from the shell running the tests would wrap the flows: only a test's own counts.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "COLUMNS" }.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
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

    @Test func theUnsafeExampleExitsOne() throws {
        let result = try Self.playground(["run", "--quiet", "--no-color", "Examples/09-unsafe-recovery-off.pxs"])
        #expect(result.status == 1)
        #expect(result.stdout.hasSuffix("✗ expect invariants: violated 2 (durability at 1), 1 (agreement at 1)\n"))
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

    @Test func noColorIsHonoured() throws {
        let result = try Self.playground(["run", "-"], input: "cluster 3 leader n1\nsubmit x=1\nstep\n", environment: ["NO_COLOR": "1"])
        #expect(!result.stdout.contains("\u{1B}["))
    }
}
