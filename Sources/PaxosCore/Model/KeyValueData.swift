/// A replica's key/value data: what applying the redo records built.
///
/// A dictionary underneath: equality and hashing do not depend on the order keys were written in, and
/// ``pairs`` reads the data in key order, so nothing of `Dictionary`'s order reaches the trace.
public struct KeyValueData: Hashable, Sendable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var values: [String: String] = [:]

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// How many keys have a value.
    public var count: Int { values.count }

    public var isEmpty: Bool { values.isEmpty }

    /// The value of `key`; setting nil removes the key.
    public subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// Sets the record's key to its value, or removes the key when the value is empty.
    public mutating func apply(_ record: RedoRecord) {
        values[record.key] = record.value.isEmpty ? nil : record.value
    }

    /// Applies the records in order.
    public mutating func apply(_ records: [RedoRecord]) {
        for record in records { apply(record) }
    }

    /// Every key and its value, in key order.
    public var pairs: [(key: String, value: String)] {
        values.map { (key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    public var description: String {
        "[" + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "]"
    }
}
