import CReadline
import PaxosPlayground
import PlaygroundWeb

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads command lines: GNU readline on a TTY, plain stdin otherwise.
///
/// On a terminal (standard input and standard output both TTYs) lines are read
/// with GNU readline: line editing, a persistent history file, Tab completion
/// through `completer`, Ctrl-D on an empty line ends the input, and Ctrl-C
/// abandons the line being typed and shows a fresh prompt. Otherwise standard
/// input is read line by line with `Swift.readLine()`, no prompt is printed and
/// no history is kept.
///
/// Readline is process-global state, so create at most one `LineReader`, and use
/// it from one thread (the REPL's).
final class LineReader {
    /// The history file used when `historyPath` is nil: `$HOME/.paxos_playground_history`,
    /// or nil (no persistent history) when `HOME` is unset or empty.
    static var defaultHistoryPath: String? {
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else {
            return nil
        }
        return home.hasSuffix("/") ? home + ".paxos_playground_history" : home + "/.paxos_playground_history"
    }

    /// Most lines kept in the history, in memory and in the file.
    static let historyLimit: Int32 = 1000

    /// True when standard input is a terminal.
    static var standardInputIsTerminal: Bool {
        isatty(STDIN_FILENO) == 1
    }

    /// True when lines are read with readline (standard input and output are both
    /// terminals), false when they are read from standard input without a prompt.
    let usesReadline: Bool

    /// The prompt shown by the next call to `next()` (see `setPrompt(_:)`).
    private(set) var prompt: String
    /// The history file, or nil when history is not saved.
    private let historyPath: String?
    private var reportedHistoryError = false

    /// - Parameters:
    ///   - prompt: shown before each line on a terminal; never printed otherwise. ANSI
    ///     escape sequences (colours) in it are wrapped in readline's
    ///     RL_PROMPT_START_IGNORE/END markers (\u{01}/\u{02}) automatically unless the
    ///     prompt already contains such markers.
    ///   - historyPath: the history file; nil means `LineReader.defaultHistoryPath`, and
    ///     an empty string means no history file. It is read at start (made 0600 first
    ///     when it has wider rights), and as each non-empty line is entered it is
    ///     rewritten with that line added, kept to the last `historyLimit` lines, through
    ///     `OutputFile` (atomic, mode 0600, a symbolic link followed).
    ///   - completer: called on Tab with the line up to the cursor and the word being
    ///     completed (the blank-separated text before the cursor, possibly empty); it
    ///     returns candidate words, of which those starting with `word` are offered.
    init(
        prompt: String,
        historyPath: String?,
        completer: @escaping (_ line: String, _ word: String) -> [String]
    ) {
        self.prompt = prompt
        self.usesReadline = LineReader.standardInputIsTerminal && isatty(STDOUT_FILENO) == 1
        if usesReadline {
            let path = historyPath ?? LineReader.defaultHistoryPath
            self.historyPath = (path?.isEmpty ?? true) ? nil : path
            readlineCompleter = completer
            paxos_rl_configure(attemptedCompletion)
            stifle_history(LineReader.historyLimit)
            loadHistory()
        } else {
            self.historyPath = nil
        }
    }

    /// Changes the prompt for the following calls to `next()`.
    func setPrompt(_ prompt: String) {
        self.prompt = prompt
    }

    /// Where the live page's commands wait (``CommandInbox``), while it runs: ``nextInput()`` takes them
    /// between keystrokes, as if they were typed.
    var inbox: CommandInbox?
    /// The line being edited when a command from the page came, with its cursor: put back at the next prompt.
    private var interruptedLine: (text: String, point: Int32)?

    /// A line typed, or a command from the live page.
    enum Input {
        case typed([UInt8])
        case remote(RemoteCommand)
    }

    /// The next line typed, or the next command from ``inbox``, whichever comes first; nil at end of input.
    ///
    /// A command from the page is shown after the prompt as if it had been typed (the half-typed line, if
    /// any, comes back at the next prompt) and added to the history like one.
    ///
    /// A command that came while the last one ran is shown at once: the wake-up pipe is still readable.
    func nextInput() -> Input? {
        guard usesReadline else {
            fflush(nil)
            return readStandardInput(orFrom: inbox)
        }
        switch readWithReadline(inbox: inbox) {
        case .interrupted?:
            return nextInput()  // not asked for here: Ctrl-C clears the line
        case .line(let line)?:
            remember(line)
            return .typed(line)
        case .remote(let remote)?:
            remember(Array(remote.line.utf8))
            return .remote(remote)
        case .endOfInput?, nil:
            return nil
        }
    }

    /// Without readline, the prompt and the page's command, as a terminal would have shown them.
    private func showAsTyped(_ line: String) {
        guard !usesReadline else { return }
        print(prompt + line)
    }

