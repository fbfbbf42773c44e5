import Foundation
import Testing
import PaxosCore
@testable import PaxosPlayground

/// The one reader of input (``InputText``) and the parser's words: REPL lines, script files and `run -`
/// read the same way (issue 17, "Why" 4, 5 and 6).
@Suite struct InputTests {
    static func run(_ text: String, name: String = "x.pxs") -> (lines: [String], exit: ScriptRunner.Exit) {
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        let exit = ScriptRunner.run(text, name: name, in: session)
        return (lines, exit)
    }

    static func run(bytes: [UInt8], name: String = "x.pxs") -> (lines: [String], exit: ScriptRunner.Exit) {
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        let exit: ScriptRunner.Exit
        do {
            exit = ScriptRunner.run(lines: try InputText.lines(bytes), name: name, in: session)
        } catch {
            return (["\(name): error: \(error.description)"], .scriptError)
        }
        return (lines, exit)
    }

    // MARK: - Line ends and the byte-order mark (Why 4)

    /// Examples/01 saved with CRLF line ends prints what it prints with LF: before, the whole file was one
    /// line, a comment, and the run passed having run nothing.
    @Test func anExampleSavedWithCRLFRunsAsWithLF() throws {
        let text = try String(contentsOf: DocsTests.examples.appendingPathComponent("01-happy-path.pxs"), encoding: .utf8)
        let lf = Self.run(text)
        let crlf = Self.run(text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(crlf.lines == lf.lines)
        #expect(crlf.exit == .passed)
        #expect(crlf.lines.last == "✓ expect invariants: invariants 1-5 hold")
    }

    /// Without a leading comment, an error in a CRLF script is one line, at its own line number.
    @Test func anErrorInACRLFScriptIsOneLineAtItsLine() {
        let result = Self.run("cluster 3\r\nfoo\r\nshow\r\n", name: "crlf.pxs")
        #expect(result.lines == [
            "cluster of 3 replicas, no leader yet: the first election plays out · election priority, commit sync, seed 1",
            "crlf.pxs:2: error: unknown command 'foo': type help for the list of commands",
        ])
        #expect(result.exit == .scriptError)
    }

    /// A UTF-8 byte-order mark starts a script (`run -`, a file) or the REPL's input: it is dropped there, and
    /// only there.
    @Test func aByteOrderMarkIsDroppedAtTheStart() {
        let script = [0xEF, 0xBB, 0xBF] + Array("cluster 3 leader n1\nexpect leader n1\n".utf8)
        #expect(Self.run(bytes: script).lines.last == "✓ expect leader n1: n1 leads 1.n1")
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        #expect(session.execute(input: [0xEF, 0xBB, 0xBF] + Array("cluster 3".utf8), first: true) == .ok)
        #expect(session.execute(input: [0xEF, 0xBB, 0xBF] + Array("show".utf8)) ==
            .error("invisible character \\u{FEFF} at column 1: commands are plain text; retype the line without it"))
        #expect(session.execute(input: Array("show\r".utf8)) == .ok, "a CR before the LF ends the line")
    }

    // MARK: - Encodings (Why 4, Why 8)

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        Array(text.utf16).flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// Texts that are not UTF-8, by name.
    static let notUTF8: [String: [UInt8]] = [
        "latin1": Array("cluster 3\nsubmit x=caf".utf8) + [0xE9, 0x0A],
        "utf16-bom": [0xFF, 0xFE] + utf16("show\n", bigEndian: false),
        "utf16be": utf16("show\n", bigEndian: true),
        "elf": [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00],
        "continuation": Array("show\n\n".utf8) + [0x80],
        "overlong": [0x78, 0xC0, 0x80],
        "surrogate": [0x78, 0xED, 0xA0, 0x80],
        "cut-short": [0x78, 0xE2, 0x82],
    ]

    @Test(arguments: [
        ("latin1", "not UTF-8 text: byte 0xE9 at line 2 (é in Latin-1); save it as UTF-8 (iconv -f LATIN1 -t UTF-8)"),
        ("utf16-bom", "UTF-16 text (little-endian), not UTF-8; save it as UTF-8 (iconv -f UTF-16 -t UTF-8)"),
        ("utf16be", "UTF-16 text (big-endian), not UTF-8; save it as UTF-8 (iconv -f UTF-16 -t UTF-8)"),
        ("elf", "binary, not text (a NUL byte at line 1); name a .pxs script"),
        ("continuation", "not UTF-8 text: byte 0x80 at line 3; save it as UTF-8"),
        ("overlong", "not UTF-8 text: byte 0xC0 at line 1 (À in Latin-1); save it as UTF-8 (iconv -f LATIN1 -t UTF-8)"),
        ("surrogate", "not UTF-8 text: byte 0xED at line 1 (í in Latin-1); save it as UTF-8 (iconv -f LATIN1 -t UTF-8)"),
        ("cut-short", "not UTF-8 text: byte 0xE2 at line 1 (â in Latin-1); save it as UTF-8 (iconv -f LATIN1 -t UTF-8)"),
    ])
    func aScriptThatIsNotUTF8IsRefusedSayingWhatWasFound(_ name: String, _ message: String) {
        let bytes = Self.notUTF8[name] ?? []
        #expect(throws: InputText.Problem(message)) { try InputText.lines(bytes) }
    }

    @Test func wellFormedUTF8IsRead() throws {
        #expect(try InputText.lines(Array("submit name=José emoji=😀 ∑=π\n".utf8)) == ["submit name=José emoji=😀 ∑=π"])
        #expect(try InputText.lines([]) == [""])
    }

    /// A REPL line that is not UTF-8 is an error like any other, and changes nothing.
    @Test func aREPLLineThatIsNotUTF8IsOneErrorLine() {
        let (session, transcript) = InterpreterTests.session()
        let history = session.history
        let outcome = session.execute(input: Array("submit x=caf".utf8) + [0xE9])
        #expect(outcome == .error("not UTF-8 text: byte 0xE9 at column 13 (é in Latin-1); set the terminal to UTF-8"))
        #expect(transcript.lines == ["error: not UTF-8 text: byte 0xE9 at column 13 (é in Latin-1); set the terminal to UTF-8"])
        #expect(session.history == history && session.trace.isEmpty)
    }

    // MARK: - Control characters (Why 6)

    @Test(arguments: [
        ("show\u{1B}[2J", #"error: control character \u{1B} at column 5: commands are plain text; retype the line without it"#),
        ("foo\u{7}bar", #"error: control character \u{7} at column 4: commands are plain text; retype the line without it"#),
        ("sub\u{0}mit x=1", #"error: control character \u{0} at column 4: commands are plain text; retype the line without it"#),
        ("submit x=\u{202E}1", #"error: text direction control \u{202E} at column 10: commands are plain text; retype the line without it"#),
        ("step\u{200B}", #"error: invisible character \u{200B} at column 5: commands are plain text; retype the line without it"#),
        ("show # \u{1B}]0;title\u{7}", #"error: control character \u{1B} at column 8: commands are plain text; retype the line without it"#),
        ("show\rpending", #"error: control character \u{D} at column 5: commands are plain text; retype the line without it"#),
        ("crash n1\u{85}", #"error: control character \u{85} at column 9: commands are plain text; retype the line without it"#),
    ])
    func controlCharactersAreRefusedAndShownEscaped(_ line: String, _ expected: String) {
        let (session, transcript) = InterpreterTests.session()
        let before = (session.simulation.step, session.history)
        #expect(session.execute(line) == .error(String(expected.dropFirst("error: ".count))))
        #expect(transcript.lines == [expected])
        #expect(session.simulation.step == before.0 && session.history == before.1)
    }

    /// What an error line quotes from elsewhere (a file name, say) is escaped too.
    @Test func errorLinesEscapeWhatTheyQuote() {
        var lines: [String] = []
        let session = Session(write: { lines.append($0) })
        let (exit, read) = ScriptRunner.run(file: "/nonexistent/\u{1B}[2J\u{202E}.pxs", in: session)
        #expect(lines == [#"/nonexistent/\u{1B}[2J\u{202E}.pxs: error: no such file; check the name and the directory you run from"#])
        #expect(exit == .scriptError && !read)
        #expect(InputText.escaped("a\tb\u{7F}c\u{2028}d\u{FEFF}é") == "a\tb\\u{7F}c\\u{2028}d\\u{FEFF}é")
    }

    // MARK: - `#` (Why 5)

    @Test(arguments: [
        ("show # the table", ["show"]),
        ("show #note", ["show"]),
        ("# a comment", []),
        ("#12 is a comment at the start of a line", []),
        ("   # indented", []),
        ("deliver #12 # then the vote", ["deliver", "#12"]),
        ("drop #3", ["drop", "#3"]),
        ("submit x=#1 y=2#3 z=#", ["submit", "x=#1", "y=2#3", "z=#"]),
        ("submit #x=1", ["submit"]),
        ("deliver ##3", ["deliver"]),
        ("tick#2", ["tick#2"]),
        ("step\t#3", ["step", "#3"]),
    ])
    func aWordThatStartsWithHashStartsAComment(_ line: String, _ words: [String]) {
        #expect(CommandParser.words(line) == words)
    }

    /// `deliver #12` is `deliver 12`, as REPL.md says (before, `#12` was a comment: "deliver needs ID").
    @Test func deliverHashIDIsDeliverID() {
        let setup = "cluster 3 leader n1\nsubmit x=1\nstep"
        for verb in ["deliver", "drop", "duplicate"] {
            let (plain, plainLines) = InterpreterTests.session(setup)
            let (hashed, hashedLines) = InterpreterTests.session(setup)
            #expect(plain.execute("\(verb) 3") == .ok)
            #expect(hashed.execute("\(verb) #3   # the proposal to n3") == .ok)
            #expect(hashed.trace == plain.trace && hashedLines.lines == plainLines.lines, "\(verb)")
        }
        #expect(InterpreterTests.session(setup).0.execute("step #3") == .error("'#3' is not a number: step takes N as a whole number ≥ 1"))
    }

    /// `submit x=#1` sets x to `#1` (before, the value was cut at `#`: `x=`, which deletes x).
    @Test func aHashInsideAValueIsPartOfIt() throws {
        let (session, transcript) = InterpreterTests.session("cluster 3 leader n1\nsubmit x=1\nrun")
        #expect(session.execute("submit x=#1   # a comment") == .ok)
        session.execute("run")
        transcript.lines = []
        #expect(session.execute("expect data n3 x=#1") == .ok)
        session.execute("data n1")
        #expect(transcript.lines == ["✓ expect data n3 x=#1: x=#1", "n1 data (applied 2): x=#1"])
        #expect(session.history.contains("submit x=#1   # a comment"))
        let printed = ScriptPrinter.line(.submit([RedoRecord(key: "x", value: "#1"), RedoRecord(key: "y", value: "a#b")]))
        #expect(printed == "submit x=#1 y=a#b")
        #expect(try CommandParser.parse(printed) == .submit([RedoRecord(key: "x", value: "#1"), RedoRecord(key: "y", value: "a#b")]))
    }
}
