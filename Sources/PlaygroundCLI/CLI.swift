import ArgumentParser
import CReadline
import Foundation
import PaxosCore
import PaxosPlayground
import PaxosSimulation
import PlaygroundWeb

/// The options every subcommand shares (REPL.md: common options).
struct CommonOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed of the one random generator (randomized elections).")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Replicas in the starting cluster.")
    var replicas: Int = 3

    @Option(help: "Election policy: priority, longest-term, randomized, or a registered plugin.")
    var election: String = PriorityElection.name

    @Option(help: "Commit policy: sync, async, or a registered plugin.")
    var commit: String = SyncCommit.name

    @Option(name: .customLong("trace-jsonl"), help: "Write the trace as JSON Lines to this file at the end (with several scripts, one file per script: FILE.SCRIPT.jsonl).")
    var traceJSONL: String?

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    @Flag(help: "Print no message flows: only expectations, errors and what you ask to show.")
    var quiet = false

    @Option(parsing: .unconditional, help: "Wrap flow lines to N columns (else COLUMNS, else the terminal's width; piped: no wrapping).")
    var width: Int?

    @Flag(help: "Plain ASCII in lanes (also when NO_COLOR is set).")
    var ascii = false

    func validate() throws {
        try checkLimit(replicas, .replicas, "--replicas")
        if let width { try checkLimit(width, .width, "--width") }
    }

    /// The columns flow lines wrap to: `--width`, else `COLUMNS` (when it is a width in range), else the
    /// terminal's when standard output is one; nil (no wrapping) otherwise.
    var wrapWidth: Int? {
        if let width { return width }
        let bound = Limits.Bound.width
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }) {
            return min(max(columns, bound.min), bound.max)
        }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return min(max(Int(size.ws_col), bound.min), bound.max)
    }

    /// The session options, with names checked against the registry.
    func sessionOptions(registry: PolicyRegistry) throws -> SessionOptions {
        guard registry.election(named: election) != nil else {
            throw ValidationError("unknown election policy '\(election)': registered are \(registry.elections.map(\.name).joined(separator: ", "))")
        }
        guard registry.commit(named: commit) != nil else {
            throw ValidationError("unknown commit policy '\(commit)': registered are \(registry.commits.map(\.name).joined(separator: ", "))")
        }
        var options = SessionOptions()
        options.seed = seed
        options.replicas = replicas
        options.election = election
        options.commit = commit
        options.quiet = quiet
        options.width = wrapWidth
        options.ascii = ascii || ProcessInfo.processInfo.environment["NO_COLOR"] != nil
        options.registry = registry
        options.color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
        return options
    }

    /// Where `--trace-jsonl` writes the trace of each of `files`, checked before anything runs (``checkOutputPath``):
    /// nil without the option; with one script, the file named; with several, one file per script beside it,
    /// named after the script: `t.jsonl` and `Examples/01-happy-path.pxs` give `t.01-happy-path.jsonl`, `-`
    /// gives `t.stdin.jsonl`, and a script name that repeats gets `-2`, `-3`, … (`t.x-2.jsonl`).
    func tracePaths(for files: [String]) throws -> [String?] {
        guard let traceJSONL else { return files.map { _ in nil } }
        let paths = files.count == 1 ? [traceJSONL] : Self.perScript(traceJSONL, files)
        for path in paths { try checkOutputPath(path, option: "--trace-jsonl") }
        return paths
    }

    static func perScript(_ trace: String, _ files: [String]) -> [String] {
        let slash = trace.lastIndex(of: "/")
        let name = slash.map { String(trace[trace.index(after: $0)...]) } ?? trace
        let directory = slash.map { String(trace[...$0]) } ?? ""
        let dot = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : $0 }
        let (stem, ext) = dot.map { (String(name[..<$0]), String(name[$0...])) } ?? (name, "")
        var seen: [String: Int] = [:]
        return files.map { file in
            var script = file == "-" ? "stdin" : String(file.split(separator: "/").last ?? "script")
            if let dot = script.lastIndex(of: "."), dot != script.startIndex { script = String(script[..<dot]) }
            let count = (seen[script] ?? 0) + 1
            seen[script] = count
            return "\(directory)\(stem).\(script)\(count == 1 ? "" : "-\(count)")\(ext)"
        }
    }

    /// Writes `session`'s trace to `path` (one of ``tracePaths(for:)``); false, with the error on standard
    /// error, when it cannot.
    func writeTrace(of session: Session, to path: String?) -> Bool {
        guard let path else { return true }
        do {
            try OutputFile.write(session.traceJSONLines, to: path)
            return true
        } catch {
            printError("Error: --trace-jsonl: \(InputText.escaped(error.description))")
            return false
        }
    }
}

