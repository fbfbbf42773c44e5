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
        case .int(let value): out += String(value).utf8
        case .string(let value): JSONValue.quote(value, into: &out, scriptSafe: scriptSafe)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (n, item) in items.enumerated() {
                if n > 0 { out += ", ".utf8 }
                item.write(to: &out, scriptSafe: scriptSafe)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (n, (key, value)) in fields.enumerated() {
                if n > 0 { out += ", ".utf8 }
                JSONValue.quote(key, into: &out, scriptSafe: scriptSafe)
                out += ": ".utf8
                value.write(to: &out, scriptSafe: scriptSafe)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `text` as a JSON string. Every character escaped is ASCII, so the bytes are read one at a time: the
    /// bytes of any other character (0x80 and above) go through as they are, but for the line separators
    /// under `scriptSafe` (`E2 80 A8` and `E2 80 A9`).
    static func quote(_ text: String, into out: inout [UInt8], scriptSafe: Bool = false) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: they go in whole.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
            || (scriptSafe && ($0 == UInt8(ascii: "<") || $0 == 0xE2)) }) else {
            out += text.utf8
            out.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        let bytes = Array(text.utf8)
        var k = 0
        while k < bytes.count {
            let byte = bytes[k]
            k += 1
            switch byte {
            case UInt8(ascii: "\""): out += "\\\"".utf8
            case UInt8(ascii: "\\"): out += "\\\\".utf8
            case UInt8(ascii: "\n"): out += "\\n".utf8
            case UInt8(ascii: "\r"): out += "\\r".utf8
            case UInt8(ascii: "\t"): out += "\\t".utf8
            case ..<0x20:
                out += "\\u00".utf8
                out += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            case UInt8(ascii: "<") where scriptSafe: out += "\\u003c".utf8
            case 0xE2 where scriptSafe && k + 1 < bytes.count && bytes[k] == 0x80 && (bytes[k + 1] == 0xA8 || bytes[k + 1] == 0xA9):
                out += (bytes[k + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8
                k += 2
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
