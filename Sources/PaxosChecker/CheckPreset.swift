/// `check --preset NAME` and the REPL's `check NAME`: named budgets, from a second's search to a class's to a
/// longer one. A preset sets what the world may do (transactions committed first and within the search, elections,
/// time and when timers may fire, drops, duplicates, crashes, restarts); the cluster, its policies and its other
/// settings (the window among them) are the caller's.
package enum CheckPreset: String, CaseIterable, Hashable, Sendable {
    case tiny, classroom, thorough

    /// The preset `check` runs when given no preset and no budget.
    package static let standard = CheckPreset.classroom
    /// The preset whose budgets fill in those not given when some are given without a preset.
    package static let base = CheckPreset.tiny

    /// Sets the budgets of `configuration` to this preset's. Its transactions committed first need a leader
    /// at the start: set `initialLeader` before; with none, the preset commits nothing first.
    package func apply(to configuration: inout CheckerConfiguration) {
        let b = budgets
        configuration.committedFirst = configuration.initialLeader == nil ? 0 : b.committedFirst
        configuration.transactions = b.transactions
        configuration.elections = b.elections
        configuration.time = b.time
        configuration.suspicion = b.suspicion
        configuration.drops = b.drops
        configuration.duplicates = b.duplicates
        configuration.crashes = b.crashes
        configuration.restarts = b.restarts
    }

    private struct Budgets {
        var committedFirst = 0, transactions = 1, elections = 1, drops = 0, duplicates = 0, crashes = 0, restarts = 0
        var time = CheckerConfiguration.TimeModel.ticks(2)
        var suspicion = CheckerConfiguration.Suspicion.any
    }

    private var budgets: Budgets {
        switch self {
        case .tiny:
            Budgets()
        case .classroom:
            // A transaction committed first and one within the search, a leader crash at any moment of the
            // second, the election it starts, the recovery that must keep what was committed and what a
            // majority accepted, a drop, and progress from every state. Three timers fire, each only once its
            // replica's leader is down (false suspicions are tiny's and thorough's): in a cluster of three the
            // second survivor must time out too before it grants a pre-vote (it still follows the crashed
            // leader), and the third lets an election fail and be retried. With one timer no election ever
            // completes; with two transactions within the search the bounds pass 3 million states
            // (Docs/Performance.md). About 110,000 states.
            Budgets(committedFirst: 1, drops: 1, crashes: 1, time: .timeouts(3), suspicion: .leaderDown)
        case .thorough:
            // One transaction committed first and one within the search, a crash and the crashed replica's
            // restart (an old leader comes back behind a new one), a drop, and a timer free to fire at any
            // moment (a false suspicion of a live leader, which the leader's followers refuse). With one timer,
            // an election completes with the vote of the restarted replica, which follows no one. 1,825,783
            // states, under a minute on two cores in a release build, about 1 GB. Wider bounds (a second
            // transaction within the search, a second election, a duplicate beside the restart)
            // pass 6 to 8 million states and 6 to 12 GB unfinished: no preset of a laptop's.
            Budgets(committedFirst: 1, drops: 1, crashes: 1, restarts: 1, time: .timeouts(1))
        }
    }

    /// What the preset bounds, for help: "1 transaction, 1 election, 2 ticks".
    package var summary: String {
        let b = budgets
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        var parts = [count(b.transactions, "transaction", "transactions"), count(b.elections, "election", "elections")]
        if b.committedFirst > 0 {
            parts.insert(count(b.committedFirst, "transaction", "transactions") + " committed first (with a leader at the start)", at: 0)
        }
        parts.append(b.time.summary(suspicion: b.suspicion))
        if b.drops > 0 { parts.append(count(b.drops, "drop", "drops")) }
        if b.duplicates > 0 { parts.append(count(b.duplicates, "duplicate", "duplicates")) }
        if b.crashes > 0 { parts.append(count(b.crashes, "crash", "crashes")) }
        if b.restarts > 0 { parts.append(count(b.restarts, "restart", "restarts")) }
        return parts.joined(separator: ", ")
    }

    /// Every preset with what it bounds: "tiny (…); classroom (…); thorough (…)".
    package static var listing: String {
        allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")
    }
}
