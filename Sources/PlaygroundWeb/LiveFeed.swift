import FlyingFox
import Foundation
import PaxosSimulation

/// The playground's JSON value (FlyingFox has a JSONValue of its own).
public typealias JSON = PaxosSimulation.JSONValue

/// What the pages watching the session are sent, over their WebSocket (`GET /socket`), as JSON text:
///
/// - `{"type": "reset", "data": DATA}`: the whole run, the object `export html` embeds (``HTMLRenderer``),
///   first on connecting and again when the world starts over (`cluster`, `undo`);
/// - `{"type": "append", "events": [...], "snapshots": [...]}`: the events and snapshots (differences) the
///   last command added;
/// - `{"type": "output", "source": "repl"|"page", "command": LINE, "lines": [...]}`: a command and what it
///   printed, as the REPL showed it (without colours); the last ones are sent on connecting too;
/// - `{"type": "error", "error": TEXT}`: an answer to a frame the page sent (the feed is read-only).
///
/// The REPL thread hands it JSON it rendered already; the feed keeps the run's parts to send the whole to a
/// page that connects later, and never touches the session.
public final class LiveFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var header: [(String, JSON)] = [("title", .string("")), ("replicas", .array([]))]
    private var events: [String] = []
    private var snapshots: [String] = []
    private var transcript: [String] = []
    private var subscribers: [Int: AsyncStream<WSMessage>.Continuation] = [:]
    private var nextSubscriber = 0

    /// Output messages kept for a page that connects later.
    public static let transcriptMax = 200
    /// Messages waiting for one page. A page that reads none of them (a stalled browser, a client that never
    /// reads) is cut off when its queue is full, instead of growing the REPL's memory without end; reloading
    /// the page gets the whole run again.
    public static let queueMax = 4_096

    public init() {}

    /// Starts over with `data`, the object ``HTMLRenderer/data(title:replicaCount:events:snapshots:)`` makes.
    public func reset(data: JSON) {
        var header: [(String, JSON)] = []
        var events: [String] = []
        var snapshots: [String] = []
        if case .object(let fields) = data {
            for (key, value) in fields {
                switch (key, value) {
                case ("events", .array(let items)): events = items.map(\.rendered)
                case ("snapshots", .array(let items)): snapshots = items.map(\.rendered)
                case ("snapshot_encoding", _): break
                default: header.append((key, value))
                }
            }
        }
        lock.lock()
        (self.header, self.events, self.snapshots) = (header, events, snapshots)
        let message = resetMessage()
        lock.unlock()
        broadcast(message)
    }

    /// The events and snapshots one command added.
    public func append(events newEvents: [JSON], snapshots newSnapshots: [JSON]) {
        guard !newEvents.isEmpty || !newSnapshots.isEmpty else { return }
        let renderedEvents = newEvents.map(\.rendered)
        let renderedSnapshots = newSnapshots.map(\.rendered)
        lock.lock()
        events += renderedEvents
        snapshots += renderedSnapshots
        lock.unlock()
        broadcast("{\"type\": \"append\", \"events\": [\(renderedEvents.joined(separator: ", "))], \"snapshots\": [\(renderedSnapshots.joined(separator: ", "))]}")
    }

    /// A command and what it printed.
    public func output(command: String, source: String, lines: [String]) {
        let message = JSON.object([
            ("type", .string("output")), ("source", .string(source)), ("command", .string(command)),
            ("lines", .array(lines.map { .string($0) })),
        ]).rendered
        lock.lock()
        transcript.append(message)
        if transcript.count > LiveFeed.transcriptMax { transcript.removeFirst(transcript.count - LiveFeed.transcriptMax) }
        lock.unlock()
        broadcast(message)
    }

    /// The run so far, as the page's data object (`GET /state`).
    public var data: String {
        lock.lock()
        defer { lock.unlock() }
        return dataObject()
    }

    /// How many pages are connected.
    public var subscriberCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return subscribers.count
    }

    /// Adds a page: it gets the whole run and the recent output first, then every message after, in order,
    /// through `messages`, which holds at most ``queueMax`` unread ones (past that the page is cut off:
    /// `messages` ends). `continuation` is for answers to the page's own frames.
    public func subscribe() -> (id: Int, messages: AsyncStream<WSMessage>, continuation: AsyncStream<WSMessage>.Continuation) {
        let (stream, continuation) = AsyncStream<WSMessage>.makeStream(bufferingPolicy: .bufferingOldest(Self.queueMax))
        lock.lock()
        defer { lock.unlock() }
        let id = nextSubscriber
        nextSubscriber += 1
        continuation.yield(.text(resetMessage()))
        for message in transcript { continuation.yield(.text(message)) }
        subscribers[id] = continuation
        return (id, stream, continuation)
    }

    public func unsubscribe(_ id: Int) {
        lock.lock()
        let continuation = subscribers.removeValue(forKey: id)
        lock.unlock()
        continuation?.finish()
    }

    /// Closes every page's socket (the live page stops).
    func finishAll() {
        lock.lock()
        let all = subscribers.values
        subscribers = [:]
        lock.unlock()
        for continuation in all { continuation.finish() }
    }

    private func broadcast(_ message: String) {
        lock.lock()
        // Under the lock, so that a page subscribing now gets each message once, in order.
        var behind: [AsyncStream<WSMessage>.Continuation] = []
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(.text(message)) {
                // Its queue is full: a page that missed a message would show a wrong run. Cut it off.
                subscribers[id] = nil
                behind.append(continuation)
            }
        }
        lock.unlock()
        for continuation in behind { continuation.finish() }
    }

    private func resetMessage() -> String {
        "{\"type\": \"reset\", \"data\": \(dataObject())}"
    }

    private func dataObject() -> String {
        var out = "{"
        for (key, value) in header { out += JSON.string(key).rendered + ": " + value.rendered + ", " }
        out += "\"events\": [" + events.joined(separator: ", ") + "], \"snapshot_encoding\": \"delta\", "
        out += "\"snapshots\": [" + snapshots.joined(separator: ", ") + "]}"
        return out
    }
}
