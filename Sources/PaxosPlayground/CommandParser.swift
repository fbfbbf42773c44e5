import PaxosChecker
import PaxosCore
import PaxosSimulation

/// Parses one line of the command language (Docs/REPL.md, "The language"): words split by blanks; a word
/// that starts with `#` starts a comment, unless it is a message id (`#12`); a blank line is no command.
package enum CommandParser {
    package static func parse(_ line: String) throws(CommandError) -> Command? {
        let length = line.count
        guard length <= Limits.lineCharactersMax else {
            throw CommandError("a line takes at most \(Limits.lineCharactersMax) characters (got \(length))")
        }
        if let unsafe = InputText.firstUnsafe(in: line) {
            throw CommandError("\(unsafe.kind) \(InputText.escaped(String(unsafe.scalar))) at column \(unsafe.column): commands are plain text; retype the line without it")
        }
        let words = words(line)
        // A space other than the plain one (a no-break space pasted from a slide, say) would hide inside a
        // word: `submit x=1<U+00A0>y=2` would set x to "1 y=2". Comments may hold one: the words come first
        // in the line, so the line's first such space is in a word if any word holds one.
        if words.contains(where: { $0.unicodeScalars.contains(where: \.properties.isWhitespace) }),
           let (column, scalar) = line.unicodeScalars.enumerated().first(where: { $0.element.properties.isWhitespace && $0.element != " " && $0.element != "\t" }) {
            throw CommandError("a space that is not a plain space, \\u{\(String(scalar.value, radix: 16, uppercase: true))}, at column \(column + 1): type a plain space")
        }
        guard let name = words.first else { return nil }
        var args = Arguments(command: name, words: Array(words.dropFirst()))
        let command = try parse(name, &args)
        try args.finish()
        return command
    }

    /// The words of `line`, split by spaces and tabs, up to the comment: a line whose first word starts
    /// with `#` is all comment; after the command name, the first word that starts with `#` and is not `#`
    /// and digits only (a message id, `deliver #12`). A `#` inside a word is part of it (`submit x=#1`).
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if word.first == "#", words.isEmpty || !isMessageID(word) { break }
            words.append(String(word))
        }
        return words
    }

    /// `#12`: `#` and digits only.
    static func isMessageID(_ word: Substring) -> Bool {
        word.count > 1 && word.dropFirst().allSatisfy { ("0"..."9").contains($0) }
    }

    private static func parse(_ name: String, _ a: inout Arguments) throws(CommandError) -> Command {
        switch name {
        case "cluster":
            let count = try a.optionalNumber("N", .replicas) ?? 3
            var leader: ReplicaID?
            if a.peek == "leader" {
                a.skip()
                leader = try a.replica()
                guard let leader, leader.number <= count else {
                    throw CommandError("cluster \(count) has n1..n\(count): the leader must be one of them")
                }
            }
            return .cluster(replicas: count, leader: leader)
        case "election": return .election(try a.word("NAME", "a policy name (see policies)"))
        case "commit": return .commit(try a.word("NAME", "a policy name (see policies)"))
        case "policies": return .policies
        case "priority": return .priority(try a.replica(), try a.number("P", .priority))
        case "set":
            guard a.peek == "break" else { return .set(try setting(&a)) }
            a.skip()
            if a.isEmpty { return .breaks }
            if a.peek == "list" {
                a.skip()
                return .breaks
            }
            return .set(try protocolBreak(&a))
        case "submit":
            guard !a.isEmpty else { throw CommandError("submit needs at least one K=V, e.g. submit x=1 y=2") }
            guard a.words.count <= Limits.submitRecordsMax else {
                throw CommandError("submit takes at most \(Limits.submitRecordsMax) K=V at a time (got \(a.words.count))")
            }
            var records: [RedoRecord] = []
            while let word = a.next() {
                guard let record = RedoRecord(parsing: word) else {
                    throw CommandError("'\(word)' is not K=V: submit takes key=value pairs, e.g. submit x=1")
                }
                try checkLengths(key: record.key, value: record.value, command: "submit")
                records.append(record)
            }
            return .submit(records)
        case "pending": return .pending
        case "step": return .step(try a.optionalNumber("N", .steps) ?? 1)
        case "deliver": return .deliver(try a.messageID())
        case "drop": return .drop(try a.messageID())
        case "duplicate": return .duplicate(try a.messageID())
        case "apply": return .apply(try a.replica())
        case "tick": return .tick(try a.optionalNumber("N", .ticks) ?? 1)
        case "run": return .run(try runCondition(&a))
        case "crash": return .crash(try a.replica())
        case "restart": return .restart(try a.replica())
        case "partition":
            var groups: [[ReplicaID]] = [[]]
            while let word = a.next() {
                if word == "|" {
                    groups.append([])
                } else {
                    for part in word.split(separator: "|", omittingEmptySubsequences: false).enumerated() {
                        if part.offset > 0 { groups.append([]) }
                        if !part.element.isEmpty { groups[groups.count - 1].append(try Arguments.replica(String(part.element))) }
                    }
                }
            }
            // One group (or none), or an empty one, is the session's to judge: it knows the cluster the rest
            // would form, and the example to give.
            return .partition(groups.count == 1 && groups[0].isEmpty ? [] : groups)
        case "heal": return .heal
        case "cut": return .cut(try a.replica(), try a.replica())
        case "uncut": return .uncut(try a.replica(), try a.replica())
        case "timeout": return .timeout(try a.replica())
        case "show": return .show
        case "log": return .log(try a.replica())
        case "data": return .data(try a.replica())
        case "slots": return .slots
        case "explore": return .explore(try a.number("K", .exploreDepth))
        case "check":
            var budgets = CheckBudgets()
            var first = true
            while let what = a.next() {
                defer { first = false }
                if first, let preset = CheckPreset(rawValue: what) {
                    budgets.preset = preset
                    continue
                }
                if CheckPreset(rawValue: what) != nil {
                    if let preset = budgets.preset, preset.rawValue == what {
                        throw CommandError("check takes one preset ('\(what)' is given twice): check\(budgets.words)")
                    }
                    if let preset = budgets.preset {
                        throw CommandError("check takes one preset: '\(preset.rawValue)' or '\(what)', not both")
                    }
                    throw CommandError("the preset '\(what)' comes first, before any budget: check \(what)\(budgets.words)")
                }
                if what == CheckBudgets.suspicionName {
                    let values = CheckerConfiguration.Suspicion.allCases.map(\.rawValue)
                    let value = try a.word("WHEN", values.joined(separator: " or "))
                    guard let suspicion = CheckerConfiguration.Suspicion(rawValue: value) else {
                        let suggestion = Help.closest(to: value, among: values).map { "did you mean '\($0)'? " } ?? ""
                        throw CommandError("unknown suspicion '\(value)': \(suggestion)check takes suspicion \(values.joined(separator: " or "))")
                    }
                    if let earlier = budgets.suspicion {
                        throw CommandError("check gives suspicion twice (\(earlier.rawValue), then \(value)): give it once")
                    }
                    budgets.suspicion = suspicion
                    continue
                }
                guard CheckBudgets.names.contains(what) else {
                    let presets = CheckPreset.allCases.map(\.rawValue)
                    let known = (first ? presets : []) + CheckBudgets.names + [CheckBudgets.suspicionName]
                    let suggestion = Help.closest(to: what, among: known).map { "did you mean '\($0)'? " } ?? ""
                    let presetNote = first ? "a preset (\(presets.joined(separator: ", "))) and then " : ""
                    throw CommandError("unknown budget '\(what)': \(suggestion)check takes \(presetNote)\(CheckBudgets.names.joined(separator: ", ")), each with a number, and suspicion any|leader-down")
                }
                let value = try a.number("N", CheckBudgets.bound(what))
                if let earlier = budgets[what] {
                    throw CommandError("check gives \(what) twice (\(earlier), then \(value)): give each budget once")
                }
                budgets[what] = value
            }
            return .check(budgets)
        case "quiz":
            return .quiz(try a.onOff())
        case "compare": return .compare(try a.word("POLICY", "two policy names"), try a.word("POLICY", "two policy names"))
        case "undo": return .undo(try a.optionalNumber("N", .undo) ?? 1)
        case "history": return .history
        case "explain": return .explain
        case "expect": return .expect(try expectation(&a))
        case "view": return .view(try flowView(&a))
        case "lanes": return .lanes(try a.optionalNumber("N", .lanes) ?? 20)
        case "export":
            let formatWord = try a.word("FORMAT", "mermaid, html or jsonl")
            guard let format = ExportFormat(rawValue: formatWord) else {
                throw CommandError("unknown export format '\(formatWord)': use export mermaid|html|jsonl FILE")
            }
            let file = try a.word("FILE", "a file name")
            if file.first == "\"" || file.first == "'" {
                throw CommandError("export takes the file name as written, without quotes, and a name without spaces (export \(formatWord) run.\(format == .mermaid ? "mmd" : formatWord))")
            }
            return .export(format, file)
        case "help": return .help(a.next())
        case "web":
            guard let what = a.next() else { return .web(.status) }
            switch what {
            case "on": return .web(.on(port: try a.optionalNumber("PORT", .webPort)))
            case "off": return .web(.off)
            default: throw CommandError("web takes on [PORT] or off (got '\(what)'): web on 8080 serves the live page on port 8080")
            }
        case "quit", "exit": return .quit
        default:
            let suggestion = Help.closest(to: name).map { "did you mean '\($0)'? " } ?? ""
            throw CommandError("unknown command '\(name)': \(suggestion)type help for the list of commands")
        }
    }

    private static func setting(_ a: inout Arguments) throws(CommandError) -> Setting {
        let what = try a.word("NAME", "batch, window, heartbeat, timeout, recovery or break")
        switch what {
        case "batch": return .batch(try a.number("N", .batch, for: "set batch"))
        case "window": return .window(try a.number("N", .window, for: "set window"))
        case "heartbeat": return .heartbeat(try a.number("T", .heartbeat, for: "set heartbeat"))
        case "timeout": return .timeout(try a.number("T", .timeout, for: "set timeout"))
        case "recovery": return .recovery(try a.onOff("set recovery"))
        default:
            let suggestion = Help.closest(to: what, among: ["batch", "window", "heartbeat", "timeout", "recovery", "break"])
                .map { "did you mean '\($0)'? " } ?? ""
            throw CommandError("unknown setting '\(what)': \(suggestion)use set batch|window|heartbeat|timeout N, set recovery on|off, or set break NAME|off")
        }
    }

    /// `set break NAME|off` (after `set break`).
    private static func protocolBreak(_ a: inout Arguments) throws(CommandError) -> Setting {
        let name = try a.word("NAME", "a protocol break, or off")
        if name == "off" { return .breaksOff }
        guard let bug = ProtocolBreak(name: name) else {
            let names = ProtocolBreak.allCases.map(\.name)
            let suggestion = Help.closest(to: name, among: names).map { "did you mean '\($0)'? " } ?? ""
            throw CommandError("unknown protocol break '\(name)': \(suggestion)set break lists them")
        }
        return .breakOn(bug)
    }

    /// `view full|compact|phases P,P,...` (phase names as the trace's, split by commas or spaces).
    private static func flowView(_ a: inout Arguments) throws(CommandError) -> FlowView {
        let what = try a.word("full|compact|phases", "full, compact or phases P,P,...")
        switch what {
        case "full": return .full
        case "compact": return .compact
        case "phases":
            let names = a.words.flatMap { $0.split(separator: ",").map(String.init) }
            a.words = []
            let known = Phase.allCases.map(\.rawValue).joined(separator: ", ")
            guard !names.isEmpty else { throw CommandError("view phases needs phase names, e.g. view phases propose,vote; phases are \(known)") }
            var chosen = Set<Phase>()
            for name in names {
                guard let phase = Phase(rawValue: name) else {
                    throw CommandError("unknown phase '\(name)': phases are \(known)")
                }
                chosen.insert(phase)
            }
            return .phases(Phase.allCases.filter { chosen.contains($0) })
        default:
            let suggestion = Help.closest(to: what, among: ["full", "compact", "phases"]).map { "did you mean '\($0)'? " } ?? ""
            throw CommandError("unknown view '\(what)': \(suggestion)use view full, view compact or view phases P,P,...")
        }
    }

    private static func runCondition(_ a: inout Arguments) throws(CommandError) -> RunCondition {
        guard let first = a.next() else { return .quiet }
        if first == "for" { return .ticks(try a.number("T", .runTicks, for: "run for")) }
        guard first == "until" else {
            if ["leader", "committed", "applied", "converged", "quiet"].contains(first) {
                throw CommandError("a condition of run comes after until: run until \(first)\(first == "quiet" ? " (or plain run)" : "")")
            }
            throw CommandError("run takes 'for T' or 'until leader|committed I|applied nK I|converged|quiet', not '\(first)'")
        }
        let what = try a.word("CONDITION", "leader, committed I, applied nK I, converged or quiet")
        switch what {
        case "leader": return .leader
        case "quiet": return .quiet
        case "converged": return .converged
        case "committed": return .committed(try a.number("I", .logIndex, for: "run until committed"))
        case "applied": return .applied(try a.replica(), try a.number("I", .logIndex, for: "run until applied"))
        default: throw CommandError("unknown condition '\(what)': run until leader|committed I|applied nK I|converged|quiet")
        }
    }

    /// A key and a value within ``Limits/keyCharactersMax`` and ``Limits/valueCharactersMax``.
    private static func checkLengths(key: String, value: String, command: String) throws(CommandError) {
        let (keyLength, valueLength) = (key.count, value.count)
        guard keyLength <= Limits.keyCharactersMax else {
            throw CommandError("\(command) takes keys of at most \(Limits.keyCharactersMax) characters (got \(keyLength))")
        }
        guard valueLength <= Limits.valueCharactersMax else {
            throw CommandError("\(command) takes values of at most \(Limits.valueCharactersMax) characters (got \(valueLength))")
        }
    }

    private static func expectation(_ a: inout Arguments) throws(CommandError) -> Expectation {
        let what = try a.word("WHAT", "leader, committed, applied, data, invariants or converged")
        switch what {
        case "leader": return .leader(try a.replica())
        case "committed": return .committed(try a.number("I", .logIndex, for: "expect committed"))
        case "applied": return .applied(try a.replica(), try a.number("I", .logIndex, for: "expect applied"))
        case "data":
            let replica = try a.replica()
            let pair = try a.word("K=V", "K=V, or K= for absent")
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CommandError("'\(pair)' is not K=V: expect data nK K=V (K= for absent)")
            }
            let (key, value) = (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
            try checkLengths(key: key, value: value, command: "expect data")
            return .data(replica, key: key, value: value)
        case "invariants": return .invariants
        case "converged": return .converged
        default:
            throw CommandError("unknown expectation '\(what)': expect leader|committed|applied|data|invariants|converged")
        }
    }
}

