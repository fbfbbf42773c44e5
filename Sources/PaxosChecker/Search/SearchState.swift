import PaxosCore
import PaxosSimulation

// The values a search keeps per state and per step: the budgets used, the steps, the nodes of the
// search tree with their digests, and the sleep sets of the partial-order reduction.

struct Used: Hashable, Sendable {
    var drops: UInt8 = 0
    var duplicates: UInt8 = 0
    var crashes: UInt8 = 0
    var restarts: UInt8 = 0
    var time: UInt8 = 0
    var submits: UInt8 = 0
    var elections: UInt8 = 0
    /// Candidacies per replica, 4 bits each (replica k at bits 4(k-1)...).
    var standsPerReplica: UInt64 = 0

    func stands(of replica: Int) -> Int { Int((standsPerReplica >> UInt64(4 * replica)) & 0xF) }

    /// The same budgets in the world with its replicas renamed: each replica's candidacies move with it.
    func renamed(by permutation: ReplicaPermutation) -> Used {
        var copy = self
        copy.standsPerReplica = 0
        for k in permutation.images.indices {
            copy.standsPerReplica |= UInt64(stands(of: k)) << UInt64(4 * (permutation.images[k] - 1))
        }
        return copy
    }

    var packed: UInt64 {
        var value = UInt64(drops) | UInt64(duplicates) << 8 | UInt64(crashes) << 16 | UInt64(restarts) << 24
        value |= UInt64(time) << 32 | UInt64(submits) << 40 | UInt64(elections) << 48
        return Simulation.mix64(value) ^ standsPerReplica
    }
}

/// The shared budgets a step draws on: two steps that draw on the same one may disable each other.
struct BudgetMask: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let drops = BudgetMask(rawValue: 1 << 0)
    static let duplicates = BudgetMask(rawValue: 1 << 1)
    static let crashes = BudgetMask(rawValue: 1 << 2)
    static let restarts = BudgetMask(rawValue: 1 << 3)
    static let time = BudgetMask(rawValue: 1 << 4)
    static let submits = BudgetMask(rawValue: 1 << 5)
    static let elections = BudgetMask(rawValue: 1 << 6)
}

/// A step the search may take from a state.
struct Transition: Sendable {
    enum Kind: UInt8, Sendable {
        case deliver, drop, duplicate, tick, timeout, crash, restart, submit
    }

    var kind: Kind
    /// The message id (deliver, drop, duplicate), the replica number (timeout, crash, restart), or the
    /// transaction number (submit).
    var argument: Int
    /// The digest of the in-flight item it works on; 0 for the others.
    var item: UInt64 = 0

    /// The same step in any state, whatever the message's id: for sleep sets.
    var identity: UInt64 {
        Simulation.mix64(UInt64(kind.rawValue) &* 0x1000_0000_01B3 ^ (item != 0 ? item : UInt64(argument)))
    }

    var budgets: BudgetMask {
        switch kind {
        case .deliver: []
        case .drop: .drops
        case .duplicate: .duplicates
        case .tick, .timeout: .time
        case .crash: .crashes
        case .restart: .restarts
        case .submit: .submits
        }
    }

    /// Transaction k sets `x=k`.
    static func redo(ofTransaction number: Int) -> [RedoRecord] {
        [RedoRecord(key: "x", value: String(number))]
    }

    var action: CheckerAction {
        switch kind {
        case .deliver: .deliver(argument)
        case .drop: .drop(argument)
        case .duplicate: .duplicate(argument)
        case .tick: .tick
        case .timeout: .timeout(ReplicaID(argument))
        case .crash: .crash(ReplicaID(argument))
        case .restart: .restart(ReplicaID(argument))
        case .submit: .submit(Self.redo(ofTransaction: argument))
        }
    }
}

/// A step taken, as a sleep set remembers it: what it touched, to tell whether a later step commutes with it.
struct SleepEntry: Sendable {
    var identity: UInt64
    var item: UInt64
    var summary: StepSummary
    var budgets: BudgetMask

    /// Whether the two steps may not commute, or one may disable the other.
    func conflicts(with other: SleepEntry) -> Bool {
        if summary.conflicts(with: other.summary) { return true }
        if !budgets.isDisjoint(with: other.budgets) { return true }
        return item != 0 && item == other.item
    }
}

