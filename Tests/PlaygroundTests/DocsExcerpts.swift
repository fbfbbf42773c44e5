import Foundation
@testable import PaxosPlayground

/// The transcript excerpts of `Docs/Phases.md`, cut from the real output of the example scripts so that
/// they cannot drift from what the playground prints.
///
/// A document marks each excerpt with a pair of HTML comments; everything between them is generated:
///
/// ```text
/// <!-- excerpt: 01-happy-path.pxs phase=vote count=2 -->
/// (generated: a fenced block of transcript lines)
/// <!-- /excerpt -->
/// ```
///
/// The script path is relative to `Examples/`. The script runs as `paxos-playground run --no-color` would
/// run it (seed 1, three replicas, `priority` and `sync` until the script says otherwise). Selectors, all
/// optional, narrow down the printed events (an event is its flow line and the `↳` line under it):
///
/// - `from="TEXT"`: start at the first event whose lines contain TEXT;
/// - `phase=NAME`: keep events whose tag or name column is NAME (`vote`, `timeout`, `fault`, `drop`, …);
/// - `contains="TEXT"`: keep events whose lines contain TEXT;
/// - `skip=N`: leave out the first N events kept so far; `count=N`: keep N of them (default 1).
/// - `view=slots` or `view=show`: instead of events, the table that command printed (the `skip`-th one);
/// - `view=jsonl`: instead of events, lines of the run's trace as JSON Lines (`export jsonl`), selected by
///   `contains`, `skip` and `count`.
///
/// Fewer matches than `count` is an error, so an excerpt whose events disappear fails loudly.
/// `Scripts/generate-phases.sh` rewrites the file; `DocsTests` fails when it is stale.
enum DocsExcerpts {
    /// A marker that cannot be read, a script that does not run, or a selection that finds too little.
    struct Failure: Error, CustomStringConvertible, Sendable {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static let open = "<!-- excerpt:"
    static let close = "<!-- /excerpt -->"

    /// `document` with every excerpt regenerated from the scripts under `examples`.
    static func regenerate(_ document: String, examples: URL) throws -> String {
        var cache: [String: [String]] = [:]
        var output: [Substring] = []
        var lines = document.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var lineNumber = 0
        while let line = lines.popFirst() {
            lineNumber += 1
            output.append(line)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(open) else { continue }
            let marker = try Marker(parsing: trimmed, line: lineNumber)
            let openedAt = lineNumber
            var closed = false
            while let inner = lines.popFirst() {
                lineNumber += 1
                if inner.trimmingCharacters(in: .whitespaces) == close {
                    closed = true
                    break
                }
                if inner.trimmingCharacters(in: .whitespaces).hasPrefix(open) {
                    throw Failure("line \(lineNumber): an excerpt opens inside the excerpt of line \(openedAt)")
                }
            }
            guard closed else { throw Failure("line \(openedAt): the excerpt has no \(close) line") }
            let key = marker.view == "jsonl" ? "jsonl " + marker.script : marker.script
            if cache[key] == nil {
                let (printed, trace) = try run(marker.script, examples: examples)
                cache[marker.script] = printed
                cache["jsonl " + marker.script] = trace
            }
            let excerpt = try marker.select(from: cache[key] ?? [], line: openedAt)
            output.append("```text")
            output += excerpt.map { Substring($0) }
            output.append("```")
            output.append(Substring(close))
        }
        return output.joined(separator: "\n")
    }

    /// What `paxos-playground run --no-color Examples/SCRIPT` prints, line by line, trailing blanks removed.
    static func transcript(of script: String, examples: URL) throws -> [String] {
        try run(script, examples: examples).printed
    }