/// Checks, before any work, that the file `option` names can be written; else says why on standard error
/// and exits 2, as a bad option does.
func checkOutputPath(_ path: String, option: String) throws {
    do {
        try OutputFile.check(path)
    } catch {
        printError("Error: \(option): \(InputText.escaped(error.description))")
        throw ExitCode(ScriptRunner.Exit.scriptError.rawValue)
    }
}

struct Playground: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paxos-playground",
        abstract: "Step through Multi-Paxos redo-log replication, break it safely, and check it.",
        discussion: "With no subcommand, starts the REPL (type help inside). Exit codes of run: 0 every expect held, 1 one failed, 2 a script error.",
        version: Playground.version,
        subcommands: [REPL.self, Run.self, Check.self, Bench.self, Fuzz.self],
        defaultSubcommand: REPL.self
    )

    /// What `paxos-playground --version` prints.
    static let version = "paxos-playground 0.1.0"

    /// The policies the playground knows: the built-ins, plus what `runPlayground(registry:)` was given.
    /// Set once at start, before any command runs, and read-only after.
    nonisolated(unsafe) static var registry = PolicyRegistry.builtIn
}

struct REPL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "The interactive REPL (the default): GNU readline, history, Tab completion.")

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("web"), parsing: .unconditional, help: ArgumentHelp(
        "Also serve the session live in the browser on this port (default 8080; 0: any free port): /watch read-only, the control URL with its token.",
        valueName: "port"))
    var webPort: Int?

    @Option(name: .customLong("web-bind"), help: ArgumentHelp(
        "With --web: the address the live page listens on (default 127.0.0.1, this machine only; 0.0.0.0 shares it on the network).",
        valueName: "address"))
    var webBind: String?

    func validate() throws {
        if let webPort, !(Limits.Bound.webPort.min...Limits.Bound.webPort.max).contains(webPort) {
            throw ValidationError("--web takes \(Playground.valueKind(of: "--web", in: nil)) (got \(webPort))")
        }
        if let webBind, webPort == nil {
            throw ValidationError("--web-bind needs --web: give both, such as --web 8080 --web-bind \(InputText.escaped(webBind)), to serve the live page on that address")
        }
    }

    func run() throws {
        // On a terminal, a long command shows where it stands; its line is wiped before any other output.
        let progressLine = isatty(STDOUT_FILENO) == 1 ? ProgressLine() : nil
        nonisolated(unsafe) var live: LivePage?
        let session = Session(options: try common.sessionOptions(registry: Playground.registry)) { text in
            progressLine?.wipe()
            print(text)
            live?.noteOutput(text)
        }
        let page = LivePage(session: session, host: webBind ?? LivePage.defaultHost)
        live = page
        if let progressLine {
            session.progress = { @Sendable text in progressLine.draw(text) }
        }
        session.interrupted = Interrupts.requested
        Interrupts.catchThem()
        if let trace = common.traceJSONL { try checkOutputPath(trace, option: "--trace-jsonl") }
        let reader = LineReader(prompt: "", historyPath: nil) { [session] line, word in
            session.completions(line: line, word: word)
        }
        if reader.usesReadline {
            print("paxos-playground: \(counted(common.replicas, "replica")), election \(common.election), commit \(common.commit), seed \(common.seed).")
            print("Type help for the commands, Tab to complete, Ctrl-C to stop a command, Ctrl-D to leave. Try: cluster 3 leader n1, submit x=1, step.")
        }
        // The quiz reads answers from the terminal only: with commands piped in, the next lines are
        // commands, not answers, and nobody answers (the quiz shows each answer, as in a script).
        if LineReader.standardInputIsTerminal {
            session.ask = { question in
                reader.setPrompt(question)
                // Ctrl-C at a question skips it and stops the command asking, after the event it was about.
                guard let line = reader.next(answer: true) else {
                    if reader.endedByCtrlC { Interrupts.request() }
                    return nil
                }
                return try? InputText.line(line, first: false)
            }
        }
        if let webPort {
            do {
                print(try page.handle(.on(port: webPort)))
            } catch {
                printError("Error: --web: \(error.description.replacingOccurrences(of: "web on: ", with: ""))")
                throw ExitCode(ScriptRunner.Exit.scriptError.rawValue)
            }
        }
        var first = true
        while true {
            reader.setPrompt(session.prompt)
            reader.inbox = page.inbox
            guard let input = reader.nextInput() else { break }
            let (line, remote): ([UInt8], RemoteCommand?) = switch input {
            case .typed(let bytes): (bytes, nil)
            case .remote(let command): (Array(command.line.utf8), command)
            }
            Interrupts.clear()
            progressLine?.begin()
            page.willRun()
            let outcome = session.execute(input: line, first: first && remote == nil)
            if remote == nil { first = false }
            progressLine?.wipe()
            page.didRun(String(decoding: line, as: UTF8.self), outcome: outcome, from: remote)
            if outcome == .quit { break }
        }
        page.stop()
        if !common.writeTrace(of: session, to: common.traceJSONL) { throw ExitCode(ScriptRunner.Exit.scriptError.rawValue) }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run scripts (.pxs): exit 0 if every expect held, 1 if one failed, 2 on a script error.",
        discussion: "`run -` reads the script from standard input. Each file runs in a fresh session, whatever happened to the others; the exit code is the worst of them.")

    @Argument(help: "Script files, or - for standard input.")
    var files: [String]

    @OptionGroup var common: CommonOptions

    /// The REPL's `--web` and `--web-bind`, taken here only to say where they belong (ArgumentParser would
    /// suggest `--seed`).
    @Option(name: .customLong("web"), help: .hidden)
    var web: String?
    @Option(name: .customLong("web-bind"), help: .hidden)
    var webBind: String?

    func validate() throws {
        if web != nil || webBind != nil {
            let given = web != nil ? "--web" : "--web-bind"
            throw ValidationError("\(given) is the REPL's, not run's: paxos-playground --web 8080 opens a session with the live page")
        }
    }

    /// Each file runs in a fresh session, whatever happened to the ones before: a file that cannot be read,
    /// a script error or a failed expect ends that file only. With several files, each is introduced by
    /// `== FILE` and closed by its result line; the exit code is the worst of them.
    func run() throws {
        let options = try common.sessionOptions(registry: Playground.registry)
        let traces = try common.tracePaths(for: files)
        let several = files.count > 1
        var worst = ScriptRunner.Exit.passed
        for (file, trace) in zip(files, traces) {
            if several { print("== \(InputText.escaped(file))") }
            let session = Session(options: options)
            session.interrupted = Interrupts.requested
            // Reading may wait (a named pipe with no writer, `run -` on a terminal): Ctrl-C then ends the
            // program, as in any command that reads; once the script is read it stops the script instead.
            Interrupts.release()
            let script = ScriptRunner.load(file: file, in: session)
            Interrupts.catchThem()
            var (exit, read) = script.map { ScriptRunner.run($0, in: session) } ?? (.scriptError, false)
            if read, !common.writeTrace(of: session, to: trace) { exit = .scriptError }
            if several { print("== \(InputText.escaped(file)): \(Self.result(exit, read: read, session: session))") }
            worst = max(worst, exit)
            if exit == .interrupted { break }
        }
        if worst != .passed { throw ExitCode(worst.rawValue) }
    }

    /// `exit 0 (every expect held)`, `exit 1 (2 expects failed)`, `exit 2 (a script error)`, `exit 2 (not run)`,
    /// `exit 130 (stopped by Ctrl-C)`.
    static func result(_ exit: ScriptRunner.Exit, read: Bool, session: Session) -> String {
        switch exit {
        case .passed: "exit 0 (every expect held)"
        case .expectFailed: "exit 1 (\(session.failedExpectations) expect\(session.failedExpectations == 1 ? "" : "s") failed)"
        case .scriptError: read ? "exit 2 (a script error)" : "exit 2 (not run)"
        case .interrupted: "exit 130 (stopped by Ctrl-C)"
        }
    }
}