/// The words after a command name, consumed left to right.
struct Arguments {
    let command: String
    var words: [String]

    init(command: String, words: [String]) {
        self.command = command
        self.words = words
    }

    var isEmpty: Bool { words.isEmpty }
    var peek: String? { words.first }
    mutating func skip() { words.removeFirst() }

    mutating func next() -> String? {
        words.isEmpty ? nil : words.removeFirst()
    }

    mutating func word(_ name: String, _ what: String) throws(CommandError) -> String {
        guard let word = next() else { throw CommandError("\(command) needs \(name): \(what) (see help \(command))") }
        return word
    }

    /// A whole number within `bound`; `what` names the command in errors (`set timeout`), by default the
    /// command itself.
    mutating func number(_ name: String, _ bound: Limits.Bound, for what: String? = nil) throws(CommandError) -> Int {
        let text = try word(name, "a number")
        return try Arguments.number(text, name: name, command: what ?? command, bound: bound)
    }

    mutating func optionalNumber(_ name: String, _ bound: Limits.Bound) throws(CommandError) -> Int? {
        guard let text = peek, text != "leader" else { return nil }
        skip()
        return try Arguments.number(text, name: name, command: command, bound: bound)
    }

    static func number(_ text: String, name: String, command: String, bound: Limits.Bound) throws(CommandError) -> Int {
        guard let value = Int(text) else {
            // Digits too many for an Int are a number out of range, not "not a number".
            let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw CommandError(bound.outOfRange(text, negative: text.first == "-", command: command, name: name))
            }
            throw CommandError("'\(text)' is not a number: \(command) takes \(name) as a whole number\(bound.min > 0 ? " ≥ \(bound.min)" : "")")
        }
        guard value >= bound.min, value <= bound.max else {
            throw CommandError(bound.outOfRange(text, negative: value < bound.min, command: command, name: name))
        }
        return value
    }

    mutating func messageID() throws(CommandError) -> Int {
        let text = try word("ID", "a message id from pending, e.g. \(command) 12")
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        return try Arguments.number(digits, name: "ID", command: command, bound: .messageID)
    }

    mutating func replica() throws(CommandError) -> ReplicaID {
        try Arguments.replica(try word("nK", "a replica such as n1"))
    }

    static func replica(_ text: String) throws(CommandError) -> ReplicaID {
        guard let id = ReplicaID(parsing: text) else {
            throw CommandError("'\(text)' is not a replica: replicas are named n1, n2, …")
        }
        return id
    }

    /// `on` or `off`; a bad word's error names `usage` (`set recovery`), else the command.
    mutating func onOff(_ usage: String? = nil) throws(CommandError) -> Bool {
        let text = try word("on|off", "on or off")
        switch text {
        case "on": return true
        case "off": return false
        default: throw CommandError("'\(text)' is not on or off: \(usage ?? command) takes on|off")
        }
    }

    func finish() throws(CommandError) {
        guard words.isEmpty else {
            throw CommandError("unexpected '\(words.joined(separator: " "))' after \(command) (see help \(command))")
        }
    }
}
