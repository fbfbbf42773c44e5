import Foundation

/// The fingerprints of every state seen, with the search level that first reached each: a hash set of
/// 64-bit keys in open addressing (12 bytes a slot, at most half full), split into shards that each have a
/// lock, so that search threads insert at once.
///
/// Two different states with the same 64-bit fingerprint would count as one: with n states the chance of
/// any such collision is about n² / 2⁶⁵ (10⁻⁶ for ten million states).
final class VisitedSet: @unchecked Sendable {
    enum Insertion {
        /// Not seen before: now recorded at this level.
        case new
        /// Already reached at this same level (by another path of the same length).
        case sameLevel
        /// Reached at an earlier level.
        case earlier
    }

    private final class Shard {
        var keys: UnsafeMutablePointer<UInt64>
        var levels: UnsafeMutablePointer<UInt32>
        var capacity: Int
        var count = 0
        let lock = NSLock()
        /// Beside each key reached at the level being built: its state (retained), for same-level
        /// sleep-set merges. `levelSlots` lists those slots, to let go of them when the level ends.
        var nodes: UnsafeMutablePointer<Unmanaged<Node>?>?
        var levelSlots: [Int] = []
        /// Beside each key (breadth-first search only): the rank of the path that holds it at its level, the
        /// least of every path that reached it there (``VisitedSet/insert(_:level:rank:)``).
        var ranks: UnsafeMutablePointer<UInt64>?

        init(capacity: Int) {
            self.capacity = capacity
            keys = .allocate(capacity: capacity)
            keys.initialize(repeating: 0, count: capacity)
            levels = .allocate(capacity: capacity)
            levels.initialize(repeating: 0, count: capacity)
        }

        deinit {
            endLevel()
            keys.deallocate()
            levels.deallocate()
            nodes?.deallocate()
            ranks?.deallocate()
        }

        /// Inserts or finds `key` (never 0), and says in which slot. Call under the lock.
        func insert(_ key: UInt64, level: UInt32) -> (Insertion, slot: Int) {
            let (isNew, slot) = insertKey(key)
            if isNew {
                levels[slot] = level
                return (.new, slot)
            }
            return (levels[slot] == level ? .sameLevel : .earlier, slot)
        }

        /// Inserts `key` (never 0) without a level: whether it is new. Reads only the key array (one cache
        /// miss, where ``insert(_:level:)`` takes two). Call under the lock.
        func insert(_ key: UInt64) -> Bool {
            insertKey(key).isNew
        }

        /// Records `key` in its slot, if not there yet. Call under the lock.
        @inline(__always)
        private func insertKey(_ key: UInt64) -> (isNew: Bool, slot: Int) {
            if (count + 1) * 2 > capacity { grow() }
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let found = keys[slot]
                if found == 0 {
                    keys[slot] = key
                    count += 1
                    return (true, slot)
                }
                if found == key { return (false, slot) }
                slot = (slot + 1) & mask
            }
        }

        /// The slot of `key`, if recorded. Call under the lock.
        func find(_ key: UInt64) -> Int? {
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while keys[slot] != 0 {
                if keys[slot] == key { return slot }
                slot = (slot + 1) & mask
            }
            return nil
        }

        func level(at slot: Int) -> UInt32 { levels[slot] }
        func setLevel(_ level: UInt32, at slot: Int) { levels[slot] = level }

        /// Keeps `node` beside the key in `slot` until the level ends.
        func keep(_ node: Node, at slot: Int) {
            if nodes == nil {
                nodes = .allocate(capacity: capacity)
                nodes?.initialize(repeating: nil, count: capacity)
            }
            nodes?[slot] = Unmanaged.passRetained(node)
            levelSlots.append(slot)
        }

        func kept(at slot: Int) -> Node? {
            nodes?[slot]?.takeUnretainedValue()
        }

        /// Puts `node` beside the key in `slot` in place of the one kept there.
        func replaceKept(with node: Node, at slot: Int) {
            nodes?[slot]?.release()
            nodes?[slot] = Unmanaged.passRetained(node)
        }

        func rank(at slot: Int) -> UInt64 { ranks?[slot] ?? .max }

