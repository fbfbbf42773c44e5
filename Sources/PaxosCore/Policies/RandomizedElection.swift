/// `randomized`: each replica draws its election timeout from the seeded generator; the first to time
/// out stands; a voter grants its one vote per round to the first candidate that asks (the core's rule);
/// split votes retry with new draws.
public struct RandomizedElection: ElectionPolicy {
    public static let name = "randomized"
    public static let summary = "timeouts drawn from the seed; first to time out stands; first come, first served"

    public init() {}

    public func electionTimeout(for replica: ReplicaID, config: ClusterConfig, random: inout SplitMix64) throws -> Int {
        let base = config.electionTimeoutTicks
        return base.saturatingAdding(random.next(below: max(1, base)))
    }

    public func preference(of voter: VoterView, for candidate: CandidateView, config: ClusterConfig) throws -> PolicyVerdict {
        .grant
    }
}
