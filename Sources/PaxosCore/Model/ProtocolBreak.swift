/// A deliberate protocol bug: a documented variant of the protocol for the break-it exercises (REPL
/// `set break NAME`, `check --break NAME`), as `set recovery off` is one. Each is a switch read where the core
/// makes the decision it changes, and there the reason of that step names it; the tests prove the checker
/// catches every one of them.
public enum ProtocolBreak: String, CaseIterable, Hashable, Sendable {
    /// Acceptors skip the legality check (`Replica+Vote.swift`, `rejection(of:)`).
    case acceptLowerBallot = "accept-lower-ballot"
    /// The leader commits on its own accept (`Replica+Commit.swift`, the acceptors it needs).
    case commitWithoutMajority = "commit-without-majority"
    /// Voters grant every candidacy (`Replica+Election.swift`, `refusal(of:)`).
    case voteTwiceInBallot = "vote-twice-in-ballot"
    /// Followers apply each entry as its commit arrives (`Replica+Commit.swift`, on a commit).
    case applyOutOfOrder = "apply-out-of-order"
    /// Recovery keeps the lowest ballot per index (`Replica+Recovery.swift`, `receiveLogRange`).
    case skipHighestBallotChoice = "skip-highest-ballot-choice"
    /// Recovery ignores the replies (`Replica+Recovery.swift`, `receiveLogRange`).
    case ignoreRecoveredValues = "ignore-recovered-values"
    /// The leader catches no follower up from heartbeat replies (`Replica+Heartbeat.swift`).
    case noCatchUp = "no-catch-up"
    /// A candidate never stands aside (`Replica+Election.swift`, counting promises and `hearLeader`).
    case noStandAside = "no-stand-aside"

    /// The name `set break` and `check --break` take.
    public var name: String { rawValue }

    /// What the bug does, in one line.
    public var summary: String {
        switch self {
        case .acceptLowerBallot: "acceptors accept a proposal whose ballot is below their promise"
        case .commitWithoutMajority: "the leader commits an entry on its own accept, without a majority"
        case .voteTwiceInBallot: "voters grant every candidacy, even a second one in a round they promised"
        case .applyOutOfOrder: "followers apply each entry as its commit arrives, in any order"
        case .skipHighestBallotChoice: "a new leader's recovery keeps the lowest-ballot entry per index, not the highest"
        case .ignoreRecoveredValues: "a new leader's recovery ignores the replies and keeps only its own log"
        case .noCatchUp: "the leader catches no follower up from heartbeat replies: a follower behind is never caught up"
        case .noStandAside: "a candidate never stands aside, and nobody withdraws a promise to a candidate that lost its round"
        }
    }

    /// The invariants of Docs/Protocol.md the bug can break first; empty for a bug that breaks only progress.
    public var invariants: [Int] {
        switch self {
        case .acceptLowerBallot, .voteTwiceInBallot, .skipHighestBallotChoice: [1, 2]
        case .commitWithoutMajority: [5]
        case .applyOutOfOrder: [4]
        case .ignoreRecoveredValues: [2]
        case .noCatchUp, .noStandAside: []
        }
    }

    /// What `check` finds: "breaks invariant 5", "breaks invariants 1, 2", or "breaks progress".
    public var breaks: String {
        switch invariants.count {
        case 0: "breaks progress"
        case 1: "breaks invariant \(invariants[0])"
        default: "breaks invariants " + invariants.map(String.init).joined(separator: ", ")
        }
    }

    public init?(name: String) { self.init(rawValue: name) }

    var bit: UInt16 {
        switch self {
        case .acceptLowerBallot: 1 << 0
        case .commitWithoutMajority: 1 << 1
        case .voteTwiceInBallot: 1 << 2
        case .applyOutOfOrder: 1 << 3
        case .skipHighestBallotChoice: 1 << 4
        case .ignoreRecoveredValues: 1 << 5
        case .noCatchUp: 1 << 6
        case .noStandAside: 1 << 7
        }
    }
}

/// The protocol bugs switched on: empty in a correct run.
public struct ProtocolBreaks: Hashable, Sendable, ExpressibleByArrayLiteral {
    public private(set) var rawValue: UInt16 = 0

    public init() {}

    public init(arrayLiteral elements: ProtocolBreak...) {
        for element in elements { insert(element) }
    }

    public var isEmpty: Bool { rawValue == 0 }

    public func contains(_ bug: ProtocolBreak) -> Bool { rawValue & bug.bit != 0 }

    public mutating func insert(_ bug: ProtocolBreak) { rawValue |= bug.bit }

    public mutating func removeAll() { rawValue = 0 }

    /// The bugs switched on, in the order of ``ProtocolBreak/allCases``.
    public var members: [ProtocolBreak] { ProtocolBreak.allCases.filter(contains) }

    /// Their names, comma-separated ("accept-lower-ballot,no-catch-up").
    public var names: String { members.map(\.name).joined(separator: ",") }
}
