import Foundation
import Testing
import PaxosPlayground

/// Every example's `--no-color` transcript, compared byte for byte with `Golden/NAME.txt`.
/// Re-record with `RECORD_GOLDEN=1 swift test --filter GoldenTranscriptTests`, then read the diff.
@Suite struct GoldenTranscriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let examples = root.appendingPathComponent("Examples")
    static let golden = root.appendingPathComponent("Tests/PlaygroundTests/Golden")

    static var exampleNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { $0.hasSuffix(".pxs") }.sorted()
    }

    /// What `paxos-playground run --no-color Examples/NAME` prints, and its exit code.
    static func transcript(of name: String) throws -> (text: String, exit: ScriptRunner.Exit) {
        let script = try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
        var lines: [String] = []
        let session = Session(options: SessionOptions(), write: { lines.append($0) })
        let exit = ScriptRunner.run(script, name: "Examples/\(name)", in: session)
        return (lines.map { $0 + "\n" }.joined(), exit)
    }

    @Test func thereAreAtLeastNineExamples() {
        #expect(Self.exampleNames.count >= 9)
    }

    @Test(arguments: exampleNames)
    func transcriptMatchesGolden(_ name: String) throws {
        let (text, exit) = try Self.transcript(of: name)
        let file = Self.golden.appendingPathComponent(name.replacingOccurrences(of: ".pxs", with: ".txt"))
        let recorded = "\(text)exit \(exit.rawValue)\n"
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
            try recorded.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(recorded == expected, "transcript of \(name) differs from Golden; re-record with RECORD_GOLDEN=1 and read the diff")
    }

    /// Every example passes, except the unsafe one, which fails its `expect invariants` on purpose.
    @Test(arguments: exampleNames)
    func exampleExitCode(_ name: String) throws {
        let (_, exit) = try Self.transcript(of: name)
        #expect(exit == (name.contains("unsafe") ? .expectFailed : .passed), "\(name) exited \(exit.rawValue)")
    }
}
