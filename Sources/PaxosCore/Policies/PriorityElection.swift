/// `priority`: the highest-priority live replica should win; ties go to the lower id.
///
/// Higher priority times out first (one tick earlier per rank), and a voter refuses a candidate it
/// outranks: it would rather stand itself.
public struct PriorityElection: ElectionPolicy {
    public static let name = "priority"
    public static let summary = "the highest-priority live replica stands first and wins; ties go to the lower id"

    public init() {}

    public func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int {
        config.electionTimeoutTicks.saturatingAdding(config.priorityRank(of: replica))
    }

    public func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
        guard config.outranks(voter.id, candidate.id) else { return .grant }
        return .refuse(
            "\(voter.id) has priority \(config.priority(of: voter.id)), above \(candidate.id)'s \(config.priority(of: candidate.id))")
    }
}
