import PaxosCore
import PaxosSimulation

/// A seeded random-line fuzzer of the command language (Docs/Fuzz.md). It drives one ``Session`` through
/// the REPL's own entry point, ``Session/execute(input:first:)``: every line is bytes, read by the one reader
/// of input and run by the one interpreter. The lines mix valid commands, mutated ones, junk bytes, odd and
/// huge numbers, long words, control characters and `#` in every place; after each line it checks that
///
/// - an error is exactly one line, `error: ...`, with no raw control character in it;
/// - an error changed nothing: the world (as `show`, `pending` and `slots` print it), the history, the trace,
///   the journal, the policies and the quiz are after it as they were before;
/// - no line printed a raw control character.
///
/// A crash ends the process (the command line's `fuzz` reports it); a hang is for the caller to time.
/// The same seed and options give the same lines and the same report.
package struct CommandFuzzer {
    package struct Options: Sendable {
        package var seed: UInt64 = 1
        package var lines = 1_000
        /// The largest count, tick or timeout a generated command may carry (`tick`, `step`, `run for`,
        /// `undo`, `set batch|window|heartbeat|timeout`; `explore` at most 3 deep; `check` not at all). The
        /// limits (``Limits``) bound every count at parse time, but a line at a limit still runs long in a
        /// debug build (`tick 100000`, a `check` of up to 500,000 states): a line that would parse to one
        /// past these bounds is not run but generated again (``Report/regenerated``), so that 100,000 lines
        /// take minutes. Off with `wideNumbers`.
        package var maxCount = 50
        /// Runs every line the parser takes, whatever its counts, up to the limits (slow: see `maxCount`).
        package var wideNumbers = false
        /// Starts a fresh session after this many lines, so that no session grows without end (`compare`
        /// replays all of it).
        package var sessionLines = 200

        package init() {}
    }

    /// Something a line did that it must not.
    package struct Finding: Hashable, Sendable, CustomStringConvertible {
        package let line: Int
        package let text: String
        package let problem: String
        package var description: String { "line \(line) `\(text)`: \(problem)" }
    }

    package struct Report: Equatable, Sendable {
        package var lines = 0
        package var ran = 0
        package var expectFailed = 0
        package var quits = 0
        package var errors = 0
        /// Errors by kind (``kind(of:)``), most frequent first, then by name.
        package var errorKinds: [(kind: String, count: Int)] { kinds.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) } }
        package var findings: [Finding] = []
        /// Lines generated again because they would have run past the bounds (``Options/maxCount``).
        package var regenerated = 0
        /// Lines generated in each category.
        package var categories: [String: Int] = [:]
        var kinds: [String: Int] = [:]

        /// The figures, as `paxos-playground fuzz` prints them (Docs/Fuzz.md).
        package var summary: [String] {
            var text = [
                "lines      \(lines) (\(Self.categoryNames.map { "\(categories[$0, default: 0]) \($0)" }.joined(separator: ", ")))",
                "ran        \(ran) (\(ran - expectFailed - quits) ok, \(expectFailed) expect failed, \(quits) quit)",
                "errors     \(errors), each one line, with the state unchanged after it"
                    + (findings.isEmpty ? "" : " except as the findings say"),
                "regenerated \(counted(regenerated, "line")) that would have run past the bounds (Docs/Fuzz.md)",
                "errors by kind:",
            ]
            text += errorKinds.map { "  \(String($0.count).leftPadded(7))  \($0.kind)" }
            text.append("findings   \(findings.count)")
            text += findings.prefix(20).map { "  \($0)" }
            return text
        }

        static let categoryNames = ["valid", "mutated", "junk", "numbers", "long", "control", "comment"]
    }

    package let options: Options
    private var random: SplitMix64

    package init(_ options: Options) {
        self.options = options
        random = SplitMix64(seed: options.seed)
    }

    /// Generates and runs `options.lines` lines; `before` sees each line (its number and bytes) before it
    /// runs, `after` when it has run.
    package mutating func run(before: (Int, [UInt8]) -> Void = { _, _ in }, after: (Int) -> Void = { _ in }) -> Report {
        var report = Report()
        var output: [String] = []
        var sessionOptions = SessionOptions()
        sessionOptions.seed = options.seed
        var session = Session(options: sessionOptions, write: { output.append($0) })
        for number in 1...max(1, options.lines) {
            if number % options.sessionLines == 1 || options.sessionLines == 1 {
                session = Session(options: sessionOptions, write: { output.append($0) })
                session.writesFiles = false
            }
            let (category, line) = nextLine()
            report.lines += 1
            report.categories[category, default: 0] += 1
            output = []
            let snapshot = session.snapshot
            before(number, line)
            let outcome = session.execute(input: line)
            after(number)
            let shown = InputText.escaped(String(decoding: line.prefix(200), as: UTF8.self))
            func finding(_ problem: String) {
                report.findings.append(Finding(line: number, text: shown, problem: problem))
            }
            if output.contains(where: { $0.unicodeScalars.contains { $0 != "\n" && InputText.isUnsafe($0) } }) {
                finding("printed a raw control character")
            }
            switch outcome {
            case .error(let message):
                report.errors += 1
                report.kinds[Self.kind(of: message), default: 0] += 1
                if output.count != 1 || output[0].contains("\n") || !output[0].hasPrefix("error: ") {
                    finding("an error printed \(output.count) writes, not one line: \(InputText.escaped(output.joined(separator: "⏎")).prefix(300))")
                }
                let changed = session.differences(snapshot, session.snapshot)
                if !changed.isEmpty { finding("an error changed the state: \(changed.joined(separator: ", "))") }
            case .interrupted:
                finding("stopped as if by Ctrl-C, which nobody pressed")
            case .ok, .expectFailed, .quit:
                report.ran += 1
                if outcome == .expectFailed { report.expectFailed += 1 }
                if outcome == .quit { report.quits += 1 }
            }
        }
        report.regenerated = regenerated
        return report
    }

    /// `unknown command '…'`, `'…' is not a number`, `N is out of range`: an error message without what
    /// varies (quoted words, numbers, paths, escaped characters), cut at its first `:` or ` (` outside quotes.
    /// A quote opens at the start of a word and closes before a blank, `:`, `,`, `?`, `)` or the end, so that
    /// a quoted word may hold quotes.
    package static func kind(of message: String) -> String {
        if message.hasPrefix("cannot write ") { return "cannot write PATH" }
        let characters = Array(message)
        var kind = ""
        var quoted = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let previous: Character = index > 0 ? characters[index - 1] : " "
            let next: Character = index + 1 < characters.count ? characters[index + 1] : " "
            index += 1
            if quoted {
                if character == "'", " :,?)".contains(next) {
                    quoted = false
                    kind += "'"
                }
            } else if character == "'", " (".contains(previous) {
                quoted = true
                kind += "'…"
            } else if character == ":" || (character == " " && next == "(") {
                break
            } else if character == "\\", next == "u" {
                kind += "\\u{…}"
                while index < characters.count, characters[index] != "}" { index += 1 }
                index += 1
            } else if character == "-", next.isASCII, next.isNumber, previous == " " {
                continue
            } else if character.isASCII, character.isNumber,
                      previous != "-" || index < 3 || characters[index - 3] == " " || kind.hasSuffix("N") {
                if !kind.hasSuffix("N") { kind += "N" }
            } else {
                kind.append(character)
            }
        }
        return kind
    }

    // MARK: - Lines

    private var regenerated = 0

    /// The next line and its category; a line that carries a count above the bound is generated again.
    mutating func nextLine() -> (String, [UInt8]) {
        while true {
            let (category, line) = anyLine()
            if options.wideNumbers || isBounded(line) { return (category, line) }
            regenerated += 1
        }
    }

    private mutating func anyLine() -> (String, [UInt8]) {
        let roll = random.next(below: 100)
        switch roll {
        case 0..<42: return ("valid", Array(validCommand().utf8))
        case 42..<66: return ("mutated", mutated(Array(validCommand().utf8)))
        case 66..<74: return ("junk", junk())
        case 74..<82: return ("numbers", Array(oddNumbers().utf8))
        case 82..<87: return ("long", Array(longWords().utf8))
        case 87..<94: return ("control", controlled())
        default: return ("comment", Array(comment().utf8))
        }
    }

    /// Whether the line, if it parses, carries no count above the bound (see ``Options/maxCount``).
    func isBounded(_ line: [UInt8]) -> Bool {
        guard let text = try? InputText.line(line, first: false),
              let command = try? CommandParser.parse(text) else { return true }
        let bound = options.maxCount
        switch command {
        case .tick(let n), .step(let n), .undo(let n): return n <= bound
        case .run(.ticks(let n)): return n <= bound
        case .explore(let depth): return depth <= 3
        case .check: return false
        case .set(.batch(let n)), .set(.window(let n)), .set(.heartbeat(let n)), .set(.timeout(let n)): return n <= bound
        default: return true
        }
    }

    private mutating func pick<T>(_ values: [T]) -> T {
        values[random.next(below: values.count)]
    }

    private mutating func number(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + random.next(below: range.upperBound - range.lowerBound + 1)
    }

    private mutating func replica() -> String { "n\(number(1...9))" }
    private mutating func count() -> Int { number(1...max(1, options.maxCount / 5)) }
    private mutating func messageID() -> String { (random.next(below: 4) == 0 ? "#" : "") + String(number(1...60)) }
    private mutating func word() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.éπ😀")
        return String((0..<number(1...6)).map { _ in letters[random.next(below: letters.count)] })
    }
    private mutating func record() -> String {
        "\(pick(["x", "y", "z", word()]))=\(random.next(below: 5) == 0 ? "" : random.next(below: 6) == 0 ? "#" + word() : word())"
    }

    /// A command as a user would type it, with small counts.
    mutating func validCommand() -> String {
        let names = Help.commandNames
        switch random.next(below: 60) {
        case 0..<8: return "submit " + (0..<number(1...3)).map { _ in record() }.joined(separator: " ")
        case 8..<16: return random.next(below: 3) == 0 ? "step" : "step \(count())"
        case 16..<22: return "\(pick(["deliver", "deliver", "drop", "duplicate"])) \(messageID())"
        case 22..<26: return random.next(below: 3) == 0 ? "tick" : "tick \(count())"
        case 26..<29: return "run " + pick(["", "until leader", "until converged", "until quiet", "until committed \(number(0...5))",
                                            "until applied \(replica()) \(number(0...5))", "for \(count())"])
        case 29..<31: return "cluster \(number(1...5))" + (random.next(below: 2) == 0 ? " leader n\(number(1...3))" : "")
        case 31: return "\(pick(["crash", "restart", "timeout", "apply", "log", "data"])) \(replica())"
        case 32: return pick(["partition n1 | n2 n3", "partition n1 n2 | n3", "partition n1|n2|n3", "heal", "cut n1 n2", "uncut n1 n2", "cut n2 n3"])
        case 33: return "expect " + pick(["leader \(replica())", "committed \(number(0...5))", "applied \(replica()) \(number(0...5))",
                                          "data \(replica()) \(record())", "invariants", "converged"])
        case 34: return "election " + pick(["priority", "longest-term", "randomized", word()])
        case 35: return "commit " + pick(["sync", "async", word()])
        case 36: return "set " + pick(["batch \(count())", "window \(count())", "heartbeat \(count())", "timeout \(count())",
                                       "recovery on", "recovery off", "break \(pick(ProtocolBreak.allCases).name)", "break off", "break list"])
        case 37: return "priority \(replica()) \(number(-20...20))"
        case 38: return "undo" + (random.next(below: 2) == 0 ? "" : " \(count())")
        case 39: return "explore \(number(1...2))"
        case 40: return "check transactions 0 elections 0 ticks \(number(0...1))"
        case 41: return "compare " + pick(["priority randomized", "longest-term priority", "sync async", "priority sync"])
        case 42: return "quiz " + pick(["on", "off"])
        case 43: return "export \(pick(["mermaid", "html", "jsonl"])) \(pick(["fuzz-out", "/nonexistent/dir", "/", "."]))/\(word()).out"
        case 44: return "view " + pick(["full", "compact"])
        case 45: return "help" + (random.next(below: 2) == 0 ? "" : " \(pick(names))")
        case 46: return pick(["quit", "exit"])
        default: return pick(["show", "pending", "slots", "history", "explain", "policies", "show", "pending"])
        }
    }

    /// `line` with one to three random edits: a byte inserted, deleted or replaced, a word doubled or two
    /// swapped, the line cut short.
    mutating func mutated(_ line: [UInt8]) -> [UInt8] {
        var line = line
        for _ in 0..<number(1...3) {
            let at = line.isEmpty ? 0 : random.next(below: line.count + 1)
            switch random.next(below: 6) {
            case 0: line.insert(pick(Self.edits), at: at)
            case 1: if at < line.count { line.remove(at: at) }
            case 2: if at < line.count { line[at] = pick(Self.edits) }
            case 3:
                var words = line.split(separator: 0x20).map(Array.init)
                if !words.isEmpty {
                    let k = random.next(below: words.count)
                    words.insert(words[k], at: k)
                    line = Array(words.joined(separator: [0x20]))
                }
            case 4:
                var words = line.split(separator: 0x20).map(Array.init)
                if words.count > 1 {
                    words.swapAt(random.next(below: words.count), random.next(below: words.count))
                    line = Array(words.joined(separator: [0x20]))
                }
            default: line = Array(line.prefix(at))
            }
        }
        return line
    }

    static let edits: [UInt8] = Array("0123456789 #|=-n.xX\t".utf8) + [0x00, 0x07, 0x1B, 0x0D, 0x7F, 0xC3, 0xE9, 0xFF, 0x80]

    /// Random bytes: anything, UTF-8 or not.
    mutating func junk() -> [UInt8] {
        (0..<number(0...80)).map { _ in
            random.next(below: 3) == 0 ? UInt8(truncatingIfNeeded: random.next()) : UInt8(number(0x20...0x7E))
        }
    }

    /// A command with a number that is huge, negative, signed, hex, a float, in other digits, or padded.
    mutating func oddNumbers() -> String {
        let odd = pick(["99999999999999999999", "-1", "-0", "+3", "0x10", "1e3", "3.5", "٣", "00000000000000000000000000007",
                        "9223372036854775808", "-9223372036854775809", "18446744073709551616", String(repeating: "9", count: 400),
                        "9223372036854775807", "4611686018427387904", "1000000000", "-4611686018427387904", "0", "", "1_000"])
        return pick(["tick", "step", "undo", "deliver", "drop", "duplicate", "explore", "cluster", "set timeout", "set heartbeat",
                     "set batch", "set window", "priority n1", "run for", "run until committed", "expect committed",
                     "expect applied n1", "check ticks", "check transactions"]) + " " + odd
    }

    /// A word hundreds or thousands of characters long, or a line of many words.
    mutating func longWords() -> String {
        let length = number(100...1_000)
        switch random.next(below: 4) {
        case 0: return String(repeating: pick(["a", "x", "stepp", "é", "😀"]), count: length)
        case 1: return "submit " + String(repeating: "k", count: length) + "=" + String(repeating: "v", count: length / 2)
        case 2: return "set break " + String(repeating: "no-catch-up", count: length / 11)
        default: return "show " + Array(repeating: "n1", count: length / 3).joined(separator: " ")
        }
    }

    /// A valid command with a control, direction or invisible character put in it.
    mutating func controlled() -> [UInt8] {
        var line = Array(validCommand().utf8)
        let inserted: [UInt8] = Array(pick(["\u{1B}[31m", "\u{1B}[2J", "\u{07}", "\u{00}", "\u{08}", "\u{0D}", "\u{7F}", "\u{85}",
                                            "\u{202E}", "\u{2066}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{0B}", "\u{0C}"]).utf8)
        line.insert(contentsOf: inserted, at: random.next(below: line.count + 1))
        return line
    }

    /// `#` as a comment, an id and part of a value, in every place.
    mutating func comment() -> String {
        pick(["# a comment", "#", "##", "#12", "   # indented", "show # \(word())", "show #\(word())", "deliver #\(number(1...40))",
              "drop #\(number(1...40)) # and a comment", "submit x=#\(number(1...9))", "submit #x=1", "submit x=1#2 y=#",
              "expect data n1 x=#\(number(1...9))", "step #3", "tick#2", "deliver ##3", "deliver #", "#deliver 3",
              "submit x=\(word())#\(word()) # note"])
    }
}

