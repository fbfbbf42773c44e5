/// A replica's key/value data: what applying the redo records built.
///
/// A dictionary underneath: equality and hashing do not depend on the order keys were written in, and
/// ``pairs`` reads the data in key order, so nothing of `Dictionary`'s order reaches the trace.
public struct KeyValueData: Hashable, Sendable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// A key with its hash, so that the key of a record, applied on every replica, is hashed once (where the
    /// record was made), not at every apply. Equal keys have equal hashes, since `String`'s hash follows its
    /// equality (canonical equivalence); the hash is this process's and never leaves it.
    private struct HashedKey: Hashable, Sendable {
        let text: String
        let hash: Int

        init(_ text: String) {
            self.text = text
            hash = text.hashValue
        }

        init(of record: RedoRecord) {
            text = record.key
            hash = record.keyHash
        }

        static func == (a: HashedKey, b: HashedKey) -> Bool { a.hash == b.hash && a.text == b.text }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    private var values: [HashedKey: String] = [:]

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// How many keys have a value.
    public var count: Int { values.count }

    public var isEmpty: Bool { values.isEmpty }

    /// The value of `key`; setting nil removes the key.
    public subscript(key: String) -> String? {
        get { values[HashedKey(key)] }
        set { values[HashedKey(key)] = newValue }
    }

    /// Sets the record's key to its value, or removes the key when the value is empty.
    public mutating func apply(_ record: RedoRecord) {
        values[HashedKey(of: record)] = record.value.isEmpty ? nil : record.value
    }

    /// Applies the records in order.
    public mutating func apply(_ records: [RedoRecord]) {
        for record in records { apply(record) }
    }

    /// Every key and its value, in key order.
    public var pairs: [(key: String, value: String)] {
        values.map { (key: $0.key.text, value: $0.value) }.sorted { $0.key < $1.key }
    }

    public var description: String {
        "[" + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "]"
    }
}
