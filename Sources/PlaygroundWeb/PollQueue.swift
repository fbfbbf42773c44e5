import FlyingSocks
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's socket readiness queue: `poll(2)` over what every waiting connection asks for, with a pipe
/// that wakes it when that changes.
///
/// FlyingFox's own Linux queue (`ePoll`, 0.27) keeps a table of what each descriptor is registered for and
/// skips `epoll_ctl` when the table already says so. A connection that closes while a read is still
/// registered (a page's socket whose wait was cancelled) leaves its row behind, but the kernel drops the
/// registration with the descriptor. The next connection that gets the same descriptor number is then
/// never registered: its request is never read, and it waits in CLOSE-WAIT for good (outside audit, round 9:
/// up to 21 of 200 requests after 100 page sockets closed). Here nothing is cached in the kernel: each wait
/// polls exactly what the waiting connections ask for now, so a reused descriptor is just a descriptor.
struct PollQueue: EventQueue {
    /// What each descriptor's waiters ask for: the union the pool passes in, less what it takes back.
    private var interest: [Socket.FileDescriptor: Socket.Events] = [:]
    /// A pipe: a byte written to `wake.write` ends the current wait, so that it polls the new interest.
    private var wake: (read: Int32, write: Int32) = (-1, -1)
    private let stopped = StopFlag()

    init() {}

    mutating func open() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SocketError.makeFailed("pipe") }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wake = (ends[0], ends[1])
        interest = [:]
    }

    mutating func stop() throws {
        stopped.set()
        interest = [:]
        nudge()
    }

    mutating func close() throws {
        for end in [wake.read, wake.write] where end >= 0 { _ = systemClose(end) }
        wake = (-1, -1)
    }

    mutating func addEvents(_ events: Socket.Events, for socket: Socket.FileDescriptor) throws {
        let before = interest[socket] ?? []
        let after = before.union(events)
        guard after != before else { return }
        interest[socket] = after
        nudge()
    }

    mutating func removeEvents(_ events: Socket.Events, for socket: Socket.FileDescriptor) throws {
        guard var now = interest[socket] else { return }
        now.subtract(events)
        interest[socket] = now.isEmpty ? nil : now
    }

    /// Waits until a descriptor is ready for what is asked of it, or the interest changes (then it returns
    /// nothing, and the pool asks again with the new interest). Runs on a copy of the queue, on the pool's
    /// own thread.
    func getNotifications() throws -> [EventNotification] {
        if stopped.isSet { throw SocketError.disconnected }
        let asked = interest.sorted { $0.key.rawValue < $1.key.rawValue }
        var fds = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        for (socket, events) in asked {
            var mask: Int16 = 0
            if events.contains(.read) { mask |= Int16(POLLIN) }
            if events.contains(.write) { mask |= Int16(POLLOUT) }
            fds.append(pollfd(fd: socket.rawValue, events: mask, revents: 0))
        }
        let status = poll(&fds, nfds_t(fds.count), -1)
        if status < 0 {
            if errno == EINTR { return [] }
            throw SocketError.makeFailed("poll")
        }
        if fds[0].revents != 0 { drain() }
        if stopped.isSet { throw SocketError.disconnected }
        var notifications: [EventNotification] = []
        for (k, (socket, events)) in asked.enumerated() {
            let ready = Int32(fds[k + 1].revents)
            guard ready != 0 else { continue }
            var errors = Set<EventNotification.Error>()
            if ready & Int32(POLLERR | POLLNVAL) != 0 { errors.insert(.error) }
            if ready & Int32(POLLHUP) != 0, ready & Int32(POLLIN) == 0 { errors.insert(.endOfFile) }
            var readyFor = Socket.Events()
            if ready & Int32(POLLIN) != 0 { readyFor.insert(.read) }
            if ready & Int32(POLLOUT) != 0 { readyFor.insert(.write) }
            // An error wakes every waiter of the descriptor, which then fails; else only those it is ready for.
            let woken = errors.isEmpty ? readyFor.intersection(events) : events
            guard !woken.isEmpty else { continue }
            notifications.append(EventNotification(file: socket, events: woken, errors: errors))
        }
        return notifications
    }

    private func nudge() {
        guard wake.write >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)  // a full pipe already wakes the wait: a failed write is fine
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wake.read, &buffer, buffer.count) > 0 {}
    }

    private func systemClose(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #elseif canImport(Musl)
        Musl.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }
}

/// Set once, by `stop`, on the pool's actor; read by the waits on the pool's thread (each on its own copy of
/// the queue, which shares this flag).
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
