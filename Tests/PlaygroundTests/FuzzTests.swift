import Testing
@testable import PaxosPlayground

/// The command-language fuzzer (``CommandFuzzer``, Docs/Fuzz.md) on a short budget: a few hundred seeded
/// random lines through the REPL's entry point, with no finding (every error one line, nothing changed by an
/// error, no raw control character printed). `Scripts/fuzz.sh 100000 1` runs the long one.
@Suite struct FuzzTests {
    static func options(seed: UInt64, lines: Int) -> CommandFuzzer.Options {
        var options = CommandFuzzer.Options()
        options.seed = seed
        options.lines = lines
        options.sessionLines = 60
        return options
    }

    @Test func aShortRunFindsNothing() {
        var fuzzer = CommandFuzzer(Self.options(seed: 0x17, lines: 600))
        let report = fuzzer.run()
        #expect(report.findings == [], "\(report.summary.joined(separator: "\n"))")
        #expect(report.lines == 600)
        #expect(report.errors > 100 && report.ran > 100, "both errors and commands that run")
        #expect(Set(report.categories.keys) == Set(CommandFuzzer.Report.categoryNames), "every kind of line was made")
        #expect(report.errorKinds.contains { $0.kind.hasPrefix("control character") })
        #expect(report.errorKinds.contains { $0.kind == "not UTF-8 text" })
    }

    @Test func theSameSeedGivesTheSameReport() {
        var one = CommandFuzzer(Self.options(seed: 5, lines: 150))
        var two = CommandFuzzer(Self.options(seed: 5, lines: 150))
        var other = CommandFuzzer(Self.options(seed: 6, lines: 150))
        let report = one.run()
        #expect(two.run() == report)
        #expect(other.run() != report)
    }

    /// The digest an error is checked against sees each part of the state change.
    @Test func theStateCheckSeesAChange() {
        let (session, _) = InterpreterTests.session("cluster 3 leader n1")
        let before = session.snapshot
        #expect(session.differences(before, session.snapshot) == [])
        session.execute("submit x=1")
        #expect(session.differences(before, session.snapshot) == ["history", "journal", "trace", "show, pending or slots"])
        let settled = session.snapshot
        session.execute("election randomized")
        #expect(session.differences(settled, session.snapshot) == ["history", "journal", "policies", "show, pending or slots"])
    }

    @Test(arguments: [
        ("unknown command 'frobnicate': type help for the list of commands", "unknown command '…'"),
        ("'many' is not a number: step takes N as a whole number ≥ 1", "'…' is not a number"),
        ("0 is out of range: tick takes N from 1 to any", "N is out of range"),
        ("message #99 is not in flight: nothing is in flight", "message #N is not in flight"),
        (#"control character \u{1B} at column 5: commands are plain text; retype the line without it"#, #"control character \u{…} at column N"#),
        ("cannot write /x/y: there is no directory /x; create it first or choose another path", "cannot write PATH"),
        ("n2's election timer cannot fire: it leads", "nN's election timer cannot fire"),
        ("-5 is out of range: tick takes N from 1 to any", "N is out of range"),
        ("not UTF-8 text: byte 0xE9 at column 13 (é in Latin-1); set the terminal to UTF-8", "not UTF-8 text"),
        ("unknown command ''J': type help for the list of commands", "unknown command '…'"),
        ("unknown command 'a:b': did you mean 'ab'? type help", "unknown command '…'"),
        ("unexpected 'now then' after set (see help set)", "unexpected '…' after set"),
    ])
    func errorKindsLeaveOutWhatVaries(_ message: String, _ kind: String) {
        #expect(CommandFuzzer.kind(of: message) == kind)
    }
}
