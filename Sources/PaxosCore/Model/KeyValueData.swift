/// A replica's key/value data: what applying the redo records built.
///
/// Every replica applies every redo record, so this is the simulation's hottest table. It is an
/// open-addressing hash table (linear probing, backward-shift deletion) over a deterministic FNV-1a hash of
/// the key's UTF-8 bytes, which a ``RedoRecord`` computes once for all the replicas that apply it:
/// `[String: String]` spent about 330 instructions a write hashing each key with Swift's seeded SipHash
/// (`Docs/Performance.md`). Nothing here depends on the order keys were written in: equality, hashing and
/// ``pairs`` see the same data the same way.
public struct KeyValueData: Hashable, Sendable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private struct Slot: Sendable {
        /// The key's hash; 0 marks an empty slot (``hash(of:)`` never returns 0).
        var hash: UInt64 = 0
        var key = ""
        var value = ""
    }

    /// A power of two of slots (or none), at most three quarters full.
    private var slots: [Slot] = []
    /// How many keys have a value.
    public private(set) var count = 0

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { self[key] = value }
    }

    public var isEmpty: Bool { count == 0 }

    /// The value of `key`; setting nil removes the key.
    public subscript(key: String) -> String? {
        get {
            let (slot, found) = slot(of: key, hash: Self.hash(of: key))
            return found ? slots[slot].value : nil
        }
        set {
            if let newValue { insert(key, newValue, hash: Self.hash(of: key)) } else { remove(key, hash: Self.hash(of: key)) }
        }
    }

    /// Sets the record's key to its value, or removes the key when the value is empty.
    public mutating func apply(_ record: RedoRecord) {
        if record.value.isEmpty {
            remove(record.key, hash: record.keyHash)
        } else {
            insert(record.key, record.value, hash: record.keyHash)
        }
    }

    /// Applies the records in order.
    public mutating func apply(_ records: [RedoRecord]) {
        for record in records { apply(record) }
    }

    /// Every key and its value, in key order.
    public var pairs: [(key: String, value: String)] {
        slots.filter { $0.hash != 0 }.map { (key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    public var description: String {
        "[" + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "]"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for slot in lhs.slots where slot.hash != 0 {
            let (other, found) = rhs.slot(of: slot.key, hash: slot.hash)
            guard found, rhs.slots[other].value == slot.value else { return false }
        }
        return true
    }

    /// As `Dictionary` does: each pair hashed on its own, the hashes combined in an order-free way.
    public func hash(into hasher: inout Hasher) {
        var pairHashes = 0
        for slot in slots where slot.hash != 0 {
            var pair = Hasher()
            pair.combine(slot.key)
            pair.combine(slot.value)
            pairHashes ^= pair.finalize()
        }
        hasher.combine(count)
        hasher.combine(pairHashes)
    }

    // MARK: - The table

    /// FNV-1a over the key's UTF-8 bytes; never 0, which marks an empty slot.
    static func hash(of key: String) -> UInt64 {
        let hash = key.utf8.withContiguousStorageIfAvailable(fnv1a) ?? fnv1a(key.utf8)
        return hash == 0 ? 1 : hash
    }

    private static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// Where a key of this hash starts probing in a table of `slots` slots, a power of two (Fibonacci hashing
    /// takes the mixed high bits).
    private static func home(_ hash: UInt64, slots: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slots.trailingZeroBitCount))
    }

    /// The slot holding `key`, or the empty slot where it would go.
    private func slot(of key: String, hash: UInt64) -> (slot: Int, found: Bool) {
        Self.probe(slots, for: key, hash: hash)
    }

    /// Linear probing from the key's home slot.
    private static func probe(_ table: [Slot], for key: borrowing String, hash: UInt64)
        -> (slot: Int, found: Bool) {
        guard !table.isEmpty else { return (0, false) }
        let mask = table.count - 1
        var slot = home(hash, slots: table.count)
        while table[slot].hash != 0 {
            if table[slot].hash == hash, table[slot].key == key { return (slot, true) }
            slot = (slot + 1) & mask
        }
        return (slot, false)
    }

    /// Borrowing: a write copies the value in (and the key, when new), and nothing else.
    private mutating func insert(_ key: borrowing String, _ value: borrowing String, hash: UInt64) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let (slot, found) = slot(of: key, hash: hash)
        if found {
            slots[slot].value = copy value
        } else {
            slots[slot] = Slot(hash: hash, key: copy key, value: copy value)
            count += 1
        }
    }

    private mutating func remove(_ key: borrowing String, hash: UInt64) {
        var (hole, found) = slot(of: key, hash: hash)
        guard found else { return }
        // Backward shift: every later key of the run that may sit in the hole moves up into it.
        let mask = slots.count - 1
        var next = (hole + 1) & mask
        while slots[next].hash != 0 {
            if (next - Self.home(slots[next].hash, slots: slots.count)) & mask >= (next - hole) & mask {
                slots.swapAt(hole, next)
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = Slot()
        count -= 1
    }

    /// Doubles the table (at least 8 slots) and puts every key back.
    private mutating func grow() {
        let old = slots
        let capacity = Swift.max(8, slots.count * 2)
        slots = []
        slots.reserveCapacity(capacity)
        for _ in 0..<capacity { slots.append(Slot()) }
        for entry in old where entry.hash != 0 {
            slots[slot(of: entry.key, hash: entry.hash).slot] = entry
        }
    }
}
