import ArgumentParser
import Foundation
import PaxosCore
import PaxosPlayground
import PaxosSimulation

/// `paxos-playground fuzz` (not listed in `--help`): the seeded random-line fuzzer of the command language
/// (``CommandFuzzer``, Docs/Fuzz.md), timed, with a watchdog for hangs. `Scripts/fuzz.sh LINES SEED` runs it.
/// Exit codes: 0 no finding, 1 a finding (a property broken), 3 a hang; a crash ends the process (a signal).
struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fuzz the command language with random lines: no crash, one-line errors, no change after an error.",
        shouldDisplay: false)

    @Option(parsing: .unconditional, help: "Lines to generate and run.")
    var lines = 100_000

    @Option(parsing: .unconditional, help: "Seed of the generator (and of the session).")
    var seed: UInt64 = 1

    @Option(name: .customLong("max-count"), parsing: .unconditional, help: "Largest count a generated command may carry (tick, step, run for, undo, set ...).")
    var maxCount = 50

    @Flag(name: .customLong("wide-numbers"), help: "Run counts of any size the parser takes (once the limits of issue 17 are in).")
    var wideNumbers = false

    @Option(name: .customLong("session-lines"), parsing: .unconditional, help: "Start a fresh session after this many lines.")
    var sessionLines = 200

    @Option(name: .customLong("hang-seconds"), parsing: .unconditional, help: "A line that runs longer than this is a hang: the run stops, exit 3.")
    var hangSeconds: Double = 60

    @Flag(help: "Print each line (escaped) to standard error before it runs, to find the line a crash stopped at.")
    var echo = false

    @Option(parsing: .unconditional, help: "Print each line that runs longer than this many seconds to standard error.")
    var slow: Double?

    func validate() throws {
        try checkLimit(lines, Limits.Bound(1, Int.max, "line", "lines"), "--lines")
        guard maxCount >= 1 else { throw ValidationError("--max-count takes a whole number ≥ 1 (got \(maxCount))") }
        try checkLimit(sessionLines, Limits.Bound(1, Int.max, "line", "lines"), "--session-lines")
        for (option, seconds) in [("--hang-seconds", hangSeconds), ("--slow", slow ?? 1)] where !(seconds > 0) {
            throw ValidationError("\(option) takes more than 0 seconds (got \(secondsAsTyped(seconds)))")
        }
    }

    func run() throws {
        var options = CommandFuzzer.Options()
        options.seed = seed
        options.lines = lines
        options.maxCount = maxCount
        options.wideNumbers = wideNumbers
        options.sessionLines = max(1, sessionLines)
        let watchdog = Watchdog(limitSeconds: hangSeconds)
        watchdog.start()
        let clock = ContinuousClock()
        let began = clock.now
        let cpuBefore = Self.cpuSeconds()
        var lineBegan = began
        var slowest: (duration: Duration, number: Int, text: String) = (.zero, 0, "")
        var current = ""
        var fuzzer = CommandFuzzer(options)
        let report = fuzzer.run(before: { number, bytes in
            current = InputText.escaped(String(decoding: bytes.prefix(120), as: UTF8.self))
            if echo { FileHandle.standardError.write(Data("\(number): \(current)\n".utf8)) }
            watchdog.begin(line: number, text: current)
            lineBegan = clock.now
        }, after: { number in
            let duration = clock.now - lineBegan
            if duration > slowest.duration { slowest = (duration, number, current) }
            if let slow, Self.seconds(duration) > slow {
                FileHandle.standardError.write(Data(String(format: "slow: %.3f s, line %d: %@\n", Self.seconds(duration), number, current).utf8))
            }
            watchdog.end()
        })
        let wall = clock.now - began
        print("fuzz: \(counted(lines, "line")) from seed \(seed), counts up to \(wideNumbers ? "any size" : String(maxCount)), a fresh session every \(options.sessionLines) lines")
        for line in report.summary { print(line) }
        print(String(format: "seconds    %.1f wall, %.1f CPU; slowest line %.3f s (line %d: %@)",
                     Self.seconds(wall), Self.cpuSeconds() - cpuBefore, Self.seconds(slowest.duration), slowest.number, slowest.text))
        print("crashes    0, hangs 0")
        if !report.findings.isEmpty { throw ExitCode(1) }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// CPU time of this process so far.
    static func cpuSeconds() -> Double {
        Double(clock()) / Double(CLOCKS_PER_SEC)
    }
}

/// Watches the line being run from another thread: one that runs past the limit is reported as a hang and
/// ends the process with exit code 3.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Double
    private var line = 0
    private var text = ""
    private var since: Double?

    init(limitSeconds: Double) {
        limit = limitSeconds
    }

    func begin(line: Int, text: String) {
        lock.withLock {
            self.line = line
            self.text = text
            since = ProcessInfo.processInfo.systemUptime
        }
    }

    func end() {
        lock.withLock { since = nil }
    }

    func start() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                let hang: (Int, String)? = lock.withLock {
                    guard let since, ProcessInfo.processInfo.systemUptime - since > limit else { return nil }
                    return (line, text)
                }
                if let (line, text) = hang {
                    print("HANG: line \(line) ran for more than \(limit) s: \(text)")
                    print("crashes    0, hangs 1")
                    fflush(nil)
                    Foundation.exit(3)
                }
            }
        }
        thread.start()
    }
}
