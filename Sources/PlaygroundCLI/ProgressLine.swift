import Foundation

/// The progress line of a long command on a terminal: redrawn in place (carriage return, erase line) at
/// most five times a second, once the command has run for a quarter of a second, and wiped before any
/// other output and when the command ends. Only the REPL on a terminal has one, so the clock it reads never
/// reaches a script's, a pipe's or a test's output.
///
/// Drawn from the command's thread or the model checker's, hence the lock.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant
    private var drawn: ContinuousClock.Instant?
    private var shown = false
    /// The widest line drawn: a line that wraps cannot be redrawn in place.
    private let columnsMax = 79

    init() { started = clock.now }

    /// A command starts.
    func begin() {
        lock.lock()
        defer { lock.unlock() }
        started = clock.now
        drawn = nil
    }

    func draw(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        guard now - started >= .milliseconds(250), drawn.map({ now - $0 >= .milliseconds(200) }) ?? true else { return }
        drawn = now
        shown = true
        let line = text.count > columnsMax ? String(text.prefix(columnsMax - 1)) + "…" : text
        write("\r\u{1B}[2K" + line)
    }

    /// Writes to standard output after what `print` buffered.
    private func write(_ text: String) {
        fflush(nil)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Erases the line if it is shown: before other output, and when the command ends.
    func wipe() {
        lock.lock()
        defer { lock.unlock() }
        guard shown else { return }
        shown = false
        write("\r\u{1B}[2K")
    }
}
