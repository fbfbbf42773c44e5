@_spi(Mutants) import PaxosChecker
@_spi(Mutants) import PaxosCore

/// Runs `paxos-playground check` with `arguments` and the core's test-only `mutations` switched on, and
/// exits as `check` does. Only the `check-mutant` benchmark target calls it (Scripts/compare-spin.sh times
/// SPIN's broken variants against these): the playground's own command line cannot switch a mutation on.
@_spi(Mutants) public func runMutantCheck(_ mutations: Mutations, arguments: [String]) -> Never {
    exitAsThePlayground {
        let command = try Check.parse(arguments)
        var bounds = try command.bounds()
        bounds.mutations = mutations
        try command.run(bounds: bounds)
    }
}
