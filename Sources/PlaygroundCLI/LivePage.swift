import Foundation
import PaxosPlayground
import PaxosSimulation
import PlaygroundWeb

/// The REPL's side of the live page (`--web PORT`, `web on|off`): starts and stops the ``WebServer``, and
/// after each command hands it what the command printed and what it added to the run, rendered here, on
/// the REPL's thread, the only one that touches the session.
///
/// Sessions that never turn the page on are not changed at all: the session's hooks are set only while it
/// runs.
final class LivePage {
    private let session: Session
    /// The address `--web-bind` gave (127.0.0.1 by default).
    private let host: String
    private var server: WebServer?
    /// The snapshots of the steps of the command running now, as differences from the one before.
    private var encoder = SnapshotEncoder()
    private var newSnapshots: [JSON] = []
    /// How many trace events the pages have, and of which world (``Session/worlds``).
    private var sentEvents = 0
    private var world = 0
    /// What the command running now printed, while the page runs.
    private var printed: [String]?

    /// `web on` without a port.
    static let defaultPort = 8080
    /// The address it listens on without `--web-bind`: this machine only.
    static let defaultHost = "127.0.0.1"

    init(session: Session, host: String) {
        self.session = session
        self.host = host == "localhost" ? "127.0.0.1" : host
        session.web = { [unowned self] (request: WebSwitch) throws(CommandError) -> String in
            try self.handle(request)
        }
    }

    /// The queue of the page's commands, while it runs.
    var inbox: CommandInbox? { server?.inbox }
    /// What the pages are sent, while it runs.
    var feed: LiveFeed? { server?.feed }

    /// Whether the page can only be reached from this machine.
    var isLoopback: Bool { host.hasPrefix("127.") || host == "::1" }

    /// `web`, `web on [PORT]`, `web off`.
    func handle(_ request: WebSwitch) throws(CommandError) -> String {
        // A server whose listening loop ended on its own is off: say why, once, and start afresh on `web on`.
        var ended: String?
        if let server, let reason = server.stoppedServing {
            ended = "web: the live page stopped serving port \(server.port): \(reason)"
            stop()
        }
        switch request {
        case .status:
            guard let server else {
                return ended.map { $0 + "; web on [PORT] serves it again" } ?? "web: off (web on [PORT] serves the live page)"
            }
            return describe(server, started: false)
        case .on(let port):
            if let server {
                guard let port, port != server.port else { return describe(server, started: false) }
                stop()
            }
            do {
                let server = try WebServer.start(host: host, port: port ?? Self.defaultPort)
                self.server = server
                session.stepObserver = { [unowned self] simulation in
                    self.newSnapshots.append(self.encoder.encode(simulation))
                }
                publishWholeRun()
                return (ended.map { $0 + "\n" } ?? "") + describe(server, started: true)
            } catch {
                throw CommandError("web on: \(error.description)")
            }
        case .off:
            guard let server else { return ended ?? "web: off already" }
            let port = server.port
            guard stop() else {
                return "web: stopped serving port \(port), but its server is still busy reading a request: the port is free once it is done"
            }
            return "web: stopped serving port \(port); the pages say so"
        }
    }

    private func describe(_ server: WebServer, started: Bool) -> String {
        var lines = [
            "web: \(started ? "serving" : "serves") the live page on \(server.host) port \(server.port)",
            "  watch (read-only, for the class): \(server.watchURL)",
            "  control (drives this session; keep it to yourself): \(server.controlURL)",
        ]
        if server.listensEverywhere {
            lines.append("  the class: the watch URL with this machine's address on the network in place of 127.0.0.1 (hostname -I shows it)")
        }
        if !isLoopback {
            lines.append("  warning: \(server.host) is not loopback: every machine that reaches this one can watch; only the control URL's token can act")
        }
        return lines.joined(separator: "\n")
    }

    /// Stops serving (web off, quit, end of input); false when the server was still busy after
    /// ``WebServer/stopSecondsMax`` (it lets go of the port once done; the REPL does not wait for it).
    @discardableResult
    func stop() -> Bool {
        session.stepObserver = nil
        newSnapshots = []
        let stopped = server?.stop() ?? true
        server = nil
        return stopped
    }

    // MARK: - Around each command

    /// What the session writes, seen by the page too while it runs.
    func noteOutput(_ text: String) {
        guard printed != nil else { return }
        printed? += text.split(separator: "\n", omittingEmptySubsequences: false).map { Self.withoutColours(String($0)) }
    }

    /// Before a command runs: start collecting what it prints.
    func willRun() {
        printed = server == nil ? nil : []
        newSnapshots = []
    }

    /// After a command ran: the page gets its output (a `web` command's stays in the terminal: it holds
    /// the token) and the events and snapshots it added; a command from the page gets its answer.
    func didRun(_ line: String, outcome: Outcome, from remote: RemoteCommand?) {
        let lines = printed ?? []
        printed = nil
        if let remote {
            remote.reply(WebReply(outcome: Self.name(outcome), output: lines))
        }
        guard let server else { return }
        let command = line.trimmingCharacters(in: .whitespaces)
        if command.split(separator: " ").first != "web", !command.isEmpty {
            server.feed.output(command: command, source: remote == nil ? "repl" : "page", lines: lines)
        }
        publishChanges()
    }

    /// The events and snapshots since the last command, or the whole run when the world started over.
    private func publishChanges() {
        guard let server else { return }
        guard session.worlds == world, session.trace.count >= sentEvents else {
            publishWholeRun()
            return
        }
        let events = session.trace[sentEvents...].filter { !$0.isLeadersOwnMessage }.map(\.json)
        sentEvents = session.trace.count
        server.feed.append(events: events, snapshots: newSnapshots)
        newSnapshots = []
    }

    private func publishWholeRun() {
        guard let server else { return }
        server.feed.reset(data: session.pageData())
        encoder = SnapshotEncoder()
        _ = encoder.encode(session.simulation)
        newSnapshots = []
        sentEvents = session.trace.count
        world = session.worlds
    }

    static func name(_ outcome: Outcome) -> String {
        switch outcome {
        case .ok: "ok"
        case .expectFailed: "expect-failed"
        case .error: "error"
        case .interrupted: "interrupted"
        case .quit: "quit"
        }
    }

    /// `text` without its ANSI escape sequences (colours).
    static func withoutColours(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            guard scalars.next() == "[" else { continue }
            while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
        }
        return out
    }
}