    /// The next line's bytes, or nil at end of input (Ctrl-D on an empty line, or EOF).
    ///
    /// The line is returned as typed, without its LF and undecoded: the REPL reads it as
    /// text through `InputText`, the one reader of input (a CR before the LF, a byte-order
    /// mark, bytes that are not UTF-8). A completed word may leave a trailing blank. On a
    /// terminal, each non-empty line is added to the history unless it repeats the
    /// previous entry.
    ///
    /// With `answer` (to a quiz question, asked while a command runs), Ctrl-C ends the read instead of
    /// clearing the line: it returns nil and ``endedByCtrlC`` says so; and the line is an answer, not a
    /// command, so the history does not keep it.
    func next(answer: Bool = false) -> [UInt8]? {
        endedByCtrlC = false
        guard usesReadline else {
            // Show the previous command's output before waiting, even when standard
            // output is a pipe (fully buffered), for programs driving the REPL.
            fflush(nil)
            return readStandardInputLine()
        }
        switch readWithReadline(inbox: nil, ctrlCEnds: answer) {
        case .line(let line)?:
            if !answer { remember(line) }
            return line
        case .interrupted?:
            endedByCtrlC = true
            return nil
        case .remote?, .endOfInput?, nil:
            return nil
        }
    }

    /// Whether Ctrl-C ended the last ``next(answer:)``.
    private(set) var endedByCtrlC = false

    /// A line of standard input, or a command of `inbox` when one comes while it waits.
    private func readStandardInput(orFrom inbox: CommandInbox?) -> Input? {
        guard let inbox else { return readStandardInputLine().map { .typed($0) } }
        while !hasBufferedLine && !endOfStandardInput {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { break }
            if fds[1].revents != 0, let remote = inbox.take() {
                showAsTyped(remote.line)
                return .remote(remote)
            }
            if fds[0].revents != 0 { break }
        }
        return readStandardInputLine().map { .typed($0) }
    }

    /// Whether a whole line was read already.
    private var hasBufferedLine: Bool { unread[unreadStart...].contains(0x0A) }

    /// Bytes read from standard input; those from `unreadStart` on are past the last line returned.
    private var unread: [UInt8] = []
    private var unreadStart = 0
    private var endOfStandardInput = false
    /// The rest of a line longer than ``longestLineBytes`` is dropped up to its LF.
    private var droppingRestOfLine = false
    /// The most of one line kept in memory: far more than a command line may hold
    /// (`Limits.lineCharactersMax`), so that the parser refuses it for its length.
    static let longestLineBytes = 1 << 20

    /// One line of standard input without its LF, or nil at its end. Reads what is there, a chunk at a
    /// time, so that a program driving the REPL gets each answer before it sends the next line.
    private func readStandardInputLine() -> [UInt8]? {
        while true {
            if let newline = unread[unreadStart...].firstIndex(of: 0x0A) {
                let line = Array(unread[unreadStart..<newline])
                unreadStart = newline + 1
                if droppingRestOfLine {
                    droppingRestOfLine = false
                    continue
                }
                return line
            }
            unread.removeFirst(unreadStart)
            unreadStart = 0
            if droppingRestOfLine {
                unread = []
            } else if unread.count > LineReader.longestLineBytes {
                // Cut at a character's start, keep what was read for the parser to refuse, drop the rest.
                var end = LineReader.longestLineBytes
                while end > 0, (0x80...0xBF).contains(unread[end]) { end -= 1 }
                let line = Array(unread[..<end])
                unread = []
                droppingRestOfLine = true
                return line
            }
            if endOfStandardInput {
                guard !unread.isEmpty else { return nil }
                defer { unread = [] }
                return unread
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                endOfStandardInput = true
            } else {
                unread += chunk[..<count]
            }
        }
    }

    // MARK: - Readline

