import Foundation
import Testing
@testable import PaxosPlayground

/// Files read and written: every problem with a script file is named (issue 17, "Why" 8), and the one
/// writer of files (``OutputFile``) is atomic, follows links, keeps permissions and never replaces a file
/// the user did not name ("Why" 10).
@Suite struct FileTests {
    /// A fresh temporary directory.
    static func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("file-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    static let runningAsRoot = geteuid() == 0

    // MARK: - Reading scripts (Why 8)

    /// Each problem gets its own line, `FILE: error: what is wrong; what to do`, and nothing of the file runs
    /// (before, every one of them was "cannot read this file").
    @Test func eachScriptFileProblemIsNamed() throws {
        let dir = try Self.directory()
        try Self.write(Array("cluster 3\nsubmit x=caf".utf8) + [0xE9, 0x0A], "\(dir)/latin1.pxs")
        try Self.write([0xFF, 0xFE] + Array("cluster 3\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "\(dir)/utf16.pxs")
        try Self.write([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x0A, 0x00], "\(dir)/a.out")
        try FileManager.default.createDirectory(atPath: "\(dir)/scripts", withIntermediateDirectories: false)
        let cases = [
            ("\(dir)/missing.pxs", "no such file; check the name and the directory you run from"),
            ("\(dir)/scripts", "a directory, not a script; name a .pxs file in it"),
            ("\(dir)/a.out", "binary, not text (a NUL byte at line 1); name a .pxs script"),
            ("\(dir)/latin1.pxs", "not UTF-8 text: byte 0xE9 at line 2 (é in Latin-1); save it as UTF-8 (iconv -f LATIN1 -t UTF-8)"),
            ("\(dir)/utf16.pxs", "UTF-16 text (little-endian), not UTF-8; save it as UTF-8 (iconv -f UTF-16 -t UTF-8)"),
            ("\(dir)/latin1.pxs/x.pxs", "no such file: a part of the path before the name is not a directory"),
        ]
        for (path, problem) in cases {
            var lines: [String] = []
            let session = Session(write: { lines.append($0) })
            let (exit, read) = ScriptRunner.run(file: path, in: session)
            #expect(lines == ["\(path): error: \(problem)"])
            #expect(exit == .scriptError && !read && session.history.isEmpty, "\(path)")
        }
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        let (exit, read) = ScriptRunner.run(file: "", in: session)
        #expect(lines == ["error: an empty file name: name a .pxs script, or - for standard input"])
        #expect(exit == .scriptError && !read)
    }

    /// What a refused read or write says, whoever runs the tests: the two tests that make the system refuse
    /// (below) cannot run as root, which CI is, so the wording of a refusal is checked here from its code.
    @Test func aRefusalByTheSystemIsSaidInTheProjectsWords() {
        #expect(InputText.reason(EACCES, reading: "s.pxs") == "no permission to read it; make it readable (chmod u+r s.pxs) or run as its owner")
        #expect(InputText.reason(EPERM, reading: "s.pxs") == InputText.reason(EACCES, reading: "s.pxs"))
        #expect(OutputFile.reason(EACCES, path: "run.html") == "no permission to write it; choose a directory you can write to")
    }

    @Test(.enabled(if: !runningAsRoot, "root reads every file")) func anUnreadableScriptSaysSo() throws {
        let path = try Self.directory() + "/secret.pxs"
        try Self.write(Array("show\n".utf8), path)
        chmod(path, 0o200)
        #expect(throws: InputText.Problem("no permission to read it; make it readable (chmod u+r \(path)) or run as its owner")) {
            try InputText.contents(ofFile: path)
        }
    }

    // MARK: - Writing (Why 8, Why 10)

    /// Exporting to a directory says so in the project's words (before: "(NSCocoaErrorDomain error 512.)").
    @Test func exportToADirectoryOrThroughAFileSaysWhatIsWrong() throws {
        let dir = try Self.directory()
        try Self.write(Array("notes\n".utf8), "\(dir)/notes.txt")
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1\nsubmit x=1")
        session.execute("export html \(dir)")
        session.execute("export jsonl \(dir)/notes.txt/run.jsonl")
        session.execute("export mermaid \(dir)/gone/run.mmd")
        #expect(transcript.lines == [
            "error: cannot write \(dir): it is a directory; name a file in it",
            "error: cannot write \(dir)/notes.txt/run.jsonl: \(dir)/notes.txt is a file, not a directory; choose another path",
            "error: cannot write \(dir)/gone/run.mmd: there is no directory \(dir)/gone; create it first or choose another path",
        ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["notes.txt"])
    }

    /// A write replaces the file whole through a temporary file, keeps the file's permissions, and leaves no
    /// temporary file behind.
    @Test func aWriteIsAtomicAndKeepsPermissions() throws {
        let dir = try Self.directory()
        let path = "\(dir)/run.jsonl"
        try Self.write(Array("an older and longer trace than the new one\n".utf8), path)
        chmod(path, 0o640)
        try OutputFile.write("new\n", to: path)
        #expect(try Self.read(path) == "new\n")
        #expect(try Self.mode(path) == 0o640)
        try OutputFile.write("private\n", to: "\(dir)/history", mode: 0o600)
        #expect(try Self.mode("\(dir)/history") == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["history", "run.jsonl"])
    }

    /// An export to a symbolic link writes the file it points to; the link stays a link (before, the link
    /// was replaced by a regular file). A link to nothing is followed to where its file would be.
    @Test func aSymbolicLinkIsFollowed() throws {
        let dir = try Self.directory()
        try FileManager.default.createDirectory(atPath: "\(dir)/out", withIntermediateDirectories: false)
        try Self.write(Array("old\n".utf8), "\(dir)/out/trace.jsonl")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/link.jsonl", withDestinationPath: "out/trace.jsonl")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/dangling.mmd", withDestinationPath: "out/new.mmd")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/nowhere.mmd", withDestinationPath: "gone/new.mmd")
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1\nsubmit x=1")
        session.execute("export jsonl \(dir)/link.jsonl")
        session.execute("export mermaid \(dir)/dangling.mmd")
        session.execute("export mermaid \(dir)/nowhere.mmd")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/link.jsonl") == "out/trace.jsonl")
        #expect(try Self.read("\(dir)/out/trace.jsonl") == session.traceJSONLines)
        #expect(try Self.read("\(dir)/out/new.mmd").hasPrefix("sequenceDiagram\n"))
        #expect(transcript.lines.last == "error: cannot write \(dir)/nowhere.mmd: it links to \(dir)/gone/new.mmd, and there is no directory \(dir)/gone; create it first or choose another path")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/out").sorted() == ["new.mmd", "trace.jsonl"])
    }

