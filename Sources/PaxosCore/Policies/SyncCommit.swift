/// `sync`: a follower applies a committed entry while handling the commit message, then acks.
public struct SyncCommit: CommitPolicy {
    public static let name = "sync"
    public static let summary = "a follower applies while handling the commit message, then acks, in the same step"

    public init() {}

    public func applyMode(for replica: ReplicaID, index: Int, config: ClusterConfig) throws -> ApplyMode {
        .immediately
    }
}
