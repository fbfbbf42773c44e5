/// Where an entry is in its life: accepted → committed → applied.
public enum EntryStatus: Int, Hashable, Comparable, Sendable, CustomStringConvertible {
    case accepted, committed, applied

    public var description: String {
        switch self {
        case .accepted: "accepted"
        case .committed: "committed"
        case .applied: "applied"
        }
    }

    public static func < (a: EntryStatus, b: EntryStatus) -> Bool { a.rawValue < b.rawValue }
}

/// One slot of the redo log. The index is the proposal id.
public struct LogEntry: Hashable, Sendable {
    public let index: Int
    /// The ballot under which this replica accepted the entry.
    public var ballot: Ballot
    /// Every redo record of the transactions batched into this proposal.
    public var redo: [RedoRecord]
    /// The transactions batched here, for the trace.
    public var transactions: [Int]
    public var status: EntryStatus

    public init(index: Int, ballot: Ballot, redo: [RedoRecord], transactions: [Int], status: EntryStatus = .accepted) {
        self.index = index
        self.ballot = ballot
        self.redo = redo
        self.transactions = transactions
        self.status = status
    }
}

/// A replica's redo log: entries from `start` on, contiguous; entries below `start` were cleaned up.
public struct RedoLog: Hashable, Sendable {
    /// The index of the first entry still held.
    public private(set) var start: Int = 1
    public package(set) var entries: [LogEntry] = []
    /// The ballot of the last entry cleaned up, for "last ballot" once the log is empty.
    public package(set) var cleanedBallot: Ballot = .zero

    public init() {}

    /// The last index held, or cleaned up; 0 for an empty log.
    public var lastIndex: Int { start + entries.count - 1 }
    public var lastBallot: Ballot { entries.last?.ballot ?? cleanedBallot }
    public var count: Int { entries.count }

    public subscript(index: Int) -> LogEntry? {
        guard index >= start, index <= lastIndex else { return nil }
        return entries[index - start]
    }

    /// The ballot of entry `index`, if held: read in place (`self[index]` copies the whole entry).
    func ballot(at index: Int) -> Ballot? {
        index >= start && index <= lastIndex ? entries[index - start].ballot : nil
    }

    /// The status of entry `index`, if held: read in place.
    func status(at index: Int) -> EntryStatus? {
        index >= start && index <= lastIndex ? entries[index - start].status : nil
    }

    /// Writes the entry at its index, which must be held already or be `lastIndex + 1`.
    mutating func put(_ entry: LogEntry) {
        if entry.index == lastIndex + 1 {
            entries.append(entry)
        } else if entry.index >= start, entry.index <= lastIndex {
            entries[entry.index - start] = entry
        }
    }

    mutating func setStatus(_ status: EntryStatus, at index: Int) {
        guard index >= start, index <= lastIndex else { return }
        entries[index - start].status = status
    }

    /// Deletes every entry up to `index` (log cleanup); the data they produced stays.
    mutating func removeEntries(through index: Int) {
        let count = min(max(0, index - start + 1), entries.count)
        guard count > 0 else { return }
        cleanedBallot = entries[count - 1].ballot
        entries.removeFirst(count)
        start += count
    }

    /// The entries in `from...to` that are held.
    public func entries(from: Int, through to: Int) -> [LogEntry] {
        let low = max(from, start), high = min(to, lastIndex)
        guard low <= high else { return [] }
        return Array(entries[(low - start)...(high - start)])
    }
}