    /// A device is written in place, never replaced.
    @Test func aDeviceIsWrittenInPlace() throws {
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1\nsubmit x=1")
        session.execute("export jsonl /dev/null")
        #expect(transcript.lines == ["wrote the trace (1 event) as JSON Lines to /dev/null"])
        #expect(try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    /// Refused for root too, who may write any file: the mode bits say the user keeps it.
    @Test func aReadOnlyFileIsRefused() throws {
        let path = try Self.directory() + "/run.html"
        try Self.write(Array("mine\n".utf8), path)
        chmod(path, 0o444)
        #expect(throws: OutputFile.Problem(path, "it is read-only; make it writable (chmod u+w \(path)) or choose another path")) {
            try OutputFile.write("new", to: path)
        }
        #expect(try Self.read(path) == "mine\n")
    }

    /// A named pipe that no process reads would block the open, and the session, for good: one error line.
    @Test func aPipeNobodyReadsIsRefusedAtOnce() throws {
        let path = try Self.directory() + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: OutputFile.Problem(path, "it is a named pipe that no process reads; start its reader first (such as cat \(path)) or choose a file")) {
            try OutputFile.write("new", to: path)
        }
    }

    /// `~/NAME` is NAME in the home directory, as in a shell; `~` elsewhere is a character of the name.
    @Test func aTildeNamesTheHomeDirectory() throws {
        let home = try #require(getenv("HOME").map { String(cString: $0) })
        #expect(OutputFile.expandingHome("~/run.html") == home + "/run.html")
        #expect(OutputFile.expandingHome("a/~/run.html") == "a/~/run.html")
        #expect(OutputFile.expandingHome("~run.html") == "~run.html")
    }

    /// `explore` writes `explore.pxs`, a name the user did not give: a file of theirs by that name is left
    /// as it was and the script goes to `explore-2.pxs`, which a later `explore` replaces (before, their
    /// file was overwritten without a word).
    @Test func exploreNeverReplacesAFileOfTheUsers() throws {
        let dir = try Self.directory()
        try Self.write(Array("my own notes\n".utf8), "\(dir)/explore.pxs")
        let (session, transcript) = InterpreterTests.session("set break commit-without-majority\ncluster 3 leader n1\nsubmit x=1")
        session.exploreScriptPath = "\(dir)/explore.pxs"
        session.execute("explore 1")
        session.execute("explore 1")
        #expect(transcript.lines.filter { $0.hasPrefix("wrote") } == [
            "wrote the path as a script: \(dir)/explore-2.pxs (\(dir)/explore.pxs exists and is not an earlier one: left as it was) (replay: paxos-playground run \(dir)/explore-2.pxs)",
            "wrote the path as a script: \(dir)/explore-2.pxs (replacing the earlier one) (replay: paxos-playground run \(dir)/explore-2.pxs)",
        ])
        #expect(try Self.read("\(dir)/explore.pxs") == "my own notes\n")
        let script = try Self.read("\(dir)/explore-2.pxs")
        #expect(script.hasPrefix("# Found by explore 1 in a paxos-playground session: this session's commands, then the path.\n# Replay: paxos-playground run \(dir)/explore-2.pxs (the closing expect fails: that is the violation).\n"))
        #expect(InputTests.run(script).exit == .expectFailed)
    }

    @Test func unclaimedNamesSkipTheUsersFiles() throws {
        let dir = try Self.directory()
        let marker = "# Found by explore"
        #expect(OutputFile.unclaimedName(for: "\(dir)/explore.pxs", marker: marker) == ("\(dir)/explore.pxs", false))
        try Self.write(Array("# Found by explore 3 ...\n".utf8), "\(dir)/explore.pxs")
        #expect(OutputFile.unclaimedName(for: "\(dir)/explore.pxs", marker: marker) == ("\(dir)/explore.pxs", true))
        try Self.write(Array("mine\n".utf8), "\(dir)/explore.pxs")
        try Self.write(Array("mine too\n".utf8), "\(dir)/explore-2.pxs")
        #expect(OutputFile.unclaimedName(for: "\(dir)/explore.pxs", marker: marker) == ("\(dir)/explore-3.pxs", false))
        try FileManager.default.createDirectory(atPath: "\(dir)/counterexample", withIntermediateDirectories: false)
        #expect(OutputFile.unclaimedName(for: "\(dir)/counterexample", marker: marker) == ("\(dir)/counterexample-2", false))
    }
}
