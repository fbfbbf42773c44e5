#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one reader of the command language's input: REPL lines (typed or piped), script files and `run -`
/// all become lines of text here, the same way (Docs/REPL.md, "Input").
///
/// - A line ends at LF or CRLF; a UTF-8 byte-order mark at the very start is dropped.
/// - Input that is not UTF-8 is refused, saying what was found: UTF-16, binary (a NUL byte), or the first
///   byte that is not UTF-8, with its line (and, for Latin-1, the character it would be).
/// - Control characters are not refused here but by the parser, a line at a time
///   (``CommandParser/parse(_:)``); every error line shows them escaped (``escaped(_:)``).
package enum InputText {
    /// What is wrong with some input, in the project's words: what was found and what to do.
    package struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Lines

    /// One line as the REPL reads it (without its LF): a trailing CR dropped, and on the first line of
    /// the input a byte-order mark; refused when it is not UTF-8, saying where.
    package static func line(_ bytes: some Collection<UInt8>, first: Bool) throws(Problem) -> String {
        var bytes = ArraySlice(bytes)
        if first, bytes.starts(with: byteOrderMark) { bytes = bytes.dropFirst(byteOrderMark.count) }
        if bytes.last == carriageReturn { bytes = bytes.dropLast() }
        if let bad = firstInvalidUTF8(bytes) {
            let column = String(decoding: bytes[..<bad], as: UTF8.self).count + 1
            throw Problem("not UTF-8 text: byte \(hex(bytes[bad])) at column \(column)\(latin1Hint(bytes[bad])); set the terminal to UTF-8")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A whole script: refused as a whole when it is UTF-16, binary or not UTF-8 (nothing of it runs);
    /// else its lines, each read as ``line(_:first:)`` reads it.
    package static func lines(_ bytes: [UInt8]) throws(Problem) -> [String] {
        var text = bytes[...]
        if text.starts(with: byteOrderMark) { text = text.dropFirst(byteOrderMark.count) }
        if let endian = utf16(text) {
            throw Problem("UTF-16 text (\(endian)), not UTF-8; save it as UTF-8 (iconv -f UTF-16 -t UTF-8)")
        }
        if let nul = text.firstIndex(of: 0) {
            throw Problem("binary, not text (a NUL byte at line \(lineNumber(of: nul, in: text))); name a .pxs script")
        }
        if let bad = firstInvalidUTF8(text) {
            let hint = latin1Hint(text[bad])
            let fix = hint.isEmpty ? "save it as UTF-8" : "save it as UTF-8 (iconv -f LATIN1 -t UTF-8)"
            throw Problem("not UTF-8 text: byte \(hex(text[bad])) at line \(lineNumber(of: bad, in: text))\(hint); \(fix)")
        }
        var pieces = text.split(separator: lineFeed, omittingEmptySubsequences: false)
        if pieces.count > 1, pieces.last?.isEmpty == true { pieces.removeLast() }
        var lines: [String] = []
        for piece in pieces {
            lines.append(try line(piece, first: false))
        }
        return lines
    }

    /// The lines of `text`, as a file holding it is read (``lines(_:)``).
    package static func lines(of text: String) throws(Problem) -> [String] {
        try lines(Array(text.utf8))
    }

    // MARK: - Files

    /// The bytes of the script at `path`, or what keeps it from being read: missing, a directory, no
    /// permission, longer than ``Limits/scriptBytesMax``. (Its text is read by ``lines(_:)``.)
    package static func contents(ofFile path: String) throws(Problem) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Problem(reason(errno, reading: path)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Problem("a directory, not a script; name a .pxs file in it") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Problem(reason(errno, reading: path)) }
        defer { close(fd) }
        return try readAll(fd, path: path)
    }

    /// Every byte of standard input, up to ``Limits/scriptBytesMax`` (`run -`).
    package static func standardInput() throws(Problem) -> [UInt8] {
        try readAll(STDIN_FILENO, path: "-")
    }

    private static func readAll(_ fd: Int32, path: String) throws(Problem) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw Problem(reason(errno, reading: path))
            }
            bytes += chunk[..<count]
            if bytes.count > Limits.scriptBytesMax {
                throw Problem("a script takes at most \(Limits.scriptBytesMax) bytes (scriptBytesMax), and this one is longer: split it into smaller scripts")
            }
        }
    }

    static func reason(_ code: Int32, reading path: String) -> String {
        switch code {
        case ENOENT: "no such file; check the name and the directory you run from"
        case ENOTDIR: "no such file: a part of the path before the name is not a directory"
        case EACCES, EPERM: "no permission to read it; make it readable (chmod u+r \(path)) or run as its owner"
        case EISDIR: "a directory, not a script; name a .pxs file in it"
        case ELOOP: "too many symbolic links on the way to it"
        case ENAMETOOLONG: "the path is too long"
        default: "cannot read it: \(String(cString: strerror(code)))"
        }
    }

    // MARK: - Escaping

    /// `text` with every character a terminal could act on shown as `\u{HEX}`: control characters (C0 but
    /// tab, DEL, C1), bidirectional controls (U+202E and its kind), line and paragraph separators, and the
    /// invisible zero-width space and byte-order mark.
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The first character of `line` a command may not hold (``escaped(_:)``), with what it is and its
    /// column; nil when there is none.
    static func firstUnsafe(in line: String) -> (kind: String, scalar: Unicode.Scalar, column: Int)? {
        var column = 1
        for scalar in line.unicodeScalars {
            if isUnsafe(scalar) {
                let kind = switch scalar.value {
                case 0...0x1F, 0x7F...0x9F: "control character"
                case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: "text direction control"
                default: "invisible character"
                }
                return (kind, scalar, column)
            }
            column += 1
        }
        return nil
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200B, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    // MARK: - Bytes

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    static func hex(_ byte: UInt8) -> String {
        "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// ` (é in Latin-1)` for a byte that is a letter or sign in Latin-1, else empty.
    static func latin1Hint(_ byte: UInt8) -> String {
        guard byte >= 0xA1, byte != 0xAD else { return "" }
        return " (\(Character(Unicode.Scalar(byte))) in Latin-1)"
    }

    static func lineNumber(of index: Int, in bytes: ArraySlice<UInt8>) -> Int {
        bytes[..<index].reduce(1) { $0 + ($1 == lineFeed ? 1 : 0) }
    }

    /// `little-endian` or `big-endian` when the bytes look like UTF-16: a UTF-16 byte-order mark, or NUL
    /// bytes in every other place of an ASCII start.
    static func utf16(_ bytes: ArraySlice<UInt8>) -> String? {
        if bytes.starts(with: [0xFF, 0xFE]) { return "little-endian" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "big-endian" }
        let start = Array(bytes.prefix(64))
        guard start.count >= 4, start.count % 2 == 0 else { return nil }
        let even = stride(from: 0, to: start.count, by: 2).map { start[$0] }
        let odd = stride(from: 1, to: start.count, by: 2).map { start[$0] }
        if odd.allSatisfy({ $0 == 0 }), even.allSatisfy({ $0 != 0 && $0 < 0x80 }) { return "little-endian" }
        if even.allSatisfy({ $0 == 0 }), odd.allSatisfy({ $0 != 0 && $0 < 0x80 }) { return "big-endian" }
        return nil
    }

    /// The index of the first byte that does not start or continue a well-formed UTF-8 sequence (no
    /// overlong forms, surrogates or values past U+10FFFF): for a sequence cut short, its first byte.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            let second: ClosedRange<UInt8>
            switch lead {
            case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
            case 0xE0: (length, second) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
            case 0xED: (length, second) = (3, 0x80...0x9F)
            case 0xF0: (length, second) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
            case 0xF4: (length, second) = (4, 0x80...0x8F)
            default: return i
            }
            guard bytes.endIndex - i >= length, second.contains(bytes[i + 1]) else { return i }
            for k in 2..<length where !(0x80...0xBF).contains(bytes[i + k]) { return i }
            i += length
        }
        return nil
    }
}
