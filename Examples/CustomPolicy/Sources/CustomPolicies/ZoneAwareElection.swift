import PaxosCore

/// `zone-aware`: after a leader fails, prefer a new leader in the failed leader's zone (its data centre),
/// so clients keep their latency. Replicas sit in zones of two: n1 n2 | n3 n4 | n5 …
///
/// A voter refuses a candidate from another zone than the leader it last promised to, so a live peer of
/// the failed leader can win. The policy does not need to handle the case where the whole zone is down:
/// the core asks a policy about a candidate's first attempt only, and judges a retry after a failed
/// election by its own rules (preferring, never requiring: the core keeps elections safe and live whatever
/// a policy answers; a policy only shapes who wins first).
public struct ZoneAwareElection: ElectionPolicy {
    public static let name = "zone-aware"
    public static let summary = "prefer a candidate in the failed leader's zone (zones of two: n1 n2 | n3 n4 | …)"

    public init() {}

    /// The zone of a replica: 0 for n1 and n2, 1 for n3 and n4, …
    public static func zone(of replica: ReplicaID) -> Int { (replica.number - 1) / 2 }

    public func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int {
        config.electionTimeoutTicks + config.priorityRank(of: replica)
    }

    public func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
        guard let failedLeader = voter.promised.ownerID, failedLeader != candidate.id,
              Self.zone(of: candidate.id) != Self.zone(of: failedLeader) else { return .grant }
        return .refuse("\(candidate.id) is in zone \(Self.zone(of: candidate.id)), not in \(failedLeader)'s zone \(Self.zone(of: failedLeader))")
    }
}