    /// One line through readline's callback interface, so that signals are handled
    /// between keys without longjmp: their handler only records them (see shim.h),
    /// and this loop acts on them. Ctrl-C abandons the line and starts a new one.
    private func readWithReadline(inbox: CommandInbox?, ctrlCEnds: Bool = false) -> ReadlineResult? {
        var signals = paxos_rl_signal_state()
        paxos_rl_signals_begin(&signals)
        readlineResult = nil
        var fatalSignal: Int32 = 0
        let rlPrompt = LineReader.readlinePrompt(prompt)

        rl_callback_handler_install(rlPrompt, lineHandler)
        if let (text, point) = interruptedLine {
            interruptedLine = nil
            paxos_rl_restore_line(text, point)
        }
        while readlineResult == nil {
            if paxos_rl_take_sigwinch() != 0 {
                rl_resize_terminal()
            }
            if paxos_rl_take_sigint() != 0 {
                paxos_rl_abandon_line()
                rl_callback_handler_remove()
                if ctrlCEnds {
                    readlineResult = .interrupted
                    break
                }
                rl_callback_handler_install(rlPrompt, lineHandler)
                continue
            }
            if paxos_rl_take_sigtstp() != 0 {
                paxos_rl_suspend(&signals)
                continue
            }
            fatalSignal = paxos_rl_take_fatal_signal()
            if fatalSignal != 0 {
                rl_callback_handler_remove()
                readlineResult = .endOfInput
                break
            }
            switch paxos_rl_wait_for_input_or(&signals, inbox?.wakeDescriptor ?? -1) {
            case 1:
                rl_callback_read_char()
            case 2:
                guard let remote = inbox?.take() else { continue }
                var point: Int32 = 0
                if let saved = paxos_rl_save_line(&point) {
                    let text = String(cString: saved)
                    free(saved)
                    if !text.isEmpty { interruptedLine = (text, point) }
                }
                paxos_rl_show_as_typed(remote.line)
                rl_callback_handler_remove()
                readlineResult = .remote(remote)
            case 0:
                continue  // a signal: handled at the top of the loop
            default:
                // The terminal went away: treat it as the end of the input.
                rl_callback_handler_remove()
                readlineResult = .endOfInput
            }
        }
        // The callback handler has been removed (by lineHandler or above), which
        // restored the terminal's modes.
        paxos_rl_signals_end(&signals)

        switch readlineResult {
        case .line, .remote, .interrupted:
            return readlineResult
        case .endOfInput, nil:
            // Readline leaves the cursor on the prompt's line on Ctrl-D (bracketed paste is
            // off, see paxos_rl_configure): end that line.
            print("")
            if fatalSignal != 0 {
                // SIGTERM, SIGHUP or SIGQUIT: now that the terminal is restored, let it
                // do what it would have done (by default, end the process).
                raise(fatalSignal)
            }
            return .endOfInput
        }
    }

    /// The prompt as readline needs it: ANSI escape sequences wrapped in \u{01}...\u{02}
    /// so that readline does not count them as visible columns.
    static func readlinePrompt(_ prompt: String) -> String {
        if prompt.contains("\u{01}") {
            return prompt
        }
        var result = ""
        var inEscape = false
        var afterEscape = false
        for scalar in prompt.unicodeScalars {
            if !inEscape, scalar == "\u{1B}" {
                result.unicodeScalars.append("\u{01}")
                result.unicodeScalars.append(scalar)
                inEscape = true
                afterEscape = true
                continue
            }
            result.unicodeScalars.append(scalar)
            if inEscape {
                if afterEscape {
                    afterEscape = false
                    // ESC [ starts a CSI sequence, which ends at a byte in @...~;
                    // any other byte after ESC ends a two-byte sequence.
                    if scalar == "[" {
                        continue
                    }
                } else if !(scalar.value >= 0x40 && scalar.value <= 0x7E) {
                    continue
                }
                result.unicodeScalars.append("\u{02}")
                inEscape = false
            }
        }
        if inEscape {
            result.unicodeScalars.append("\u{02}")
        }
        return result
    }

    // MARK: - History

    /// Loads the history file into readline. The file holds commands: one with wider rights than 0600
    /// (0644, say) is made 0600 first.
    private func loadHistory() {
        guard let path = historyPath else {
            return
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0, chmod(path, 0o600) != 0 {
            reportHistoryError("cannot make private (chmod 600)", errno)
        }
        for line in historyLines(reporting: true).suffix(Int(LineReader.historyLimit)) {
            add_history(line.map { CChar(bitPattern: $0) } + [0])
        }
    }

    /// The lines of the history file, as bytes (a line that is not UTF-8 is kept as it is when the file is
    /// written again); none when there is none yet. `reporting`: a file that is there but cannot be read (a
    /// directory, no permission) is said at once, not at the first line typed.
    private func historyLines(reporting: Bool = false) -> [[UInt8]] {
        guard let path = historyPath else { return [] }
        let bytes: [UInt8]
        do {
            bytes = try InputText.contents(ofFile: path)
        } catch {
            var info = stat()
            if reporting, stat(path, &info) == 0 {
                reportHistoryError((info.st_mode & S_IFMT) == S_IFDIR ? "history file \(path) is a directory, not a file"
                                   : "cannot read history file \(path): \(error.description)")
            }
            return []
        }
        return bytes.split(separator: 0x0A).map { line in Array(line.last == 0x0D ? line.dropLast() : line) }
    }

    private func remember(_ bytes: [UInt8]) {
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
            return
        }
        // Bytes as typed, not decoded: a line that is not UTF-8 is kept as it is (recalled, it is refused again).
        let cLine = bytes.map { CChar(bitPattern: $0) } + [0]
        if let last = paxos_rl_last_history_line(), strcmp(last, cLine) == 0 {
            return
        }
        add_history(cLine)
        guard let path = historyPath else {
            return
        }
        // Rewritten whole through the one writer of files (atomic, mode 0600), with the lines another
        // session may have added since, and kept to the last `historyLimit` lines.
        let lines = (historyLines() + [bytes]).suffix(Int(LineReader.historyLimit))
        do {
            try OutputFile.write(lines.flatMap { $0 + [0x0A] }, to: path, mode: 0o600)
        } catch {
            reportHistoryError(error.description)
        }
    }

