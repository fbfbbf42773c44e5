/// One redo record: set `key` to `value` (an empty value deletes the key).
public struct RedoRecord: Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `K=V`; nil when there is no `=` or the key is empty.
    public init?(parsing text: some StringProtocol) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        self.init(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    public var description: String { "\(key)=\(value)" }
}

/// A client transaction: the redo records its reads and writes produced.
public struct Transaction: Hashable, Sendable {
    /// Numbered by the client, for the trace (`t3`).
    public let id: Int
    public let redo: [RedoRecord]

    public init(id: Int, redo: [RedoRecord]) {
        self.id = id
        self.redo = redo
    }
}
