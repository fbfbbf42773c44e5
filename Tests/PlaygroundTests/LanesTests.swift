import Foundation
import Testing
import PaxosCore
@testable import PaxosPlayground

/// `lanes [N]`: the last N events as a space-time diagram in text (issue 18 item 3), compared byte for byte
/// with `Golden/lanes-*.txt`. Re-record with `RECORD_GOLDEN=1 swift test --filter LanesTests`, then read the diff.
@Suite struct LanesTests {
    /// A run with every mark: the client, a broadcast, votes both ways, a drop, a crash (its lane dotted
    /// after), a partition, a heal, a cut, a restart, an election with recovery, a local apply and cleanup.
    static let scenario = """
        cluster 3 leader n1
        submit x=1
        step 3
        drop 5
        crash n3
        partition n1 | n2 n3
        heal
        cut n2 n3
        uncut n2 n3
        restart n3
        run
        crash n1
        run until leader
        submit y=2
        run
        """

    static func transcript(_ script: String, ascii: Bool = false, width: Int? = nil) -> String {
        var options = SessionOptions()
        options.quiet = true
        options.ascii = ascii
        options.width = width
        var lines: [String] = []
        let session = Session(options: options, write: { lines.append($0) })
        for line in script.split(separator: "\n") { session.execute(String(line)) }
        return lines.map { $0 + "\n" }.joined()
    }

    @Test(arguments: [("lanes-faults.txt", false, 60), ("lanes-faults-ascii.txt", true, 60), ("lanes-last-10.txt", false, 10)])
    func lanesMatchGolden(_ name: String, _ ascii: Bool, _ count: Int) throws {
        let text = Self.transcript(Self.scenario + "\nlanes \(count)", ascii: ascii)
        let file = GoldenTranscriptTests.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "lanes differ from Golden/\(name); re-record with RECORD_GOLDEN=1 and read the diff")
    }

    @Test func asciiLanesArePlainASCII() {
        let text = Self.transcript(Self.scenario + "\nlanes 60", ascii: true)
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII || $0 == "·" })
        #expect(text.contains("|x------------vote------------|  #5 dropped"))
    }

    @Test func theDefaultIsTheLastTwentyEvents() {
        let text = Self.transcript(Self.scenario + "\nlanes")
        let lines = text.split(separator: "\n")
        #expect(lines[1] == "run until leader: holds after 6 deliveries and 4 ticks: n2 leads 2.n2")
        #expect(lines[2].hasPrefix("last 20 of "))
        #expect(lines.count == 3 + 20 + 1)
    }

    @Test func aSmallDiagramExactly() {
        let text = Self.transcript("cluster 3 leader n1\nsubmit x=1\nstep 3\ndrop 5\ncrash n3\nlanes 5")
        #expect(text == """
            cluster of 3 replicas, n1 leads ballot 1 · election priority, commit sync, seed 1
            last 5 of 7 events, time runs down · ──▶ message ✗ lost ● local ╳ crash ↺ restart ┊ down
            step tick  client           n1             n2             n3
               2 t0       │              │───────────propose──────────▶│  1 (1.n1) x=1  #3
               3 t0       │              │◀────vote─────│              │  accept 1 (1.n1)  #4
               4 t0       │              │◀────────────vote────────────│  accept 1 (1.n1)  #5
               5 t0       │              │✗────────────vote────────────│  #5 dropped
               6 t0       │              │              │              ╳  n3 crashes

            """)
    }

    @Test func aWidthCutsTheNotes() {
        let text = Self.transcript(Self.scenario + "\nlanes 60", width: 70)
        for line in text.split(separator: "\n").dropFirst() { #expect(line.count <= 70, "\(line)") }
        #expect(text.contains("…"))
    }

    @Test(arguments: [
        ("lanes 0", "error: lanes takes at least 1 event (got 0)"),
        ("lanes 1001", "error: lanes takes at most 1000 events (got 1001)"),
        ("lanes all", "error: 'all' is not a number: lanes takes N as a whole number ≥ 1"),
        ("lanes 5 6", "error: unexpected '6' after lanes (see help lanes)"),
    ])
    func badLanesSaysWhatWouldBeRight(_ line: String, _ message: String) {
        let session = ViewTests.rejects(line, message, after: ["cluster 3 leader n1"])
        #expect(session.trace.isEmpty)
    }

    @Test func noEventsYet() {
        #expect(Self.transcript("cluster 3 leader n1\nlanes").hasSuffix("no events yet: lanes draws the last N events of the run\n"))
    }
}