extension Session {
    /// What a command that fails must not change, taken cheaply (the values are copied on write): the
    /// world, the commands and history, the trace, the journal undo replays, the policies and the quiz.
    struct Snapshot {
        let simulation: Simulation
        let history: [String]
        let journal: [JournalEntry]
        let trace: Int
        let failedExpectations: Int
        let policies: [String]
        let quiz: Bool
    }

    var snapshot: Snapshot {
        Snapshot(simulation: simulation, history: history, journal: journal, trace: trace.count,
                 failedExpectations: failedExpectations, policies: [electionName, commitName], quiz: quiz.isOn)
    }

    /// The parts of `snapshot` that differ from `other`, the world compared by what `show`, `pending` and
    /// `slots` print; empty when none does.
    func differences(_ snapshot: Snapshot, _ other: Snapshot) -> [String] {
        func views(_ s: Simulation) -> [String] {
            [Views.show(s), Views.pending(s, renderer: renderer), Views.slots(s)]
        }
        let parts: [(String, Bool)] = [
            ("history", snapshot.history == other.history), ("journal", snapshot.journal == other.journal),
            ("trace", snapshot.trace == other.trace), ("expectations", snapshot.failedExpectations == other.failedExpectations),
            ("policies", snapshot.policies == other.policies), ("quiz", snapshot.quiz == other.quiz),
            ("show, pending or slots", views(snapshot.simulation) == views(other.simulation)),
        ]
        return parts.filter { !$0.1 }.map(\.0)
    }
}
