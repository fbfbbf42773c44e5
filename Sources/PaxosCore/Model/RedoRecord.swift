/// One redo record: set `key` to `value` (an empty value deletes the key).
public struct RedoRecord: Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let value: String
    /// `key`'s hash (this process's `hashValue`), taken once where the record is made: the record is applied
    /// on every replica, and hashing the key there would be more than half of what an apply costs.
    let keyHash: Int

    public init(key: String, value: String) {
        self.key = key
        self.value = value
        keyHash = key.hashValue
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
