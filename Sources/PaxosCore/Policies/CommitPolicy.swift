/// Decides how a follower applies an entry once it learns the entry is committed.
///
/// The leader always applies at once. Whatever the policy says, the core applies entries in index order,
/// one at a time, and acks each after applying it.
public protocol CommitPolicy: Sendable {
    /// The name the policy is registered and chosen by (`commit NAME`).
    static var name: String { get }
    /// One line for `policies`.
    static var summary: String { get }

    init()

    /// How `replica` applies entry `index`, which it just learned is committed.
    func applyMode(for replica: ReplicaID, index: Int, config: ClusterConfig) throws -> ApplyMode
}

public enum ApplyMode: Hashable, Sendable {
    /// While handling the commit message, then ack, in the same step.
    case immediately
    /// As an event of its own (`apply nK`), which the user can step or delay.
    case separateEvent
    /// After this many ticks.
    case afterTicks(Int)
}
