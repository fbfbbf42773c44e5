import Foundation
import Testing

/// Drives the real binary through a pseudo-terminal (Tests/pty/repl_pty.py, on pexpect): types a
/// command, edits it, recalls a line with the up arrow, completes with Tab, Ctrl-C, Ctrl-D, the history file.
@Suite struct PseudoTerminalTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The executable built beside this test bundle.
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        while !directory.path.isEmpty, directory.path != "/",
              !FileManager.default.fileExists(atPath: directory.appendingPathComponent("paxos-playground").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("paxos-playground")
    }

    /// Runs the Python helper `script` (a path under the repository) on the built binary: its exit status and
    /// everything it printed.
    static func runHelper(_ script: String) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent(script).path, binary.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func lineEditingHistoryAndCompletionWorkInARealTerminal() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the executable first: swift build")
        let (status, text) = try Self.runHelper("Tests/pty/repl_pty.py")
        #expect(status == 0, "repl_pty.py failed:\n\(text)")
        #expect(text.contains("\n30 passed, 0 failed\n"), "\(text)")
    }

    /// The signal flags live once for the whole program: weak globals in shim.h. A `static` variable there
    /// would give every object file that inlines a helper its own copy: a release build inlines the Swift
    /// callers across files, and Ctrl-C then set one copy of the flag while the running command read
    /// another, so it stopped nothing (the debug build these tests run did not show it).
    @Test func theShimHeaderKeepsOneCopyOfItsState() throws {
        let header = try String(contentsOf: Self.root.appendingPathComponent("Sources/CReadline/shim.h"), encoding: .utf8)
        let lines = header.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let stateful = lines.filter { $0.hasPrefix("static ") && !$0.hasPrefix("static inline ") && !$0.hasPrefix("static const int ") }
        #expect(stateful.isEmpty, "static state in shim.h: \(stateful)")
        for name in ["paxos_interrupt_flag", "paxos_rl_caught_sigint", "paxos_rl_caught_sigwinch", "paxos_rl_caught_sigtstp",
                     "paxos_rl_caught_fatal", "paxos_rl_current_state"] {
            #expect(lines.contains { $0.hasPrefix("PAXOS_SHARED ") && $0.contains("\(name) = ") }, "\(name) is not one shared global")
        }
    }
}
