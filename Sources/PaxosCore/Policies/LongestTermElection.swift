/// `longest-term`: the candidate with the most up-to-date log wins (highest ballot of its last entry,
/// then the longest log). This is the playground's reading of the original's "highest priority, e.g.
/// longest term".
///
/// A voter refuses a candidate whose log is behind its own. Timeouts are staggered by priority so that
/// candidates do not collide.
public struct LongestTermElection: ElectionPolicy {
    public static let name = "longest-term"
    public static let summary = "the candidate with the most up-to-date log wins (last entry's ballot, then length)"

    public init() {}

    public func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int {
        config.electionTimeoutTicks.saturatingAdding(config.priorityRank(of: replica))
    }

    public func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
        if isMoreUpToDate(lastBallot: voter.lastBallot, lastIndex: voter.lastIndex,
                          than: candidate.lastBallot, candidate.lastIndex) {
            return .refuse(
                "\(voter.id)'s log (last \(voter.lastIndex) under \(voter.lastBallot)) is more up to date than \(candidate.id)'s (last \(candidate.lastIndex) under \(candidate.lastBallot))")
        }
        return .grant
    }
}
