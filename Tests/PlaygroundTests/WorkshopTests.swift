import Foundation
import Testing
@testable import PaxosPlayground

/// `Docs/Workshop.md` as a teacher would run it: the plan's times add up, each exercise says the time the
/// plan gives it, the demos say what happens, and the whole workshop fits a projector 100 columns wide.
@Suite struct WorkshopTests {
    static let width = 100

    static func workshop() throws -> String { try DocsTests.doc("Workshop.md") }

    /// `H:MM` as minutes.
    static func minutes(_ clock: Substring) -> Int? {
        let parts = clock.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]) else { return nil }
        return hours * 60 + minutes
    }

    /// The plan's rows: start (`0:18`, or `bonus`), length in minutes, segment.
    static func rows() throws -> [(clock: String, length: Int, segment: String)] {
        try workshop().components(separatedBy: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, let length = Int(cells[2]) else { return nil }
            return (cells[1], length, cells[3])
        }
    }

    /// The plan's timed rows: start (minutes), length, segment.
    static func plan() throws -> [(start: Int, length: Int, segment: String)] {
        try rows().compactMap { row in minutes(Substring(row.clock)).map { ($0, row.length, row.segment) } }
    }

    @Test func thePlanAddsUpToNinetyMinutes() throws {
        let plan = try Self.plan()
        #expect(plan.count == 9)
        for (row, next) in zip(plan, plan.dropFirst()) {
            #expect(row.start + row.length == next.start, "\(row.segment) ends at \(row.start + row.length), \(next.segment) starts at \(next.start)")
        }
        #expect(plan.first?.start == 0)
        #expect(plan.last.map { $0.start + $0.length } == 90)
        #expect(try Self.workshop().hasPrefix("# Workshop: Multi-Paxos redo-log replication in 90 minutes"))
    }

    /// Each segment has its section, `### H:MM Segment (N min)`, with the plan's start and length.
    @Test func everySegmentHasItsSectionAtItsTime() throws {
        let text = try Self.workshop()
        for row in try Self.plan() {
            let clock = "\(row.start / 60):\(String(format: "%02d", row.start % 60))"
            let heading = "### \(clock) \(row.segment) (\(row.length) min)"
            #expect(text.contains("\n\(heading)\n"), "Workshop.md has no section '\(heading)'")
        }
    }

    /// An exercise's header gives the minutes the plan gives it (`… about 12 minutes.`).
    @Test(arguments: DocsTests.exerciseNames)
    func theExerciseSaysThePlansTime(_ name: String) throws {
        let number = try #require(name.dropFirst(2).first)
        let planned = try #require(try Self.rows().first { $0.segment.hasPrefix("Exercise \(number):") })
        let text = try DocsTests.read(DocsTests.workshop.appendingPathComponent(name))
        let header = text.components(separatedBy: "\n").prefix { $0.hasPrefix("#") }.joined(separator: " ")
        #expect(header.contains("about \(planned.length) minutes."), "\(name): '\(header)', the plan gives \(planned.length) min")
    }

    /// The demos: the ```text blocks of commands, one per line with its comment, that the teacher types.
    static func demos() throws -> [[String]] {
        let lines = try workshop().components(separatedBy: "\n")
        var demos: [[String]] = []
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            guard lines[index] == "```text" else { continue }
            var block: [String] = []
            index += 1
            while index < lines.count, lines[index] != "```" { block.append(lines[index]); index += 1 }
            let isCommands = !block.isEmpty && block.allSatisfy { line in
                let word = line.split(separator: " ").first.map(String.init) ?? ""
                return Help.entries.contains { $0.name == word }
            }
            if isCommands { demos.append(block) }
        }
        return demos
    }

    /// A fresh session as the teacher's, at the projector's width, and what it printed.
    static func session() -> (Session, () -> [String]) {
        final class Lines { var all: [String] = [] }
        let printed = Lines()
        var options = SessionOptions()
        options.width = width
        let session = Session(options: options, write: { printed.all.append(contentsOf: $0.components(separatedBy: "\n")) })
        session.writesFiles = false
        return (session, { printed.all })
    }

    static func tooWide(_ lines: [String]) -> [String] {
        lines.filter { $0.count > width }
    }

    @Test func theDemosRunWithoutAnErrorAndFitTheProjector() throws {
        let demos = try Self.demos()
        #expect(demos.count == 2)
        for demo in demos {
            let (session, printed) = Self.session()
            for line in demo {
                let before = printed().count
                _ = session.execute(line)
                let said = Array(printed().dropFirst(before))
                #expect(!said.contains { $0.hasPrefix("error:") }, "`\(line)`: \(said)")
            }
            #expect(Self.tooWide(printed()).isEmpty, "wider than \(Self.width): \(Self.tooWide(printed()))")
        }
    }

    /// The crash demo shows what the teacher is told to point at: n2 times out after 4 ticks (3, plus one
    /// for n1's rank), wins, and finds nothing to recover.
    @Test func theCrashDemoShowsWhatTheTeacherPointsAt() throws {
        let demo = try #require(try Self.demos().last)
        let (session, printed) = Self.session()
        for line in demo { _ = session.execute(line) }
        let text = printed().joined(separator: "\n")
        #expect(text.contains("t4   §3(1)  timeout     n2"))
        #expect(text.contains("no heartbeat from a leader it could follow for 4 ticks: n2 reports"))
        #expect(text.contains("nothing to recover"))
        #expect(session.simulation.leader?.description == "n2")
    }

    /// Every exercise, solved and as shipped, and the checker bonus, print within the projector's width.
    @Test(arguments: DocsTests.exerciseNames)
    func theExerciseFitsTheProjector(_ name: String) throws {
        for url in [DocsTests.workshop.appendingPathComponent(name), DocsTests.solutions.appendingPathComponent(name)] {
            let (session, printed) = Self.session()
            _ = ScriptRunner.run(try DocsTests.read(url), name: "Examples/Workshop/\(name)", in: session)
            #expect(printed().count > 3)
            #expect(Self.tooWide(printed()).isEmpty, "\(url.lastPathComponent), wider than \(Self.width): \(Self.tooWide(printed()))")
        }
    }

    @Test func theReferenceViewsFitTheProjector() {
        let (session, printed) = Self.session()
        for line in ["help", "policies", "cluster 3 leader n1", "submit x=1", "step", "pending", "run", "crash n1",
                     "run until leader", "show", "slots", "log n2", "data n2", "lanes 20", "view compact", "run for 5",
                     "explain", "compare priority longest-term", "set break commit-without-majority", "check"] {
            _ = session.execute(line)
        }
        #expect(!printed().contains { $0.hasPrefix("error:") }, "\(printed().filter { $0.hasPrefix("error:") })")
        #expect(Self.tooWide(printed()).isEmpty, "wider than \(Self.width): \(Self.tooWide(printed()))")
    }

    /// Exercise 5's follow-up, as Workshop.md tells it: with recovery on, n3 asks n2 for its log, learns x=1
    /// at index 1, re-proposes it under its own ballot, and y=2 goes to index 2.
    @Test func exerciseFivesStoryWithRecoveryOn() throws {
        let url = DocsTests.solutions.appendingPathComponent(DocsTests.unsafeExercise)
        let script = try DocsTests.read(url).replacingOccurrences(of: "set recovery off", with: "set recovery on")
        var lines: [String] = []
        let session = Session(options: SessionOptions(), write: { lines.append($0) })
        #expect(ScriptRunner.run(script, name: "recovery-on", in: session) == .passed)
        let text = lines.joined(separator: "\n")
        #expect(text.contains(#"§3(3)  recovery    n3 → n2        {"request_log_range": {"from": 1, "to": 1, "ballot": "2.n3"}}"#))
        #expect(text.contains(#"§3(3)  recovery    n2 → n3        {"log_range": {"from": 1, "to": 1, "ballot": "2.n3", "entries": [{"index": 1, "ballot": "1.n1", "status": "applied", "redo_log": ["x=1"]}]}}"#))
        #expect(text.contains(#"§3(3)  recovery    n3 → n1, n2    {"proposal_id": 1, "ballot": "2.n3", "redo_log": ["x=1"]}"#))
        #expect(text.contains("n3 executes t2, appends it at index 2 and proposes it under ballot 2.n3"))
        let workshop = try Self.workshop()
        #expect(workshop.contains("n3 asks n2 for its log, learns x=1 at index 1,\nre-proposes it under its own ballot, and y=2 goes to index 2."))
    }
}
