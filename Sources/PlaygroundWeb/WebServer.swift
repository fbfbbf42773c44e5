import FlyingFox
import FlyingSocks
import Foundation
import PaxosPlayground
import PaxosSimulation

/// The live page's server (`paxos-playground --web PORT`, `web on`): the space-time page, live, on HTTP
/// and a WebSocket (FlyingFox, on threads of its own).
///
/// | request | answer |
/// |---|---|
/// | `GET /watch` | the page, read-only (for the class) |
/// | `GET /?token=T` | the page with controls (for the teacher); without the token, 403 |
/// | `GET /socket` | the WebSocket of ``LiveFeed`` (read-only: a frame sent on it gets an error back) |
/// | `GET /state` | the run so far, as the page's JSON |
/// | `POST /command?token=T` | the body, one command line, runs in the REPL as if typed; the answer is JSON `{"outcome", "output"}` |
///
/// The server never touches the session: commands go through ``CommandInbox`` to the REPL's thread, and the
/// REPL hands ``LiveFeed`` JSON it rendered. No request can end the session: `quit`, `exit` and `web` are
/// refused from the page.
public final class WebServer: Sendable {
    /// The host and port it listens on (the port the system chose, for port 0).
    public let host: String
    public let port: Int
    /// The per-session secret of the control URL.
    public let token: String
    public let feed: LiveFeed
    public let inbox: CommandInbox
    private let server: HTTPServer
    private let task: Task<Void, Never>

    /// The read-only page.
    public var watchURL: String { "http://\(urlHost):\(port)/watch" }
    /// The page with controls.
    public var controlURL: String { "http://\(urlHost):\(port)/?token=\(token)" }
    /// Whether it listens on every address of the machine (0.0.0.0, ::): the URLs then name 127.0.0.1, which
    /// the class replaces with the machine's address on the network.
    public var listensEverywhere: Bool { host == "0.0.0.0" || host == "::" }
    private var urlHost: String { listensEverywhere ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host }

    /// The most bytes a command request may carry.
    static let bodyBytesMax = Limits.lineCharactersMax * 4

    /// Starts serving on `host` (an IPv4 or IPv6 address) and `port` (0: any free port) and returns once it
    /// listens; throws the one line that says why it cannot.
    public static func start(host: String, port: Int) throws(WebError) -> WebServer {
        let address: any SocketAddress
        guard let portNumber = UInt16(exactly: port) else { throw WebError("port \(port) is not a port (0 to 65535)") }
        do {
            address = host.contains(":") ? try sockaddr_in6.inet6(ip6: host, port: portNumber)
                                         : try sockaddr_in.inet(ip4: host, port: portNumber)
        } catch {
            throw WebError("'\(InputText.escaped(host))' is not an IP address: --web-bind takes one, such as 127.0.0.1, 0.0.0.0 or ::1")
        }
        guard let inbox = CommandInbox() else { throw WebError("no pipe to wake the REPL with (too many open files?)") }
        let token = Self.makeToken()
        let feed = LiveFeed()
        let server = HTTPServer(config: .init(address: address, timeout: 3600,
                                              pool: SocketPool(queue: PollQueue(), logger: .disabled), logger: .disabled))
        let started = StartSignal()
        let ended = EndNote()
        let task = Task {
            let routes = Routes(token: token, feed: feed, inbox: inbox)
            await server.appendRoute("GET /socket", to: WebSocketHTTPHandler(handler: FeedSocket(feed: feed)))
            await server.appendRoute("*") { request in await routes.answer(request) }
            let waiter = Task {
                do {
                    try await server.waitUntilListening(timeout: 10)
                    started.finish(.success(await server.listeningAddress))
                } catch {
                    started.finish(.failure(WebError("the server did not start listening")))
                }
            }
            do {
                try await server.run()
                ended.set("it was stopped")
            } catch {
                let reason = Self.describe(error, host: host, port: port)
                started.finish(.failure(WebError(reason)))
                ended.set(reason)
            }
            waiter.cancel()
        }
        let listening: Socket.Address?
        switch started.wait() {
        case .success(let address): listening = address
        case .failure(let error):
            task.cancel()
            throw error
        }
        var actualPort = port
        if case .ip4(_, let bound)? = listening { actualPort = Int(bound) }
        if case .ip6(_, let bound)? = listening { actualPort = Int(bound) }
        return WebServer(host: host, port: actualPort, token: token, feed: feed, inbox: inbox, server: server, task: task,
                         ended: ended)
    }

    private init(host: String, port: Int, token: String, feed: LiveFeed, inbox: CommandInbox, server: HTTPServer,
                 task: Task<Void, Never>, ended: EndNote) {
        (self.host, self.port, self.token, self.feed, self.inbox, self.server, self.task) = (host, port, token, feed, inbox, server, task)
        self.ended = ended
    }

    private let ended: EndNote

    /// Why the server stopped listening on its own (it ran out of file descriptors, say: the listening
    /// loop ends on an accept that fails), or nil while it serves. The REPL reports it rather than claim the
    /// page is served.
    public var stoppedServing: String? { ended.value }

