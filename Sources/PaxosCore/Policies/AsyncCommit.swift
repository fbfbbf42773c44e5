/// `async`: the commit message only marks the entry committed; applying is an event of its own, so the
/// applied index lags the commit index until it runs. The ack follows the apply.
public struct AsyncCommit: CommitPolicy {
    public static let name = "async"
    public static let summary = "commit marks the entry; applying is its own event (apply nK), then the ack"

    public init() {}

    public func applyMode(for replica: ReplicaID, index: Int, config: ClusterConfig) throws -> ApplyMode {
        .separateEvent
    }
}