/// The digest of each replica (up to nine), kept inline: a state costs no extra allocation for them.
struct ReplicaDigests: Sendable {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
    let count: Int

    init(count: Int) {
        precondition(count <= 9, "the checker handles up to nine replicas")
        self.count = count
    }

    subscript(index: Int) -> UInt64 {
        get {
            withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index * 8, as: UInt64.self) }
        }
        set {
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: index * 8, as: UInt64.self) }
        }
    }
}

/// One explored state: the world, the budgets used, cached digests, and (for the partial-order reduction)
/// the steps asleep here. A class, so that levels and chunks pass states around without copying worlds.
final class Node: @unchecked Sendable {
    let sim: Simulation
    let used: Used
    /// `replicaDigests[k]` is `sim.replicaDigest(at: k)`.
    let replicaDigests: ReplicaDigests
    /// Aligned with `sim.inFlight`: the digest of each item.
    let itemDigests: [UInt64]
    let history: UInt64
    /// With symmetry: the digests of the state under each renaming (aligned with ``Explorer/renamings``).
    let renamed: [RenamedDigests]
    /// The state's fingerprint: with symmetry, the least over its renamings.
    let fingerprint: UInt64
    /// The fingerprint of this very state, not renamed (equal to ``fingerprint`` without symmetry).
    let concrete: UInt64
    /// Set before the state is published to other threads; afterwards changed only under the lock of its
    /// fingerprint's shard in the ``VisitedSet`` (same-level merges), and read after the level ends.
    var sleep: [SleepEntry] = []

    init(sim: Simulation, used: Used, replicaDigests: ReplicaDigests, itemDigests: [UInt64], history: UInt64,
         renamed: [RenamedDigests], fingerprint: UInt64, concrete: UInt64) {
        self.sim = sim
        self.used = used
        self.replicaDigests = replicaDigests
        self.itemDigests = itemDigests
        self.history = history
        self.renamed = renamed
        self.fingerprint = fingerprint
        self.concrete = concrete
    }

    /// The canonical fingerprint: replicas by position, in-flight items as a multiset, history, budgets.
    /// Its parts are digests already; each is folded in through a bijective mix (cheaper than `Hasher`, which
    /// this ran through on every transition).
    static func fingerprint(_ replicas: ReplicaDigests, items: UInt64, _ history: UInt64, _ used: Used) -> UInt64 {
        var folded = UInt64(truncatingIfNeeded: replicas.count)
        for index in 0..<replicas.count { folded = Simulation.mix64(folded ^ replicas[index]) }
        folded = Simulation.mix64(folded ^ items)
        folded = Simulation.mix64(folded ^ history)
        return Simulation.mix64(folded ^ used.packed)
    }

    var hasViolation: Bool { !sim.monitor.violations.isEmpty }
}

/// The digests of a state with its replicas renamed by one permutation (``Simulation/renamedDigests(by:)``),
/// kept per state so that a step recomputes only what it touched, as for the state's own digests.
struct RenamedDigests: Sendable {
    /// By position after the renaming.
    var replicas: ReplicaDigests
    /// Aligned with `sim.inFlight`: each item renamed.
    var items: [UInt64]
    var history: UInt64
}

/// A state just computed, not yet a ``Node``: most successors were seen before, and are dropped without
/// allocating one.
struct Successor {
    let sim: Simulation
    let used: Used
    let replicaDigests: ReplicaDigests
    let history: UInt64
    let renamed: [RenamedDigests]
    let fingerprint: UInt64
    let concrete: UInt64
    let entry: SleepEntry
}

/// The running sum behind ``Simulation/multisetDigest(_:)``, without an array.
struct ItemMultiset {
    var sum: UInt64 = 0
    var count: UInt64 = 0

    mutating func add(_ digest: UInt64) {
        sum &+= Simulation.mix64(digest)
        count &+= 1
    }
}

extension Simulation {
    static func multisetDigest(_ multiset: ItemMultiset) -> UInt64 {
        mix64(multiset.sum ^ (multiset.count &* 0x9E37_79B9_7F4A_7C15))
    }
}