    /// Stops serving: waiting commands are answered `stopped`, pages' sockets close, and it returns once the
    /// listening socket is closed (at most about a second), or after `stopSecondsMax` when the server's
    /// threads are all busy: then it returns false, and the port is let go of once they are done. (FlyingFox
    /// 0.27 reads a header line in time that grows with the square of its length: a request with a header
    /// of 200 KB keeps a thread busy for tens of seconds, and the REPL must not wait for it.)
    @discardableResult
    public func stop() -> Bool {
        inbox.close()
        feed.finishAll()
        let done = StartSignal()
        let server = self.server
        Task {
            await server.stop(timeout: 1)
            done.finish(.success(nil))
        }
        let stopped = done.wait(seconds: Self.stopSecondsMax) != nil
        task.cancel()
        return stopped
    }

    /// The longest `stop` waits for the server to let go of its port.
    static let stopSecondsMax = 2.0

    /// 32 hex digits from the system's generator: not the simulation's seed, and never in its output.
    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt32, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    static func describe(_ error: any Error, host: String, port: Int) -> String {
        guard case SocketError.failed(_, let code, let message) = error else {
            return "cannot serve on \(host) port \(port): \(InputText.escaped("\(error)"))"
        }
        switch code {
        case EADDRINUSE: return "port \(port) on \(host) is in use: pick another port, or 0 for any free port"
        case EACCES: return "port \(port) on \(host) needs privileges: pick one above 1023"
        case EADDRNOTAVAIL: return "\(host) is not an address of this machine: --web-bind takes one of its addresses, or 0.0.0.0"
        case EINVAL: return "\(host) cannot be listened on (\(InputText.escaped(message))): --web-bind takes one of this machine's addresses, such as 127.0.0.1 or ::1, or 0.0.0.0"
        case EMFILE, ENFILE: return "too many open files to take another connection (connections left open by clients, or a low ulimit -n)"
        default: return "cannot serve on \(host) port \(port): \(InputText.escaped(message))"
        }
    }
}

/// Why the live page cannot start: one line.
public struct WebError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Why the server's listening loop ended, once it has: set from its task, read from the REPL's thread.
private final class EndNote: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?

    func set(_ text: String) { lock.withLock { if reason == nil { reason = text } } }
    var value: String? { lock.withLock { reason } }
}

/// A one-shot result handed from the server's tasks to the thread that waits for it.
private final class StartSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Socket.Address?, WebError>?

    func finish(_ value: Result<Socket.Address?, WebError>) {
        condition.lock()
        if result == nil { result = value }
        condition.signal()
        condition.unlock()
    }

    func wait() -> Result<Socket.Address?, WebError> {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }

    /// The result, or nil when none came within `seconds`.
    func wait(seconds: Double) -> Result<Socket.Address?, WebError>? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while result == nil, condition.wait(until: deadline) {}
        return result
    }
}

/// The WebSocket: the feed, read-only.
///
/// It hands the connection its frames itself, from a queue of ``LiveFeed/queueMax`` frames that the
/// connection's writer takes one at a time as the socket accepts them: a page that stops reading fills it and
/// is cut off there. (FlyingFox's message handler moves every message at once into an unbounded stream of
/// frames, so a stalled page grew the REPL's memory with every command; outside audit, round 10.)
struct FeedSocket: WSHandler {
    let feed: LiveFeed

    func makeFrames(for client: AsyncThrowingStream<WSFrame, any Error>) async throws -> AsyncStream<WSFrame> {
        let (id, messages, answers) = feed.subscribe()
        let (frames, out) = AsyncStream<WSFrame>.makeStream(bufferingPolicy: .bufferingOldest(LiveFeed.queueMax))
        let feed = self.feed
        Task {
            for await message in messages {
                guard case .text(let text) = message,
                      case .enqueued = out.yield(WSFrame(fin: true, opcode: .text, mask: nil, payload: Data(text.utf8)))
                else {
                    feed.unsubscribe(id)  // the page reads nothing: cut it off, as the feed would
                    break
                }
            }
            out.finish()
        }
        Task {
            do {
                for try await frame in client {
                    switch frame.opcode {
                    case .close:
                        out.yield(WSFrame(fin: true, opcode: .close, mask: nil, payload: frame.payload.prefix(2)))
                        feed.unsubscribe(id)
                        return
                    case .ping:
                        out.yield(WSFrame(fin: true, opcode: .pong, mask: nil, payload: frame.payload))
                    case .pong:
                        continue
                    default:
                        let error = JSON.object([
                            ("type", .string("error")),
                            ("error", .string("the live feed is read-only: send commands with POST /command?token=TOKEN (the control page does)")),
                        ]).rendered
                        answers.yield(.text(error))
                    }
                }
            } catch {}
            feed.unsubscribe(id)
        }
        return frames
    }
}

/// Every request but the WebSocket's.
private struct Routes: Sendable {
    let token: String
    let feed: LiveFeed
    let inbox: CommandInbox