extension ScriptRunner.Exit: Comparable {
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Refuses an option's value outside `bound` with the limit's one error line
/// (`--max-depth takes at most 10000 steps (got 20000)`).
func checkLimit(_ value: Int, _ bound: Limits.Bound, _ option: String) throws {
    do {
        try bound.check(value, option)
    } catch {
        throw ValidationError(error.description)
    }
}

/// Exits with `code`, unless standard output could not be written (a full disk, `> /dev/full`): then one line
/// on standard error says so, and the exit code is 2, as for a trace that cannot be written. (A closed pipe,
/// `| head`, ends the program by SIGPIPE before, as in any command.)
func exitSayingIfOutputWasLost(_ code: Int32) -> Never {
    if paxos_stdout_failed() != 0 {
        let reason = String(cString: strerror(errno == 0 ? EIO : errno))
        printError("paxos-playground: standard output: \(reason): what was printed is lost")
        Foundation.exit(max(code, 2))
    }
    Foundation.exit(code)
}

/// A number of seconds as it was typed: `-2`, not `-2.0`; `604800.5` and `12345678` whole.
func secondsAsTyped(_ seconds: Double) -> String {
    if seconds == seconds.rounded(), let whole = Int(exactly: seconds) { return String(whole) }
    return String(seconds)
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs the playground's command line (REPL, `run`, …) with the policies of `registry`: the built-ins,
/// plus any a plugin package registered. Bad options exit 2 (not ArgumentParser's 64), as REPL.md says.
///
/// ```swift
/// var registry = PolicyRegistry.builtIn
/// registry.register(ZoneAwareElection.self)
/// runPlayground(registry: registry)
/// ```
/// `arguments` replaces the process's own (`check-mutant` passes `check --break NAME ...`).
public func runPlayground(registry: PolicyRegistry = .builtIn, arguments: [String]? = nil) -> Never {
    Playground.registry = registry
    let words = Playground.withWebPort(arguments ?? Array(CommandLine.arguments.dropFirst()))
    exitAsThePlayground(subcommand: Playground.subcommand(in: words)) {
        var command = try Playground.parseAsRoot(words)
        try command.run()
    }
}

extension Playground {
    /// `--web` with no port (last, or before another option) serves on the default port, as `web on` does:
    /// ArgumentParser has no option whose value may be left out, so the bare flag gets the port here.
    static func withWebPort(_ words: [String]) -> [String] {
        var result: [String] = []
        for (index, word) in words.enumerated() {
            result.append(word)
            if word == "--" { return result + words[(index + 1)...] }
            let next = words.indices.contains(index + 1) ? words[index + 1] : nil
            if word == "--web", next.map({ $0.hasPrefix("--") }) ?? true { result.append(String(LivePage.defaultPort)) }
        }
        return result
    }

    /// The subcommand `words` name (`run`), if any.
    static func subcommand(in words: [String]) -> String? {
        let names = configuration.subcommands.map { $0._commandName }
        guard let first = words.first, names.contains(first) else { return nil }
        return first
    }

    /// The command that lists the options of `subcommand` (`paxos-playground run --help`).
    static func helpCommand(for subcommand: String?) -> String {
        "paxos-playground " + (subcommand.map { $0 + " " } ?? "") + "--help"
    }

    /// ArgumentParser's line for a value it could not read (`The value 'x' is invalid for '--seed <seed>'`,
    /// followed by `. Please provide one of 'a', 'b' or 'c'.` for a closed set of names) as the playground
    /// says it: what the option takes, and what it got (`--seed takes a whole number from 0 to … (got '-1')`).
    /// Nil for any other message.
    static func invalidValueLine(_ message: String, subcommand: String?) -> String? {
        let head = "The value '", middle = "' is invalid for '"
        guard message.hasPrefix(head), let split = message.range(of: middle, options: .backwards) else { return nil }
        let value = message[message.index(message.startIndex, offsetBy: head.count)..<split.lowerBound]
        let rest = message[split.upperBound...]
        let option = String(rest.prefix { $0 != " " && $0 != "'" })
        guard option.hasPrefix("-") else { return nil }
        let takes: String
        if let choices = rest.range(of: "Please provide one of ") {
            // `'a', 'b' or 'c'.` or `'a' and 'b'.`: the names, without quotes, joined by "or".
            var names = rest[choices.upperBound...].replacingOccurrences(of: "'", with: "")
            if names.hasSuffix(".") { names.removeLast() }
            takes = names.replacingOccurrences(of: " and ", with: " or ")
        } else {
            takes = valueKind(of: option, in: subcommand)
        }
        return "\(option) takes \(takes) (got '\(value)')"
    }

    /// What a numeric option takes, for ``invalidValueLine(_:subcommand:)``: the options whose value is not
    /// a name. Each one's range, when it has one narrower than its type's, is its validation's line.
    static func valueKind(of option: String, in subcommand: String?) -> String {
        switch (subcommand, option) {
        case (_, "--seed"): "a whole number from 0 to \(UInt64.max)"
        case ("bench", "--replicas"), ("bench", "--batch"), ("bench", "--window"):
            "whole numbers separated by commas, such as 1,4,16"
        case (_, "--max-seconds"), (_, "--hang-seconds"), (_, "--slow"): "a number of seconds, such as 2.5"
        case (_, "--web"): "a port number from 0 to 65535"
        default: "a whole number"
        }
    }
}

/// Runs `body` and exits: 0 when it returns, its code when it throws an `ExitCode`, 2 on bad options, with one
/// line on standard error saying what was wrong. The playground's own messages say what would be right, and
/// so does ArgumentParser's for a value it could not read, rewritten (``Playground/invalidValueLine(_:subcommand:)``);
/// its others (an unknown option, a missing value: capitalised, where the playground's never are) get the
/// command that lists the options.
func exitAsThePlayground(subcommand: String? = nil, _ body: () throws -> Void) -> Never {
    do {
        try body()
        exitSayingIfOutputWasLost(0)
    } catch let exit as ExitCode {
        exitSayingIfOutputWasLost(exit.rawValue)
    } catch {
        let code = Playground.exitCode(for: error)
        if code == .success {
            print(Playground.fullMessage(for: error))
            exitSayingIfOutputWasLost(0)
        }
        // ArgumentParser's usage lines would follow the message, naming the root command even when a
        // subcommand's option was wrong: the line says where the options are instead.
        var message = Playground.message(for: error)
        if let line = Playground.invalidValueLine(message, subcommand: subcommand) { message = line }
        let fromParser = message.first?.isUppercase ?? false
        printError("Error: \(message)" + (fromParser ? "; \(Playground.helpCommand(for: subcommand)) lists the options" : ""))
        Foundation.exit(2)
    }
}
