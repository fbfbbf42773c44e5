/// Fitting text to a width: lines broken at word boundaries, continued under a hanging indent.
package enum TextWrap {
    /// `line` in pieces of at most `width` characters, broken at spaces; every piece after the first starts
    /// with `indent` spaces. A word longer than the room left is cut where the line ends. A line that fits,
    /// or a nil width, comes back whole.
    package static func wrap(_ line: String, width: Int?, indent: Int) -> [String] {
        guard let width, line.count > width else { return [line] }
        let hang = min(max(0, indent), width / 2)
        let pad = String(repeating: " ", count: hang)
        var pieces: [String] = []
        var rest = Substring(line)
        var current = ""
        var first = true
        while !rest.isEmpty {
            let room = width - (first ? 0 : hang)
            if rest.count <= room {
                current = String(rest)
                rest = ""
                break
            }
            // The last space within the room (one past it may be a space too), not within the leading indent.
            let window = rest.prefix(room + 1)
            var cut = window.lastIndex(of: " ")
            if let at = cut {
                let head = rest[..<at]
                if head.allSatisfy({ $0 == " " }) { cut = nil }
            }
            if let at = cut {
                var head = String(rest[..<at])
                while head.last == " " { head.removeLast() }
                pieces.append((first ? "" : pad) + head)
                rest = rest[at...].drop { $0 == " " }
            } else {
                let at = rest.index(rest.startIndex, offsetBy: room)
                pieces.append((first ? "" : pad) + rest[..<at])
                rest = rest[at...]
            }
            first = false
        }
        if !current.isEmpty { pieces.append((first ? "" : pad) + current) }
        return pieces
    }

    /// The number of leading spaces of `line`.
    static func leadingSpaces(_ line: String) -> Int { line.prefix { $0 == " " }.count }
}
