import PaxosCore

extension PolicyRegistry {
    /// The built-in policies plus this package's.
    public static var withCustomPolicies: PolicyRegistry {
        var registry = PolicyRegistry.builtIn
        registry.register(ZoneAwareElection.self)
        registry.register(DelayedCommit.self)
        return registry
    }
}
