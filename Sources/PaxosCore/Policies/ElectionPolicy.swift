/// Decides who stands for election and whom a voter prefers.
///
/// The core asks a policy only these questions. Ballots, one vote per round, majorities and log recovery
/// are enforced by the core whatever the policy answers, so no policy can make the protocol unsafe. Nor
/// can one stop it: the core keeps every timeout within [T, 2T + N], a policy that says not to stand is
/// overruled at the replica's next timeout without a leader, and a candidate that asks again after a
/// failed election (a retry) is judged by the core's rules alone. A policy shapes who wins first; it may
/// delay an election, never block it.
public protocol ElectionPolicy: Sendable {
    /// The name the policy is registered and chosen by (`election NAME`).
    static var name: String { get }
    /// One line for `policies`.
    static var summary: String { get }

    init()

    /// Ticks without a heartbeat after which `replica` times out. Drawn at start and after each timeout.
    func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int

    /// Whether a replica whose timeout fired stands as a candidate now. Asked at its first timeout without
    /// a leader only: at the next one it stands anyway.
    func shouldStand(_ replica: VoterView, config: ClusterConfig) throws -> Bool

    /// Whether `voter` grants its vote (or its pre-vote) to `candidate`. Called only after the core has
    /// checked that the candidacy's round is above every round the voter promised and that the voter
    /// hears no leader, and only for a candidate's first attempt, not for a retry after a failed election.
    func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict
}

// MARK: - Default implementations

extension ElectionPolicy {
    public func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int {
        config.electionTimeoutTicks
    }

    public func shouldStand(_ replica: VoterView, config: ClusterConfig) throws -> Bool { true }
}

/// A policy's answer to a candidacy.
public enum PolicyVerdict: Hashable, Sendable {
    case grant
    /// Refuse, saying why (shown in the trace).
    case refuse(String)
}

/// What a policy may read of a voter (or of a replica deciding to stand).
public struct VoterView: Hashable, Sendable {
    public let id: ReplicaID
    public let role: Role
    public let promised: Ballot
    public let lastIndex: Int
    public let lastBallot: Ballot
    public let commitIndex: Int
    public let knownLeader: ReplicaID?
}

/// What a voter knows of a candidate.
public struct CandidateView: Hashable, Sendable {
    public let id: ReplicaID
    public let ballot: Ballot
    public let lastIndex: Int
    public let lastBallot: Ballot
}

/// Whether log `a` (last ballot, last index) is more up to date than log `b`: higher last ballot, then longer.
public func isMoreUpToDate(lastBallot a: Ballot, lastIndex ai: Int, than b: Ballot, _ bi: Int) -> Bool {
    a != b ? a > b : ai > bi
}