    func answer(_ request: HTTPRequest) async -> HTTPResponse {
        switch (request.method, request.path) {
        case (.GET, "/watch"), (.HEAD, "/watch"):
            return page(mode: "watch")
        case (.GET, "/"), (.HEAD, "/"):
            guard hasToken(request) else {
                return text(.forbidden, "403 forbidden: the control page needs this session's token (?token=…, printed by the REPL with the control URL); /watch is the read-only page")
            }
            return page(mode: "control")
        case (.GET, "/state"):
            return HTTPResponse(statusCode: .ok, headers: headers("application/json"), body: Data(feed.data.utf8))
        case (.POST, "/command"):
            return await command(request)
        case (_, "/watch"), (_, "/"), (_, "/state"), (_, "/command"), (_, "/socket"):
            return text(.methodNotAllowed, "405 method not allowed: \(request.method.rawValue) \(InputText.escaped(request.path)); the page is GET / or GET /watch, commands are POST /command?token=TOKEN")
        default:
            return text(.notFound, "404 not found: \(InputText.escaped(request.path)); the live page is /watch (read-only) and /?token=TOKEN (control)")
        }
    }

    private func command(_ request: HTTPRequest) async -> HTTPResponse {
        guard hasToken(request) else {
            return text(.forbidden, "403 forbidden: commands need this session's token: POST /command?token=TOKEN, from the control URL the REPL printed; /watch is read-only")
        }
        if let length = request.headers[HTTPHeader("Content-Length")].flatMap({ Int($0) }), length > WebServer.bodyBytesMax {
            return tooLarge
        }
        // Read piece by piece, so that a body with no length (chunked) is held only up to the limit. Past it
        // the rest is read and dropped, up to 64 times the limit, so that the client gets its 413 (a socket
        // closed on unread bytes is reset, and the answer lost); a longer one is cut off.
        var body = Data()
        var read = 0
        do {
            for try await piece in request.bodySequence {
                read += piece.count
                if read <= WebServer.bodyBytesMax { body.append(piece) }
                if read > WebServer.bodyBytesMax * 64 { break }
            }
        } catch {
            return text(.badRequest, "400 bad request: the body could not be read")
        }
        guard read <= WebServer.bodyBytesMax else { return tooLarge }
        guard let decoded = String(data: body, encoding: .utf8) else {
            return text(.badRequest, "400 bad request: the body is not UTF-8 text; send one command line, such as deliver 3")
        }
        // One line break may end the body. "\r\n" is one Character, so it is checked, and dropped, as one; the
        // breaks inside are looked for among the scalars, where "\r\n" is two.
        var line = Substring(decoded)
        if line.last == "\r\n" || line.last == "\n" { line.removeLast() }
        let trimmed = String(line)
        guard !trimmed.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            return text(.badRequest, "400 bad request: one command line per request (the body has several lines)")
        }
        let first = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        guard !first.isEmpty else {
            return text(.badRequest, "400 bad request: the body is empty; send one command line, such as deliver 3")
        }
        if ["quit", "exit", "web"].contains(first) {
            return text(.forbidden, "403 forbidden: \(first) is not allowed from the page: only the REPL can end the session or stop the live page")
        }
        let reply = await inbox.submit(trimmed)
        let status: HTTPStatusCode = switch reply.outcome {
        case "error": .badRequest
        case "stopped": .serviceUnavailable
        default: .ok
        }
        let json = JSON.object([("outcome", .string(reply.outcome)), ("output", .array(reply.output.map { .string($0) }))])
        return HTTPResponse(statusCode: status, headers: headers("application/json"), body: Data(json.rendered.utf8))
    }

    private var tooLarge: HTTPResponse {
        text(.payloadTooLarge, "413 payload too large: the body is one command line (at most \(Limits.lineCharactersMax) characters)")
    }

    /// The space-time page in live mode: `{"live": {"mode": …, "token": …}}` in place of the run's data.
    private func page(mode: String) -> HTTPResponse {
        var live: [(String, JSON)] = [("mode", .string(mode))]
        if mode == "control" { live.append(("token", .string(token))) }
        guard let html = HTMLRenderer.page(data: .object([("live", .object(live))])) else {
            return text(.internalServerError, "500: the space-time template has no data line: this build is broken")
        }
        return HTTPResponse(statusCode: .ok, headers: headers("text/html; charset=utf-8"), body: Data(html.utf8))
    }

    /// Whether the query's `token` is this session's, compared in constant time.
    private func hasToken(_ request: HTTPRequest) -> Bool {
        guard let given = request.query.first(where: { $0.name == "token" })?.value else { return false }
        let a = Array(given.utf8), b = Array(token.utf8)
        var difference = a.count ^ b.count
        for k in 0..<b.count { difference |= Int((k < a.count ? a[k] : 0) ^ b[k]) }
        return difference == 0
    }

    private func text(_ status: HTTPStatusCode, _ body: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: headers("text/plain; charset=utf-8"), body: Data((body + "\n").utf8))
    }

    private func headers(_ type: String) -> HTTPHeaders {
        [HTTPHeader("Content-Type"): type, HTTPHeader("Cache-Control"): "no-store"]
    }
}
