import Foundation
import Testing
@testable import PaxosPlayground

/// The transcripts in the README and in `Docs/` against the playground itself: docs and binary agree.
///
/// A transcript is a ```` ```text ```` block with a REPL prompt (`paxos[S|tT]> COMMAND`) or a command line
/// (`$ paxos-playground ARGS`, `$ printf '…' | paxos-playground ARGS`). Its commands run in order, the REPL
/// lines in one session per block (`$ paxos-playground` or `$ swift run paxos-playground` alone starts it), each
/// command line in a process of its own, and what the block shows under a command must be what it prints:
/// - the lines shown are the lines printed, in order; a line `...` (or `…`) stands for any number of lines;
/// - a command shown with nothing under it may print anything except an error;
/// - a prompt shows the session's step, tick and breaks before the command; `paxos[..]>` stands for any.
///
/// A block that starts in the middle of a session says how it got there in `<!-- setup: COMMAND; COMMAND -->` on
/// the line before its fence. A block that cannot run here says why in `<!-- unchecked: REASON -->` there.
@Suite struct DocTranscriptTests {
    static let root = DocsTests.root

    /// The README and every page of `Docs/`, in name order.
    static func documents() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Docs").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "Docs/\($0)" }
        return ["README.md"] + docs
    }

    struct Block {
        let file: String
        /// The line of the opening fence, from 1.
        let line: Int
        /// The block's lines, each with its line number in the file.
        let body: [(number: Int, text: String)]
        let setup: [String]
        let unchecked: String?
        var place: String { "\(file):\(line)" }
    }

    static var promptPattern: Regex<(Substring, Substring, Substring)> { /^(paxos\[[^\]]*\]>) (.*)$/ }

    static func isCommand(_ text: String) -> Bool {
        text.wholeMatch(of: promptPattern) != nil || text.hasPrefix("$ ")
    }

    /// The ```text blocks of `text` that hold a transcript, with the marker on the line before each.
    static func blocks(in text: String, file: String) -> [Block] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            let fence = lines[index]
            let indent = fence.prefix { $0 == " " }.count
            guard fence.dropFirst(indent).hasPrefix("```") else { index += 1; continue }
            let isText = fence.dropFirst(indent) == "```text"
            var body: [(Int, String)] = []
            var end = index + 1
            while end < lines.count, !lines[end].drop(while: { $0 == " " }).hasPrefix("```") {
                body.append((end + 1, String(lines[end].dropFirst(min(indent, lines[end].prefix { $0 == " " }.count)))))
                end += 1
            }
            if isText, body.contains(where: { isCommand($0.1) }) {
                let marker = index > 0 ? lines[index - 1].trimmingCharacters(in: .whitespaces) : ""
                blocks.append(Block(file: file, line: index + 1, body: body,
                                    setup: field("setup", of: marker)?.split(separator: ";")
                                        .map { $0.trimmingCharacters(in: .whitespaces) } ?? [],
                                    unchecked: field("unchecked", of: marker)))
            }
            index = end + 1
        }
        return blocks
    }

    /// `VALUE` of a marker `<!-- NAME: VALUE -->`.
    static func field(_ name: String, of marker: String) -> String? {
        let open = "<!-- \(name):", close = "-->"
        guard marker.hasPrefix(open), marker.hasSuffix(close) else { return nil }
        return marker.dropFirst(open.count).dropLast(close.count).trimmingCharacters(in: .whitespaces)
    }

    /// One command of a transcript and the lines the block shows under it.
    struct Entry {
        enum Kind: Equatable { case launch, repl(prompt: String), shell }
        let kind: Kind
        let command: String
        let line: Int
        var shown: [String] = []
    }

    static func entries(of block: Block) throws -> [Entry] {
        var entries: [Entry] = []
        for (number, text) in block.body {
            if let match = text.wholeMatch(of: promptPattern) {
                entries.append(Entry(kind: .repl(prompt: String(match.1)), command: String(match.2), line: number))
            } else if text.hasPrefix("$ ") {
                let command = withoutComment(String(text.dropFirst(2)))
                let launch = command == "paxos-playground" || command == "swift run paxos-playground"
                entries.append(Entry(kind: launch ? .launch : .shell, command: command, line: number))
            } else if entries.isEmpty {
                throw Failure("\(block.file):\(number): output before any command: \(text)")
            } else {
                entries[entries.count - 1].shown.append(text)
            }
        }
        return entries
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// `command` without a trailing `# comment` (a `#` word after a space).
    static func withoutComment(_ command: String) -> String {
        guard let range = command.range(of: " #") else { return command }
        return command[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
    }

    /// Whether `printed` is what `shown` shows: line for line, trailing spaces aside, `...` for any run of lines.
    static func matches(_ shown: some Collection<String>, _ printed: some Collection<String>) -> Bool {
        guard let first = shown.first else { return printed.isEmpty }
        let rest = shown.dropFirst()
        if ["...", "…"].contains(first.trimmingCharacters(in: .whitespaces)) {
            return printed.indices.contains { matches(rest, printed[$0...]) } || matches(rest, printed.prefix(0))
        }
        guard let line = printed.first, trimmed(line) == trimmed(first) else { return false }
        return matches(rest, printed.dropFirst())
    }

    static func trimmed(_ line: String) -> Substring {
        line[..<(line.lastIndex { $0 != " " }.map { line.index(after: $0) } ?? line.startIndex)]
    }

    static func isError(_ line: String) -> Bool {
        line.hasPrefix("error:") || line.hasPrefix("Error:") || line.contains(": error: ")
    }

    /// Runs `block` and returns what disagrees with it, one line per command.
    static func check(_ block: Block, in directory: URL) throws -> [String] {
        var problems: [String] = []
        var printed: [String] = []
        var session: Session?
        func fresh() -> Session {
            let made = Session(options: SessionOptions(), write: { printed.append(contentsOf: $0.components(separatedBy: "\n")) })
            made.writesFiles = false
            return made
        }
        func compare(_ entry: Entry, _ output: [String]) {
            if entry.shown.isEmpty {
                if let error = output.first(where: isError) {
                    problems.append("\(block.file):\(entry.line): `\(entry.command)` shows no output but prints an error: \(error)")
                }
            } else if !matches(entry.shown, output) {
                problems.append("""
                    \(block.file):\(entry.line): `\(entry.command)` prints
                    \(output.map { "    | \($0)" }.joined(separator: "\n"))
                    but the block shows
                    \(entry.shown.map { "    | \($0)" }.joined(separator: "\n"))
                    """)
            }
        }
        for entry in try entries(of: block) {
            switch entry.kind {
            case .launch:
                session = fresh()
                compare(entry, [])
            case .repl(let prompt):
                let current: Session
                if let session { current = session } else {
                    current = fresh()
                    session = current
                    for command in block.setup {
                        _ = current.execute(command)
                        if let error = printed.first(where: isError) {
                            problems.append("\(block.place): setup `\(command)`: \(error)")
                        }
                    }
                }
                let expected = current.prompt.trimmingCharacters(in: .whitespaces)
                if prompt != "paxos[..]>", prompt != expected {
                    problems.append("\(block.file):\(entry.line): the prompt is \(expected) there, not \(prompt)")
                }
                printed = []
                _ = current.execute(entry.command)
                compare(entry, printed)
            case .shell:
                compare(entry, try shell(entry.command, in: directory, place: "\(block.file):\(entry.line)"))
            }
        }
        return problems
    }

    /// What a documented command line prints (standard output, then standard error), run in `directory`.
    static func shell(_ command: String, in directory: URL, place: String) throws -> [String] {
        var input: String?
        var line = command
        if let pipe = command.range(of: " | ") {
            let printf = /printf '([^']*)'/
            guard let match = command[..<pipe.lowerBound].wholeMatch(of: printf) else {
                throw Failure("\(place): only `printf '…' | paxos-playground …` pipes are run here")
            }
            input = match.1.replacingOccurrences(of: "\\n", with: "\n")
            line = String(command[pipe.upperBound...])
        }
        var words = line.split(separator: " ").map(String.init)
        guard words.first == "paxos-playground" else { throw Failure("\(place): not a paxos-playground command line: \(command)") }
        words.removeFirst()
        let result = try CLITests.playground(words, input: input, directory: directory)
        var lines = (result.stdout + result.stderr).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Every transcript of the docs runs and prints what it shows.
    @Test func everyTranscriptPrintsWhatItShows() throws {
        let directory = try CLITests.scratchDirectoryWithExamples()
        defer { try? FileManager.default.removeItem(at: directory) }
        var problems: [String] = []
        var checked: [String] = [], unchecked: [String] = []
        for file in try Self.documents() {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for block in Self.blocks(in: text, file: file) {
                if let reason = block.unchecked {
                    #expect(!reason.isEmpty, "\(block.place): an unchecked transcript says why")
                    unchecked.append(block.place)
                    continue
                }
                checked.append(block.place)
                problems += try Self.check(block, in: directory)
            }
        }
        #expect(problems.isEmpty, "\(problems.count) disagreements:\n\(problems.joined(separator: "\n"))")
        // The parser finds them all: a block it missed would pass unseen.
        #expect(checked.count == 46, "checked \(checked.count): \(checked)")
        #expect(unchecked.count == 3, "unchecked \(unchecked.count): \(unchecked)")
    }

    @Test func matchingIsLineForLineWithEllipses() {
        #expect(Self.matches(["a", "b"], ["a", "b"]))
        #expect(Self.matches(["a  "], ["a"]))
        #expect(!Self.matches(["a", "b"], ["a", "b", "c"]))
        #expect(!Self.matches(["a", "b"], ["b", "a"]))
        #expect(Self.matches(["a", "...", "d"], ["a", "b", "c", "d"]))
        #expect(Self.matches(["a", "...", "d"], ["a", "d"]))
        #expect(!Self.matches(["a", "...", "d"], ["a", "b", "c"]))
        #expect(Self.matches(["..."], []))
        #expect(Self.matches(["  ..."], ["x", "y"]))
    }

    @Test func markersAndCommandsAreParsed() throws {
        let text = """
            prose
            <!-- setup: cluster 3 leader n1; submit x=1 -->
            ```text
            paxos[1|t0]> step    # a comment
            line one
            ...
            $ paxos-playground run x.pxs   # another
            ```
            <!-- unchecked: needs a Ctrl-C -->
            ```text
            paxos[0|t0]> tick 5
            ```
            ```text
            not a transcript
            ```
            """
        let blocks = Self.blocks(in: text, file: "T.md")
        #expect(blocks.count == 2)
        #expect(blocks.first?.setup == ["cluster 3 leader n1", "submit x=1"])
        #expect(blocks.first?.line == 3)
        #expect(blocks.last?.unchecked == "needs a Ctrl-C")
        let entries = try Self.entries(of: try #require(blocks.first))
        #expect(entries.map(\.command) == ["step    # a comment", "paxos-playground run x.pxs"])
        #expect(entries.first?.shown == ["line one", "..."])
        #expect(entries.first?.kind == .repl(prompt: "paxos[1|t0]>"))
        #expect(entries.last?.kind == .shell)
    }
}