        func setRank(_ rank: UInt64, at slot: Int) {
            if ranks == nil {
                ranks = .allocate(capacity: capacity)
                ranks?.initialize(repeating: .max, count: capacity)
            }
            ranks?[slot] = rank
        }

        func endLevel() {
            guard let nodes else { return }
            for slot in levelSlots {
                nodes[slot]?.release()
                nodes[slot] = nil
            }
            levelSlots.removeAll(keepingCapacity: true)
        }

        private func grow() {
            let oldKeys = keys, oldLevels = levels, oldNodes = nodes, oldRanks = ranks, oldCapacity = capacity
            capacity *= 2
            keys = .allocate(capacity: capacity)
            keys.initialize(repeating: 0, count: capacity)
            levels = .allocate(capacity: capacity)
            levels.initialize(repeating: 0, count: capacity)
            if oldNodes != nil {
                nodes = .allocate(capacity: capacity)
                nodes?.initialize(repeating: nil, count: capacity)
            }
            if oldRanks != nil {
                ranks = .allocate(capacity: capacity)
                ranks?.initialize(repeating: .max, count: capacity)
            }
            var moved: [Int: Int] = [:]
            let mask = capacity - 1
            for index in 0..<oldCapacity where oldKeys[index] != 0 {
                var slot = Int(truncatingIfNeeded: oldKeys[index]) & mask
                while keys[slot] != 0 { slot = (slot + 1) & mask }
                keys[slot] = oldKeys[index]
                levels[slot] = oldLevels[index]
                if let oldRanks { ranks?[slot] = oldRanks[index] }
                if let oldNodes, let node = oldNodes[index] {
                    nodes?[slot] = node
                    moved[index] = slot
                }
            }
            levelSlots = levelSlots.compactMap { moved[$0] }
            oldKeys.deallocate()
            oldLevels.deallocate()
            oldNodes?.deallocate()
            oldRanks?.deallocate()
        }
    }

    private let shards: [Shard]
    private let shardShift: UInt64

    /// `shardCount` must be a power of two.
    init(shardCount: Int = 64, initialCapacityPerShard: Int = 1 << 12) {
        precondition(shardCount > 0 && shardCount & (shardCount - 1) == 0)
        shards = (0..<shardCount).map { _ in Shard(capacity: initialCapacityPerShard) }
        shardShift = UInt64(64 - shardCount.trailingZeroBitCount)
    }

    /// Records `fingerprint`, with no level (level 0): whether it is new. For a search that needs no levels.
    func insert(_ fingerprint: UInt64) -> Bool {
        withShard(of: fingerprint) { shard, key in shard.insert(key) }
    }

    func insert(_ fingerprint: UInt64, level: Int) -> Insertion {
        withShard(of: fingerprint) { shard, key in
            return shard.insert(key, level: UInt32(truncatingIfNeeded: level)).0
        }
    }

    /// For breadth-first search: inserts `fingerprint` reached at `level` by the path of `rank` (the order a
    /// single thread would reach it in). `holds`: this path is now the least to reach it at this level, so
    /// its copy of the state is the one to keep (``holds(_:level:rank:)`` tells once the level is done).
    func insert(_ fingerprint: UInt64, level: Int, rank: UInt64) -> (insertion: Insertion, holds: Bool) {
        withShard(of: fingerprint) { shard, key in
            let (insertion, slot) = shard.insert(key, level: UInt32(truncatingIfNeeded: level))
            switch insertion {
            case .new:
                shard.setRank(rank, at: slot)
                return (.new, true)
            case .sameLevel where rank < shard.rank(at: slot):
                shard.setRank(rank, at: slot)
                return (.sameLevel, true)
            case .sameLevel, .earlier:
                return (insertion, false)
            }
        }
    }

    /// Whether the path of `rank` still holds `fingerprint` at `level`: no path of a lower rank reached it.
    func holds(_ fingerprint: UInt64, level: Int, rank: UInt64) -> Bool {
        withShard(of: fingerprint) { shard, key in
            guard let slot = shard.find(key) else { return false }
            return shard.level(at: slot) == UInt32(truncatingIfNeeded: level) && shard.rank(at: slot) == rank
        }
    }

    enum StepsInsertion {
        /// Not seen before.
        case new
        /// Seen before, in more steps: now recorded with `steps`.
        case fewer
        /// Seen before in as few steps or fewer.
        case notFewer
    }

    /// For a depth-bounded depth-first search: records `fingerprint` as reached in `steps`, keeping the
    /// fewest steps each state was reached in (the level field holds them).
    func insert(_ fingerprint: UInt64, fewestSteps steps: Int) -> StepsInsertion {
        withShard(of: fingerprint) { shard, key in
            let level = UInt32(truncatingIfNeeded: steps)
            let (insertion, slot) = shard.insert(key, level: level)
            if insertion == .new { return .new }
            guard level < shard.level(at: slot) else { return .notFewer }
            shard.setLevel(level, at: slot)
            return .fewer
        }
    }

    /// Inserts a fingerprint reached with `sleep()` asleep. New: `makeNode` makes its state, kept beside the
    /// key for this level. Reached at this level before: that state keeps asleep only what `sleep` also
    /// has (the partial-order reduction's merge). Reached as a renaming of that state (symmetry: another
    /// `concrete` fingerprint), its sleep set names other messages: the state keeps nothing asleep.
    ///
    /// As ``insert(_:level:rank:)``, the path of least `rank` holds the state: reached by a path of lower
    /// rank than the one holding it, the state kept is this path's copy, with the merged sleep set. So what
    /// is kept does not depend on which thread got there first.
    func insert(_ fingerprint: UInt64, concrete: UInt64, level: Int, rank: UInt64, sleep: () -> [SleepEntry],
                makeNode: ([SleepEntry]) -> Node) -> (insertion: Insertion, node: Node?) {
        withShard(of: fingerprint) { shard, key in
            let (insertion, slot) = shard.insert(key, level: UInt32(truncatingIfNeeded: level))
            switch insertion {
            case .new:
                let node = makeNode(sleep())
                shard.keep(node, at: slot)
                shard.setRank(rank, at: slot)
                return (.new, node)
            case .sameLevel:
                guard let held = shard.kept(at: slot) else { return (.sameLevel, nil) }
                var merged: [SleepEntry] = []
                if !held.sleep.isEmpty, held.concrete == concrete {
                    let asleep = sleep()
                    merged = held.sleep.filter { entry in asleep.contains { $0.identity == entry.identity } }
                }
                guard rank < shard.rank(at: slot) else {
                    held.sleep = merged
                    return (.sameLevel, nil)
                }
                let node = makeNode(merged)
                shard.replaceKept(with: node, at: slot)
                shard.setRank(rank, at: slot)
                return (.sameLevel, node)
            case .earlier:
                return (.earlier, nil)
            }
        }
    }

    /// Forgets the states of the level just built (their sleep sets are final).
    func endLevel() {
        for shard in shards {
            shard.lock.lock()
            shard.endLevel()
            shard.lock.unlock()
        }
    }

    /// Runs `body` with the shard of `fingerprint` locked, and the key it is kept under (never 0).
    @inline(__always)
    private func withShard<Result>(of fingerprint: UInt64, _ body: (Shard, UInt64) -> Result) -> Result {
        let key = fingerprint == 0 ? 1 : fingerprint
        let shard = shard(of: key)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        return body(shard, key)
    }

    /// The shard from the top bits, the slot from the low bits: independent parts of the key.
    private func shard(of key: UInt64) -> Shard {
        shards[shards.count == 1 ? 0 : Int(truncatingIfNeeded: key >> shardShift)]
    }

    /// Distinct fingerprints recorded.
    var count: Int {
        shards.reduce(0) { total, shard in
            shard.lock.lock()
            defer { shard.lock.unlock() }
            return total + shard.count
        }
    }

    var memoryBytes: Int {
        shards.reduce(0) { total, shard in
            shard.lock.lock()
            defer { shard.lock.unlock() }
            return total + shard.capacity * (12 + (shard.nodes == nil ? 0 : 8) + (shard.ranks == nil ? 0 : 8))
        }
    }
}
