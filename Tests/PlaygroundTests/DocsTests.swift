import Foundation
import Testing
import PaxosCore
@testable import PaxosPlayground

/// The documentation in `Docs/` against the playground itself: Phases.md's excerpts are the examples' real
/// output, REPL.md documents exactly the commands of `Help.entries`, and every workshop exercise checks
/// itself (its solution passes; the exercise as shipped does not).
///
/// Re-record Phases.md with `Scripts/generate-phases.sh`, which runs this suite with `RECORD_GOLDEN=1`.
@Suite struct DocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let docs = root.appendingPathComponent("Docs")
    static let examples = root.appendingPathComponent("Examples")
    static let workshop = examples.appendingPathComponent("Workshop")
    static let solutions = workshop.appendingPathComponent("solutions")

    /// The files this suite owns. Plugins.md and Performance.md are written and checked elsewhere.
    static let ownDocs = ["Phases.md", "Policies.md", "REPL.md", "Workshop.md", "Fidelity.md", "Architecture.md"]

    static func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    static func doc(_ name: String) throws -> String {
        try read(docs.appendingPathComponent(name))
    }

    /// What a script prints and how it exits, as `paxos-playground run --no-color PATH` would.
    static func run(_ url: URL, name: String) throws -> (text: String, exit: ScriptRunner.Exit) {
        var lines: [String] = []
        let session = Session(options: SessionOptions(), write: { lines.append($0) })
        let exit = ScriptRunner.run(try read(url), name: name, in: session)
        return (lines.joined(separator: "\n"), exit)
    }

    // MARK: - Phases.md

    @Test func phasesExcerptsAreTheExamplesRealOutput() throws {
        let file = Self.docs.appendingPathComponent("Phases.md")
        let text = try Self.read(file)
        let fresh = try DocsExcerpts.regenerate(text, examples: Self.examples)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil, fresh != text {
            try fresh.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(fresh == text, """
            Docs/Phases.md's excerpts differ from what the examples print now. Regenerate them with \
            Scripts/generate-phases.sh (RECORD_GOLDEN=1 swift test --filter DocsTests), then read \
            `git diff Docs/Phases.md`: does the prose around each excerpt still hold?
            """)
    }

    /// Each of the source's eight phases has a section that names the one core file implementing it.
    @Test(arguments: [
        ("§2(1)", "Replica+Transaction.swift"), ("§2(2)", "Replica+Propose.swift"), ("§2(3)", "Replica+Vote.swift"),
        ("§2(4)", "Replica+Commit.swift"), ("§2(5)", "Replica+Ack.swift"), ("§3(1)", "Replica+Heartbeat.swift"),
        ("§3(2)", "Replica+Election.swift"), ("§3(3)", "Replica+Recovery.swift"),
    ])
    func phasesHasASectionPerSeedPhase(_ section: String, _ file: String) throws {
        let text = try Self.doc("Phases.md")
        let sections = text.components(separatedBy: "\n## ")
        let matching = sections.filter { $0.hasPrefix(section) }
        #expect(matching.count == 1, "Phases.md needs one '## \(section) …' section")
        guard let body = matching.first else { return }
        #expect(body.contains("**Core.** [`Sources/PaxosCore/Replica/\(file)`]"), "\(section) points to \(file)")
        #expect(body.contains("<!-- excerpt:"), "\(section) shows an excerpt of real output")
    }

    @Test func excerptMarkersAreCheckedStrictly() throws {
        let bad = ["<!-- excerpt: 01-happy-path.pxs phase=vote count=99 -->\n<!-- /excerpt -->",
                   "<!-- excerpt: 01-happy-path.pxs colour=red -->\n<!-- /excerpt -->",
                   "<!-- excerpt: no-such-script.pxs -->\n<!-- /excerpt -->",
                   "<!-- excerpt: 01-happy-path.pxs phase=vote -->\nno closing marker"]
        for document in bad {
            #expect(throws: DocsExcerpts.Failure.self, "should be refused: \(document)") {
                try DocsExcerpts.regenerate(document, examples: Self.examples)
            }
        }
        let good = try DocsExcerpts.regenerate("a\n<!-- excerpt: 01-happy-path.pxs phase=ack -->\nstale\n<!-- /excerpt -->\nb",
                                               examples: Self.examples)
        #expect(good.hasPrefix("a\n<!-- excerpt: 01-happy-path.pxs phase=ack -->\n```text\n"), "\(good)")
        #expect(good.hasSuffix("\n```\n<!-- /excerpt -->\nb"), "\(good)")
        #expect(good.contains("§2(5)  ack") && good.contains("↳") && !good.contains("stale"), "\(good)")
    }

    // MARK: - REPL.md

    /// Every usage line of `help` appears in REPL.md as it is.
    @Test func replDocumentsEveryUsageVerbatim() throws {
        let text = try Self.doc("REPL.md")
        for entry in Help.entries {
            #expect(text.contains(entry.usage), "Docs/REPL.md lacks the usage `\(entry.usage)` of \(entry.name)")
        }
    }

    /// Every command REPL.md documents (a `### \`name\`` heading) is a real command, and each has one.
    @Test func replDocumentsOnlyRealCommands() throws {
        let text = try Self.doc("REPL.md")
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("### `") }.map { line in
            String(line.dropFirst(5).prefix { $0 != "`" })
        }
        for name in headings {
            #expect(Help.commandNames.contains(name), "Docs/REPL.md documents `\(name)`, which is not a command")
        }
        for name in Help.commandNames {
            #expect(headings.filter { $0 == name }.count == 1, "Docs/REPL.md needs one `### \\`\(name)\\`` heading")
        }
    }

    /// REPL.md's table of limits is `Limits.markdownTable`, the one place the limits are set (re-recorded
    /// with `RECORD_GOLDEN=1`: the table after the `<!-- limits` marker, up to the blank line).
    @Test func replDocumentsEveryLimit() throws {
        let file = Self.docs.appendingPathComponent("REPL.md")
        let text = try Self.read(file)
        let marker = try #require(text.range(of: "<!-- limits: Limits.markdownTable"), "Docs/REPL.md needs its limits marker")
        let tableStart = text.index(after: try #require(text[marker.upperBound...].firstIndex(of: "\n")))
        let end = text[tableStart...].range(of: "\n\n")?.lowerBound ?? text.endIndex
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil, text[tableStart..<end] != Limits.markdownTable {
            try text.replacingCharacters(in: tableStart..<end, with: Limits.markdownTable)
                .write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[tableStart..<end]) == Limits.markdownTable,
                "Docs/REPL.md's limits differ from Limits.table: RECORD_GOLDEN=1 swift test --filter DocsTests")
    }

    // MARK: - Workshop

    static var exerciseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: workshop.path)) ?? []
        return names.filter { $0.hasSuffix(".pxs") }.sorted()
    }

    /// The exercise whose solution breaks an invariant on purpose.
    static let unsafeExercise = "ex5-break-it-with-recovery-off.pxs"

    @Test func theWorkshopHasItsExercisesEachWithASolution() throws {
        let names = Self.exerciseNames
        #expect(names.count >= 5)
        #expect(names.contains { $0.contains("predict-the-winner") })
        #expect(names.contains(Self.unsafeExercise))
        let workshop = try Self.doc("Workshop.md")
        for name in names {
            #expect(FileManager.default.fileExists(atPath: Self.solutions.appendingPathComponent(name).path),
                    "Examples/Workshop/\(name) has no solution in Examples/Workshop/solutions/")
            #expect(workshop.contains("Examples/Workshop/\(name)"), "Docs/Workshop.md does not use \(name)")
        }
    }

    /// Every solution passes, except the recovery-off one: its last `expect invariants` fails on purpose
    /// (there is no "expect a violation" command, and the exercise is to see the checker catch it), so it
    /// exits 1, and that `expect` is its only failure.
    @Test(arguments: exerciseNames)
    func solutionChecksOut(_ name: String) throws {
        let (text, exit) = try Self.run(Self.solutions.appendingPathComponent(name), name: "Examples/Workshop/solutions/\(name)")
        // A failed expect in a script says where it is: `FILE:LINE: ✗ expect …`.
        let failures = text.split(separator: "\n").filter { $0.contains(": ✗ ") }
        if name == Self.unsafeExercise {
            #expect(exit == .expectFailed, "the recovery-off solution must exit 1, not \(exit.rawValue)")
            let lines = try String(contentsOf: Self.solutions.appendingPathComponent(name), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            let line = (lines.lastIndex { $0.hasPrefix("expect invariants") } ?? -1) + 1
            #expect(failures == ["Examples/Workshop/solutions/\(name):\(line): ✗ expect invariants: violated 2 (durability at 1), 1 (agreement at 1)"],
                    "\(failures)")
        } else {
            #expect(exit == .passed, "solutions/\(name) exits \(exit.rawValue): \(failures.joined(separator: "; "))")
        }
    }

    /// The follow-up of the recovery-off exercise: with recovery on, the same schedule keeps every invariant.
    @Test func theRecoveryOffSolutionPassesWithRecoveryOn() throws {
        let url = Self.solutions.appendingPathComponent(Self.unsafeExercise)
        let script = try Self.read(url).replacingOccurrences(of: "set recovery off", with: "set recovery on")
        var lines: [String] = []
        let session = Session(options: SessionOptions(), write: { lines.append($0) })
        #expect(ScriptRunner.run(script, name: "recovery-on", in: session) == .passed, "\(lines.filter { $0.hasPrefix("✗") })")
    }

    /// As shipped, an exercise stops at its first blank (`??`) with a script error naming the line.
    @Test(arguments: exerciseNames)
    func exerciseDoesNotPassAsShipped(_ name: String) throws {
        let (text, exit) = try Self.run(Self.workshop.appendingPathComponent(name), name: "Examples/Workshop/\(name)")
        #expect(exit == .scriptError, "Examples/Workshop/\(name) exits \(exit.rawValue); an unfilled exercise must stop at a blank")
        let last = text.split(separator: "\n").last ?? ""
        #expect(last.hasPrefix("Examples/Workshop/\(name):") && last.contains("'??'"), "\(last)")
    }

    /// A solution is its exercise with each `??` replaced by one word: every other command is the same line.
    @Test(arguments: exerciseNames)
    func solutionIsTheExerciseWithTheBlanksFilled(_ name: String) throws {
        let exercise = try Self.read(Self.workshop.appendingPathComponent(name)).components(separatedBy: "\n")
        let solution = try Self.read(Self.solutions.appendingPathComponent(name)).components(separatedBy: "\n")
        #expect(exercise.count == solution.count, "\(name): the solution has \(solution.count) lines, the exercise \(exercise.count)")
        func code(_ line: String) -> [Substring] {
            (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").split(separator: " ")
        }
        var blanks = 0
        for (number, (ask, answer)) in zip(exercise, solution).enumerated() {
            let asked = code(ask), answered = code(answer)
            guard asked.contains("??") else {
                #expect(ask == answer, "\(name):\(number + 1) differs between exercise and solution")
                continue
            }
            #expect(!ask.split(separator: "#", maxSplits: 1).dropFirst().joined().contains("??"), "\(name):\(number + 1): a blank in a comment")
            blanks += asked.filter { $0 == "??" }.count
            let same = asked.count == answered.count && zip(asked, answered).allSatisfy { $0 == "??" ? $1 != "??" : $0 == $1 }
            #expect(same, "\(name):\(number + 1): the solution must fill each ?? with one word, nothing else")
        }
        #expect(blanks >= 3, "\(name) has \(blanks) blanks")
    }

    // MARK: - Policies.md

    /// Policies.md's example policies are this file's, word for word.
    @Test func policiesExampleIsTheCodeTestedHere() throws {
        let source = try Self.read(URL(fileURLWithPath: #filePath))
        guard let start = source.range(of: "// BEGIN Policies.md example\n"),
              let end = source.range(of: "// END Policies.md example", range: start.upperBound..<source.endIndex) else {
            Issue.record("the example markers are missing from DocsTests.swift")
            return
        }
        let example = String(source[start.upperBound..<end.lowerBound])
        #expect(try Self.doc("Policies.md").contains("```swift\nimport PaxosCore\n\n" + example + "```"),
                "Docs/Policies.md's example differs from the code in DocsTests.swift")
    }

    /// The example policies register, run, and do what Policies.md says.
    @Test func policiesExampleWorks() throws {
        var registry = PolicyRegistry.builtIn
        registry.register(HighestIDElection.self)
        registry.register(DelayedCommit.self)
        var options = SessionOptions()
        options.registry = registry
        var lines: [String] = []
        let session = Session(options: options, write: { lines.append($0) })
        let script = """
            election highest-id
            commit delayed
            cluster 3 leader n1
            submit x=1
            run until committed 1
            expect applied n2 0
            run until applied n2 1
            crash n1
            run until leader
            expect leader n3
            expect invariants
            """
        #expect(ScriptRunner.run(script, name: "policies-example", in: session) == .passed,
                "\(lines.filter { $0.hasPrefix("✗") || $0.contains("error") })")
        #expect(lines.contains { $0.contains("n2 applies 1") })
    }

    // MARK: - Links

    /// Relative links in the docs this suite owns point to files that exist (Plugins.md and Performance.md
    /// are written by others; their absence is not this suite's failure).
    @Test(arguments: ownDocs)
    func linksResolve(_ name: String) throws {
        let text = try Self.doc(name)
        var rest = Substring(text)
        while let open = rest.range(of: "](") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { break }
            let target = String(rest[..<close]).split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            rest = rest[close...]
            guard !target.isEmpty, !target.contains("://"), !["Plugins.md", "Performance.md"].contains(target) else { continue }
            let path = Self.docs.appendingPathComponent(target).standardizedFileURL.path
            #expect(FileManager.default.fileExists(atPath: path), "Docs/\(name) links to \(target), which does not exist")
        }
    }

    /// Source paths quoted in the docs (`Sources/...swift`) exist.
    @Test(arguments: ownDocs)
    func quotedSourcePathsExist(_ name: String) throws {
        let text = try Self.doc(name)
        for piece in text.components(separatedBy: "`").enumerated() where piece.offset % 2 == 1 {
            let path = piece.element
            guard path.hasPrefix("Sources/") || path.hasPrefix("Tests/") || path.hasPrefix("Scripts/"), !path.contains(" ") else { continue }
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path),
                    "Docs/\(name) quotes \(path), which does not exist")
        }
    }

    /// Every file the repository's own text cites is in the repository: no doc, README or source (help texts
    /// and comments) cites `PROTOCOL.md` or anything else outside it. Checked: quoted paths under
    /// `Sources/`, `Tests/`, `Scripts/`, `Docs/`, `Examples/` (but in Plugins.md, which lays out a package
    /// of your own); relative Markdown links;
    /// and no `../` path or bare `PROTOCOL.md` at all.
    @Test func noFileCitesAPathOutsideTheRepository() throws {
        let manager = FileManager.default
        var files = ["README.md"]
        for folder in ["Docs", "Sources"] {
            let enumerator = manager.enumerator(atPath: Self.root.appendingPathComponent(folder).path)
            while let path = enumerator?.nextObject() as? String {
                if path.hasSuffix(".md") || path.hasSuffix(".swift") { files.append("\(folder)/\(path)") }
            }
        }
        #expect(files.contains("Docs/Protocol.md") && files.count > 40)
        func exists(_ path: String, from file: String) -> Bool {
            let clean = String(path.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
            guard !clean.isEmpty else { return true }
            let base = Self.root.appendingPathComponent(file).deletingLastPathComponent()
            return manager.fileExists(atPath: base.appendingPathComponent(clean).standardizedFileURL.path)
        }
        let rooted = /(?:^|[^A-Za-z0-9_\/.\-])((?:Sources|Tests|Scripts|Docs|Examples)\/[A-Za-z0-9_+\-\/.]*[A-Za-z0-9_+\-])/
        let link = /\]\(([^)\s]+)\)/
        for file in files {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("PROTOCOL.md"), "\(file) cites PROTOCOL.md, which is not in the repository: cite Docs/Protocol.md")
            #expect(!text.contains("../shared") && !text.contains("shared/seed"), "\(file) cites a path outside the repository")
            // Plugins.md lays out a package of your own (`Sources/MyPolicies/…`), not this one.
            for match in text.matches(of: rooted) where file != "Docs/Plugins.md" {
                let path = String(match.output.1)
                // A folder or file named from the root, as the README and the sources write them.
                #expect(manager.fileExists(atPath: Self.root.appendingPathComponent(path).path)
                        || !path.contains("/") || path.hasSuffix("/"), "\(file) cites \(path), which does not exist")
            }
            guard file.hasSuffix(".md") else { continue }
            for match in text.matches(of: link) {
                let target = String(match.output.1)
                if target.hasPrefix("http") || target.hasPrefix("#") || target.hasPrefix("mailto:") { continue }
                #expect(exists(target, from: file), "\(file) links to \(target), which does not exist")
            }
        }
    }
}

// BEGIN Policies.md example
/// `highest-id`: the live replica with the highest number stands first and wins.
struct HighestIDElection: ElectionPolicy {
    static let name = "highest-id"
    static let summary = "the highest-numbered live replica stands first and wins"

    init() {}

    func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int {
        config.electionTimeoutTicks + config.replicaCount - replica.number
    }

    func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
        voter.id > candidate.id ? .refuse("\(voter.id) is numbered above \(candidate.id)") : .grant
    }
}

/// `delayed`: a follower applies a committed entry two ticks after it learns of it.
struct DelayedCommit: CommitPolicy {
    static let name = "delayed"
    static let summary = "a follower applies two ticks after it learns the entry is committed"

    init() {}

    func applyMode(for replica: ReplicaID, index: Int, config: ClusterConfig) throws -> ApplyMode {
        .afterTicks(2)
    }
}
// END Policies.md example
