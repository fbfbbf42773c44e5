/// A replica's name: `n1` … `nN`.
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 1-based position in the cluster.
    public let number: Int

    public init(_ number: Int) { self.number = number }

    /// Parses `n3`; nil for anything else (`n0`, `n03`, `n+3`, `N3`).
    public init?(parsing text: some StringProtocol) {
        let digits = text.dropFirst()
        guard text.first == "n", let first = digits.first, first != "0",
              digits.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(digits) else { return nil }
        self.number = number
    }

    public var description: String { "n\(number)" }
    public static func < (a: ReplicaID, b: ReplicaID) -> Bool { a.number < b.number }
}

/// Who sends or receives a message: a replica, the client, or the failure monitor.
public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
    case replica(ReplicaID)
    case client
    case monitor

    public var description: String {
        switch self {
        case .replica(let id): id.description
        case .client: "client"
        case .monitor: "monitor"
        }
    }

    public var replica: ReplicaID? {
        if case .replica(let id) = self { return id }
        return nil
    }
}

/// A ballot (the original's "term"): totally ordered by round, then by the replica that owns it.
///
/// Two candidates never share a ballot, so "one leader per ballot" follows from "one majority per ballot".
public struct Ballot: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let round: Int
    /// The replica that stands with this ballot; 0 only for ``Ballot/zero``.
    public let owner: Int

    public init(round: Int, owner: ReplicaID) {
        self.round = round
        self.owner = owner.number
    }

    private init(round: Int, ownerNumber: Int) {
        self.round = round
        self.owner = ownerNumber
    }

    /// Below every real ballot: what a fresh replica has promised.
    public static let zero = Ballot(round: 0, ownerNumber: 0)

    public var ownerID: ReplicaID? { owner > 0 ? ReplicaID(owner) : nil }

    /// `2.n1`, or `0` for ``zero``.
    public var description: String { owner == 0 ? "0" : "\(round).n\(owner)" }

    public static func < (a: Ballot, b: Ballot) -> Bool {
        (a.round, a.owner) < (b.round, b.owner)
    }
}
