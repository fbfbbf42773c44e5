import PaxosCore

/// How a cluster starts: its policies by name, what every replica knows (size, priorities, timing, batching,
/// recovery) and the replica that leads ballot 1, if one does.
///
/// A value, not a script: the model checker says where its search starts with one, the playground's journal
/// records what `cluster` made with one, and the playground's script printer writes it as `.pxs` lines.
public struct ClusterSetup: Hashable, Sendable {
    /// The election policy's registered name (`priority`, `longest-term`, `randomized`, or a plugin's).
    public var election: String
    /// The commit policy's registered name (`sync`, `async`, or a plugin's).
    public var commit: String
    public var config: ClusterConfig
    /// The replica that starts as leader of ballot 1; nil: the first election plays out.
    public var leader: ReplicaID?

    public init(election: String, commit: String, config: ClusterConfig, leader: ReplicaID?) {
        self.election = election
        self.commit = commit
        self.config = config
        self.leader = leader
    }

    /// Replicas `n1` … `nN`.
    public var replicas: Int { config.replicaCount }
}
