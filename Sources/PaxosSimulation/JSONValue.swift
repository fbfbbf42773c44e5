/// A JSON value whose objects keep their key order, so payloads print the way Docs/Protocol.md shapes them.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered == b.rendered }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered) }

    /// `{"vote": "accept", "proposal_id": 1}`: one line, a space after `:` and `,`.
    public var rendered: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``rendered``'s UTF-8 bytes to `out`: an export writes thousands of values into one buffer.
    /// `scriptSafe` also writes `<` as `\u003c` and the line separators U+2028 and U+2029 as `\u2028` and
    /// `\u2029` (they only occur inside strings), for JSON inside an HTML `<script>`.
    package func write(to out: inout [UInt8], scriptSafe: Bool = false) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .int(let value): JSONValue.writeDecimal(value, into: &out)
        case .string(let value): JSONValue.quote(value, into: &out, scriptSafe: scriptSafe)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
                item.write(to: &out, scriptSafe: scriptSafe)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (n, (key, value)) in fields.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
                JSONValue.quote(key, into: &out, scriptSafe: scriptSafe)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: " "))
                value.write(to: &out, scriptSafe: scriptSafe)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `value` in decimal, as `String(value)` writes it, without building the string.
    static func writeDecimal(_ value: Int, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    /// `text` as a JSON string. Every character escaped is ASCII, so the bytes are read one at a time: the
    /// bytes of any other character (0x80 and above) go through as they are, but for the line separators
    /// under `scriptSafe` (`E2 80 A8` and `E2 80 A9`). One pass: the runs between escapes are copied whole.
    static func quote(_ text: String, into out: inout [UInt8], scriptSafe: Bool = false) {
        var text = text
        out.append(UInt8(ascii: "\""))
        text.withUTF8 { bytes in
            var run = 0
            var k = 0
            while k < bytes.count {
                let byte = bytes[k]
                // After the backslash: one byte (`n`, `"`; the other three 0), or a `\u` escape's four hex digits.
                let escaped: (UInt8, UInt8, UInt8, UInt8)?
                var width = 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped = (byte, 0, 0, 0)
                case UInt8(ascii: "\n"): escaped = (UInt8(ascii: "n"), 0, 0, 0)
                case UInt8(ascii: "\r"): escaped = (UInt8(ascii: "r"), 0, 0, 0)
                case UInt8(ascii: "\t"): escaped = (UInt8(ascii: "t"), 0, 0, 0)
                case ..<0x20: escaped = (UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(byte >> 4), hexDigit(byte & 0xF))
                case UInt8(ascii: "<") where scriptSafe: escaped = (UInt8(ascii: "0"), UInt8(ascii: "0"), UInt8(ascii: "3"), UInt8(ascii: "c"))
                case 0xE2 where scriptSafe && k + 2 < bytes.count && bytes[k + 1] == 0x80
                    && (bytes[k + 2] == 0xA8 || bytes[k + 2] == 0xA9):
                    escaped = (UInt8(ascii: "2"), UInt8(ascii: "0"), UInt8(ascii: "2"), bytes[k + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    width = 3
                default:
                    escaped = nil
                }
                guard let (a, b, c, d) = escaped else {
                    k += 1
                    continue
                }
                out.append(contentsOf: bytes[run..<k])
                out.append(UInt8(ascii: "\\"))
                if b == 0 {
                    out.append(a)
                } else {
                    out.append(UInt8(ascii: "u"))
                    out.append(a)
                    out.append(b)
                    out.append(c)
                    out.append(d)
                }
                k += width
                run = k
            }
            out.append(contentsOf: bytes[run..<bytes.count])
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The lower-case hexadecimal digit of `nibble` (0 to 15).
private func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
