import PaxosCore

/// `delayed`: a follower applies a committed entry a fixed number of ticks after it learns the commit,
/// as a replica that batches its disk writes would. The ack follows the apply.
public struct DelayedCommit: CommitPolicy {
    public static let name = "delayed"
    public static let summary = "a follower applies a committed entry \(DelayedCommit.delayTicks) ticks after learning of it"

    /// How long a follower waits before applying.
    public static let delayTicks = 2

    public init() {}

    public func applyMode(for replica: ReplicaID, index: Int, config: ClusterConfig) throws -> ApplyMode {
        .afterTicks(Self.delayTicks)
    }
}