    /// What the script prints (as ``transcript(of:examples:)``) and its trace as JSON Lines, one a line.
    static func run(_ script: String, examples: URL) throws -> (printed: [String], trace: [String]) {
        let url = examples.appendingPathComponent(script)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw Failure("cannot read Examples/\(script)")
        }
        var lines: [String] = []
        let session = Session(options: SessionOptions(), write: { lines.append($0) })
        let exit = ScriptRunner.run(text, name: "Examples/\(script)", in: session)
        guard exit != .scriptError else {
            throw Failure("Examples/\(script) stops on an error: \(lines.last ?? "")")
        }
        let printed = lines.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                var line = Substring(line)
                while line.last == " " { line.removeLast() }
                return String(line)
            }
        return (printed, session.traceJSONLines.split(separator: "\n").map(String.init))
    }

    /// One `<!-- excerpt: ... -->` line.
    struct Marker {
        var script = ""
        var from: String?
        var phase: String?
        var contains: String?
        var skip = 0
        var count = 1
        var view: String?

        init(parsing text: String, line: Int) throws {
            var body = Substring(text.dropFirst(DocsExcerpts.open.count))
            guard body.hasSuffix("-->") else { throw Failure("line \(line): an excerpt marker ends with -->") }
            body = body.dropLast(3)
            let words = try Marker.words(body, line: line)
            guard let first = words.first, !first.contains("=") else {
                throw Failure("line \(line): an excerpt marker starts with the script, e.g. <!-- excerpt: 01-happy-path.pxs phase=vote -->")
            }
            script = first
            for word in words.dropFirst() {
                guard let equals = word.firstIndex(of: "=") else { throw Failure("line \(line): '\(word)' is not KEY=VALUE") }
                let key = String(word[..<equals]), value = String(word[word.index(after: equals)...])
                switch key {
                case "from": from = value
                case "phase": phase = value
                case "contains": contains = value
                case "view":
                    guard ["slots", "show", "jsonl"].contains(value) else {
                        throw Failure("line \(line): view is slots, show or jsonl, not '\(value)'")
                    }
                    view = value
                case "skip", "count":
                    guard let number = Int(value), number >= (key == "count" ? 1 : 0) else {
                        throw Failure("line \(line): \(key) takes a whole number, not '\(value)'")
                    }
                    if key == "skip" { skip = number } else { count = number }
                default:
                    throw Failure("line \(line): unknown selector '\(key)': use from, phase, contains, skip, count or view")
                }
            }
        }

        /// Splits on blanks, keeping "quoted text" together (without the quotes).
        static func words(_ text: Substring, line: Int) throws -> [String] {
            var words: [String] = [], current = "", quoted = false, started = false
            for character in text {
                if character == "\"" {
                    quoted.toggle()
                    started = true
                } else if character == " " && !quoted {
                    if started { words.append(current) }
                    current = ""
                    started = false
                } else {
                    current.append(character)
                    started = true
                }
            }
            guard !quoted else { throw Failure("line \(line): a quote is not closed") }
            if started { words.append(current) }
            return words
        }

        func select(from transcript: [String], line: Int) throws -> [String] {
            if view == "jsonl" { return try traceLines(transcript, line: line) }
            if let view { return try table(view, from: transcript, line: line) }
            var events = DocsExcerpts.events(in: transcript)
            if let from {
                guard let start = events.firstIndex(where: { $0.joined(separator: "\n").contains(from) }) else {
                    throw Failure("line \(line): no event of \(script) contains \"\(from)\"")
                }
                events = Array(events[start...])
            }
            let kept = events.filter { event in
                if let phase {
                    let columns = event[0].split(separator: " ")
                    guard columns.count > 3, columns[2] == phase || columns[3] == phase else { return false }
                }
                if let contains, !event.joined(separator: "\n").contains(contains) { return false }
                return true
            }.dropFirst(skip)
            guard kept.count >= count else {
                throw Failure("line \(line): \(script) prints \(kept.count) matching event\(kept.count == 1 ? "" : "s") after skip=\(skip), the excerpt wants \(count)")
            }
            return kept.prefix(count).flatMap { $0 }
        }

        /// `count` trace lines containing `contains`, after `skip` of them.
        func traceLines(_ trace: [String], line: Int) throws -> [String] {
            let kept = trace.filter { contains.map($0.contains) ?? true }.dropFirst(skip)
            guard kept.count >= count else {
                throw Failure("line \(line): the trace of \(script) has \(kept.count) matching line\(kept.count == 1 ? "" : "s") after skip=\(skip), the excerpt wants \(count)")
            }
            return Array(kept.prefix(count))
        }

        func table(_ view: String, from transcript: [String], line: Int) throws -> [String] {
            let header = view == "slots" ? "   slot " : "replica  role"
            let starts = transcript.indices.filter { transcript[$0].hasPrefix(header) }
            guard starts.count > skip else {
                throw Failure("line \(line): \(script) prints \(starts.count) \(view) table\(starts.count == 1 ? "" : "s"), the excerpt wants number \(skip + 1)")
            }
            let start = starts[skip]
            var end = start
            let last: (String) -> Bool = view == "slots" ? { $0.hasPrefix("  state ") } : { $0.hasPrefix("step ") }
            while end + 1 < transcript.count, !last(transcript[end]) { end += 1 }
            return Array(transcript[start...end])
        }
    }

    /// The transcript's events: a flow line (`  12 t3   §2(3)  vote ...`) and the `↳` lines under it.
    static func events(in transcript: [String]) -> [[String]] {
        var events: [[String]] = []
        for line in transcript {
            if isFlowLine(line) {
                events.append([line])
            } else if line.hasPrefix("      ↳"), !events.isEmpty {
                events[events.count - 1].append(line)
            }
        }
        return events
    }

    static func isFlowLine(_ line: String) -> Bool {
        let columns = line.split(separator: " ", maxSplits: 2)
        guard columns.count == 3, Int(columns[0]) != nil, columns[1].first == "t", Int(columns[1].dropFirst()) != nil else {
            return false
        }
        return true
    }
}
