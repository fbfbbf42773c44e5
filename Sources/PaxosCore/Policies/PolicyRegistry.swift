/// The election and commit policies known by name: the built-ins, plus any a third party registers.
public struct PolicyRegistry: Sendable {
    /// A registered policy: its name, its one-line summary, and how to make one.
    public struct Entry<Policy>: Sendable {
        public let name: String
        public let summary: String
        public let make: @Sendable () -> Policy
    }

    public private(set) var elections: [Entry<any ElectionPolicy>] = []
    public private(set) var commits: [Entry<any CommitPolicy>] = []

    public init() {}

    /// `priority`, `longest-term`, `randomized`; `sync`, `async`.
    public static var builtIn: PolicyRegistry {
        var registry = PolicyRegistry()
        registry.register(PriorityElection.self)
        registry.register(LongestTermElection.self)
        registry.register(RandomizedElection.self)
        registry.register(SyncCommit.self)
        registry.register(AsyncCommit.self)
        return registry
    }

    /// Registers an election policy under its name, replacing one of the same name.
    public mutating func register<P: ElectionPolicy>(_ type: P.Type) {
        elections.removeAll { $0.name == P.name }
        elections.append(Entry(name: P.name, summary: P.summary, make: { P() }))
    }

    /// Registers a commit policy under its name, replacing one of the same name.
    public mutating func register<P: CommitPolicy>(_ type: P.Type) {
        commits.removeAll { $0.name == P.name }
        commits.append(Entry(name: P.name, summary: P.summary, make: { P() }))
    }

    public func election(named name: String) -> (any ElectionPolicy)? {
        elections.first { $0.name == name }?.make()
    }

    public func commit(named name: String) -> (any CommitPolicy)? {
        commits.first { $0.name == name }?.make()
    }
}

/// The two policies a replica consults, chosen by name.
public struct Policies: Sendable {
    public var election: any ElectionPolicy
    public var commit: any CommitPolicy

    public init(election: any ElectionPolicy = PriorityElection(), commit: any CommitPolicy = SyncCommit()) {
        self.election = election
        self.commit = commit
    }

    public var electionName: String { type(of: election).name }
    public var commitName: String { type(of: commit).name }
}
