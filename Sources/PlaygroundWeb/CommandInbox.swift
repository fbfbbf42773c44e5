import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the REPL answered to a command the page sent.
public struct WebReply: Sendable, Hashable {
    /// `ok`, `error`, `expect-failed`, `interrupted`, or `stopped` (the live page stopped before the
    /// command ran).
    public let outcome: String
    /// What the command printed, without colours, one line each.
    public let output: [String]

    public init(outcome: String, output: [String]) {
        self.outcome = outcome
        self.output = output
    }
}

/// A command line the page sent, waiting for the REPL thread to run it.
public struct RemoteCommand: Sendable {
    public let line: String
    let answer: @Sendable (WebReply) -> Void

    /// Hands the REPL's answer to the request that sent the command.
    public func reply(_ reply: WebReply) { answer(reply) }
}

/// The commands the page sent, in order, for the REPL thread: the server only enqueues them, and the REPL
/// takes them between keystrokes (``wakeDescriptor`` becomes readable when one is waiting), so the session
/// is only ever touched by the REPL's thread.
public final class CommandInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [RemoteCommand] = []
    private var closed = false
    /// The pipe that wakes the REPL: a byte is written for each command; the REPL drains it when the queue
    /// is empty. Both ends are non-blocking, so the server never waits on it.
    private let readEnd: Int32
    private let writeEnd: Int32

    /// Readable while a command may be waiting: the REPL waits on it beside standard input.
    public var wakeDescriptor: Int32 { readEnd }

    /// Nil when the system has no pipe to give (too many open files).
    public init?() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        (readEnd, writeEnd) = (ends[0], ends[1])
    }

    deinit {
        Self.closeDescriptor(readEnd)
        Self.closeDescriptor(writeEnd)
    }

    /// Queues `line` and waits until the REPL ran it (or the live page stopped).
    public func submit(_ line: String) async -> WebReply {
        await withCheckedContinuation { continuation in
            let command = RemoteCommand(line: line) { continuation.resume(returning: $0) }
            lock.lock()
            guard !closed else {
                lock.unlock()
                command.reply(CommandInbox.stopped)
                return
            }
            queue.append(command)
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)  // EAGAIN (pipe full) is fine: it is readable already
            lock.unlock()
        }
    }

    /// The next command, if one is waiting; the wake-up pipe is drained once none is.
    public func take() -> RemoteCommand? {
        lock.lock()
        defer { lock.unlock() }
        let command = queue.isEmpty ? nil : queue.removeFirst()
        if queue.isEmpty {
            var bytes = [UInt8](repeating: 0, count: 256)
            while read(readEnd, &bytes, bytes.count) > 0 {}
        }
        return command
    }

    /// Answers every waiting command with `stopped` and refuses the ones that come later.
    public func close() {
        lock.lock()
        closed = true
        let waiting = queue
        queue = []
        lock.unlock()
        for command in waiting { command.reply(CommandInbox.stopped) }
    }

    private static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #elseif canImport(Darwin)
        _ = Darwin.close(fd)
        #endif
    }

    static let stopped = WebReply(outcome: "stopped", output: ["the live page stopped before the command ran"])
}
