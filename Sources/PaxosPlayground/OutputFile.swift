#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer of files: `export`, `--trace-jsonl`, the scripts `explore` and `check` write, the REPL's
/// history file (Docs/REPL.md, "Files").
///
/// - Atomic: the text goes to a temporary file in the same directory, which is then renamed into place. A
///   reader never sees half a file, and a write that fails leaves the old file as it was.
/// - A symbolic link is followed: the file it points to is replaced and the link stays.
/// - A file that exists keeps its permissions (unless `mode` says otherwise: the history file is always
///   0600); a new one gets 0666 less the umask. A read-only file is refused, not replaced.
/// - A device or a pipe (`/dev/null`, `/dev/stdout`) is written in place: there is nothing to rename.
/// - Every failure is one line in the project's words: `cannot write PATH: what is wrong; what to do`.
package enum OutputFile {
    package struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        package let description: String
        init(_ path: String, _ reason: String) { description = "cannot write \(path): \(reason)" }
    }

    /// Where the bytes go once links are followed.
    enum Target: Equatable {
        /// A regular file, existing or new: replaced atomically.
        case file(String)
        /// A device or a pipe: written in place.
        case special(String)
    }

    /// Checks that `path` can be written, without writing it: what ``write(_:to:mode:)`` would refuse,
    /// it refuses, so that a command can check its path before doing the work.
    package static func check(_ path: String) throws(Problem) {
        _ = try target(of: path)
    }

    /// `~/NAME` as a shell reads it: NAME in the home directory ($HOME); any other path as it is.
    package static func expandingHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let raw = getenv("HOME") else { return path }
        let home = String(cString: raw)
        return home.isEmpty ? path : home + path.dropFirst()
    }

    package static func write(_ text: String, to path: String, mode: mode_t? = nil) throws(Problem) {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil) throws(Problem) {
        switch try target(of: path) {
        case .special(let device):
            fflush(nil)  // what was printed before goes first (`--trace-jsonl /dev/stdout`)
            // Opened without blocking: a named pipe that no process reads would block the open, and the
            // session with it, for good (ENXIO says so at once). The writes then block as usual.
            let fd = open(device, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { throw Problem(path, reason(errno, path: path)) }
            defer { close(fd) }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            if let code = writeAll(fd, bytes) { throw Problem(path, reason(code, path: path)) }
        case .file(let file):
            try replace(file, with: bytes, mode: mode, named: path)
        }
    }

    /// For a file the user did not name (`explore.pxs`, `counterexample.pxs`): `path` when there is no such
    /// file or it holds an earlier file of this kind (its first line starts with `marker`); else the first
    /// of `NAME-2.EXT`, `NAME-3.EXT`, … that is free or holds an earlier file of this kind. A file of the
    /// user's is never replaced. `replaces` says an earlier file of this kind is.
    package static func unclaimedName(for path: String, marker: String) -> (path: String, replaces: Bool) {
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        let dot = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : $0 }
        let stem = dot.map { String(name[..<$0]) } ?? name
        let ext = dot.map { String(name[$0...]) } ?? ""
        for number in 1...1_000 {
            let candidate = number == 1 ? path : "\(directory)\(stem)-\(number)\(ext)"
            var info = stat()
            guard lstat(candidate, &info) == 0 else { return (candidate, false) }
            if firstLine(of: candidate)?.hasPrefix(marker) == true { return (candidate, true) }
        }
        return (path, false)
    }

    /// Writes a file the user did not name at ``unclaimedName(for:marker:)``, with the `text` made for the
    /// path chosen (only checks that path when `checkOnly`); returns the path and what to say after it: empty,
    /// ` (replacing the earlier one)`, or ` (PATH exists and is not an earlier one: left as it was)`.
    package static func writeUnclaimed(_ path: String, marker: String, checkOnly: Bool = false,
                                      text: (String) -> String) throws(Problem) -> (path: String, note: String) {
        let (chosen, replaces) = unclaimedName(for: path, marker: marker)
        if checkOnly {
            try check(chosen)
        } else {
            try write(text(chosen), to: chosen)
        }
        let note = replaces ? " (replacing the earlier one)" : chosen == path ? "" : " (\(path) exists and is not an earlier one: left as it was)"
        return (chosen, note)
    }

    // MARK: - The target

    static func target(of path: String) throws(Problem) -> Target {
        guard !path.isEmpty else { throw Problem("''", "the name is empty; name a file") }
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw Problem(path, "it is a directory; name a file in it")
            case S_IFREG:
                guard let resolved = realPath(path) else { throw Problem(path, reason(errno, path: path)) }
                // Mode bits as well as access(): root may write any file, but a file nobody may write is
                // the user's way to keep it.
                if access(resolved, W_OK) != 0 || info.st_mode & 0o222 == 0 {
                    throw Problem(path, errno == EROFS ? readOnlyFileSystem
                        : "it is read-only; make it writable (chmod u+w \(path)) or choose another path")
                }
                try checkDirectory(of: resolved, for: path)
                return .file(resolved)
            default:
                guard access(path, W_OK) == 0 else { throw Problem(path, reason(errno, path: path)) }
                return .special(path)
            }
        }
        let code = errno
        guard code == ENOENT || code == ENOTDIR else { throw Problem(path, reason(code, path: path)) }
        // Nothing there, or a link to nothing: follow the links by hand to where the file would go.
        var target = path
        for _ in 0..<32 {
            guard let link = linkTarget(target) else {
                try checkDirectory(of: target, for: path)
                return .file(target)
            }
            target = link.hasPrefix("/") ? link : directory(of: target) + "/" + link
        }
        throw Problem(path, "too many symbolic links on the way to it")
    }

    /// The directory `file` goes in exists and can be written.
    static func checkDirectory(of file: String, for path: String) throws(Problem) {
        let directory = directory(of: file)
        let via = file == path ? "" : "it links to \(file), and "
        var info = stat()
        guard stat(directory, &info) == 0 else {
            let code = errno
            switch code {
            case ENOENT: throw Problem(path, "\(via)there is no directory \(directory); create it first or choose another path")
            case ENOTDIR: throw Problem(path, "\(via)a part of \(directory) is a file, not a directory; choose another path")
            default: throw Problem(path, via + reason(code, path: path))
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Problem(path, "\(via)\(directory) is a file, not a directory; choose another path")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw Problem(path, errno == EROFS ? readOnlyFileSystem
                : "\(via)no permission to write in \(directory); choose a directory you can write to")
        }
    }

    // MARK: - Writing

    /// Writes a temporary file beside `file`, gives it its permissions, and renames it into place.
    static func replace(_ file: String, with bytes: [UInt8], mode: mode_t?, named path: String) throws(Problem) {
        var existing = stat()
        let exists = stat(file, &existing) == 0
        let directory = directory(of: file)
        let name = String(file[file.index(after: file.lastIndex(of: "/") ?? file.startIndex)...])
        let stem = name.utf8.count > 200 ? "paxos-playground" : name
        var temporary = ""
        var fd: Int32 = -1
        for attempt in 0..<1_000 {
            temporary = "\(directory)/.\(stem).\(getpid()).\(attempt).tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw Problem(path, reason(errno, path: path)) }
        var failure = writeAll(fd, bytes)
        if failure == nil, let permissions = mode ?? (exists ? existing.st_mode & 0o7777 : nil),
           fchmod(fd, permissions) != 0 {
            failure = errno
        }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, file) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw Problem(path, reason(failure, path: path))
        }
    }

    /// Writes every byte; the error number when it cannot.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += count
        }
        return nil
    }

    // MARK: - Paths and reasons

    static let readOnlyFileSystem = "the file system is read-only; choose another path"

    static func reason(_ code: Int32, path: String) -> String {
        switch code {
        case ENOENT: "there is no such directory; create it first or choose another path"
        case EACCES, EPERM: "no permission to write it; choose a directory you can write to"
        case EROFS: readOnlyFileSystem
        case ENOSPC: "the disk is full; free some space or choose another disk"
        case EDQUOT: "the disk quota is used up; free some space or choose another disk"
        case EISDIR: "it is a directory; name a file in it"
        case ENOTDIR: "a part of the path is a file, not a directory; choose another path"
        case ELOOP: "too many symbolic links on the way to it"
        case ENAMETOOLONG: "the name is too long; choose a shorter one"
        case ENXIO: "it is a named pipe that no process reads; start its reader first (such as cat \(path)) or choose a file"
        default: String(cString: strerror(code))
        }
    }

    /// The directory part of `path`: `.` for a bare name, `/` for a file at the root.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// What the symbolic link `path` points to, or nil when `path` is not one.
    static func linkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The first line of a file, read from its first 512 bytes; nil when it cannot be read.
    static func firstLine(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].prefix { $0 != 0x0A }, as: UTF8.self)
    }
}

/// write(2), which `OutputFile`'s own `write` methods hide inside it.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