    /// Warns once on standard error; the REPL goes on without a saved history.
    private func reportHistoryError(_ what: String, _ code: Int32) {
        guard let path = historyPath else {
            return
        }
        reportHistoryError("\(what) history file \(path): \(String(cString: strerror(code)))")
    }

    private func reportHistoryError(_ message: String) {
        guard !reportedHistoryError else {
            return
        }
        reportedHistoryError = true
        let line = "paxos-playground: history: \(InputText.escaped(message)); the REPL goes on without saving it\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}

// MARK: - Ctrl-C during a command

/// Ctrl-C while a command runs (REPL, `run`, `check`): SIGINT only sets an atomic flag (shim.h), which the
/// long loops and the model checker's threads read between whole events; they stop there and say so, and
/// the session goes on. At the prompt readline's own handling applies: Ctrl-C clears the line.
///
/// The flag is a weak global in shim.h, one for the whole program, so the handler and every reader see the
/// same one wherever the optimizer inlines these calls.
enum Interrupts {
    /// Catches SIGINT from now on (outside readline): it only sets the flag.
    static func catchThem() { paxos_interrupt_catch() }

    /// Records a Ctrl-C that readline took (at a quiz question): the command running stops as if it came
    /// between two events.
    static func request() { paxos_interrupt_request() }

    /// Lets SIGINT end the program again, as by default (while `run` reads a script that may wait).
    static func release() { paxos_interrupt_release() }

    /// Forgets any Ctrl-C so far (before each command).
    static func clear() { paxos_interrupt_clear() }

    /// Whether Ctrl-C came since the last ``clear()``: cheap, and safe from any thread.
    static let requested: @Sendable () -> Bool = { paxos_interrupt_requested() != 0 }
}

// MARK: - State shared with readline's C callbacks

/// What the line handler received.
private enum ReadlineResult {
    case line([UInt8])
    /// A command from the live page, shown as if typed.
    case remote(RemoteCommand)
    /// Ctrl-C, where it ends the read (``LineReader/next(answer:)``).
    case interrupted
    case endOfInput
}

// Readline calls back through plain C function pointers, which cannot capture
// context, so the state they share with `LineReader` lives in globals. The REPL is
// single-threaded and readline only calls back from inside `rl_callback_read_char`
// on that thread, hence nonisolated(unsafe).

/// The completer of the (only) `LineReader` that uses readline.
nonisolated(unsafe) private var readlineCompleter: ((String, String) -> [String])?
/// Set by `lineHandler` when readline has finished a line.
nonisolated(unsafe) private var readlineResult: ReadlineResult?
/// The candidates of the completion in progress, handed out by `completionGenerator`.
nonisolated(unsafe) private var completionCandidates: [String] = []
nonisolated(unsafe) private var completionIndex = 0

/// Readline's line handler: receives the finished line (nil at EOF), which it must free.
private let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { pointer in
    // Remove the handler now, or readline would print the next prompt before the
    // command's output; this also restores the terminal's modes.
    rl_callback_handler_remove()
    if let pointer {
        readlineResult = .line(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)).map { $0 })
        free(pointer)
    } else {
        readlineResult = .endOfInput
    }
}

/// rl_attempted_completion_function: asks the Swift completer, never falls back
/// to file names.
private let attemptedCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, _ in
        paxos_rl_completion_over()
        let word = text.map { String(cString: $0) } ?? ""
        var length: Int32 = 0
        var line = ""
        if let buffer = paxos_rl_line_before_cursor(&length), length > 0 {
            line = buffer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
            }
        }
        let candidates = readlineCompleter?(line, word) ?? []
        var seen = Set<String>()
        completionCandidates = candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }
        completionIndex = 0
        guard let text, !completionCandidates.isEmpty else {
            return nil
        }
        return rl_completion_matches(text, completionGenerator)
    }

/// The generator for rl_completion_matches: the next candidate (malloc'd, readline
/// frees it), or nil when there are no more.
private let completionGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = {
    _, state in
    if state == 0 {
        completionIndex = 0
    }
    guard completionIndex < completionCandidates.count else {
        return nil
    }
    let candidate = completionCandidates[completionIndex]
    completionIndex += 1
    return strdup(candidate)
}
