import Testing
import PaxosChecker
import PaxosCore

/// The exact number of states and transitions `check` explores in a few small configurations, with every
/// reduction, with none, and without each one. A change to the model (the core, the step path, the state
/// encoding) or to a reduction shows up here as a diff: if it is meant, re-count with the command in each
/// case's comment and say why the counts moved in the commit.
@Suite struct PinnedCountTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let configuration: CheckerConfiguration
        let states: Int
        let transitions: Int
        var description: String { name }
    }

    /// `cluster 3 leader n1`, one transaction, one candidacy by n2, two election timers, runs of up to 12
    /// steps: `paxos-playground check --timeouts 2 --candidates n2 --max-depth 12 --threads 1 --without progress[,R]`.
    static func small(without removed: CheckerConfiguration.Reductions = [], depth: Int = 12) -> CheckerConfiguration {
        var c = CheckerConfiguration()
        c.progress = false
        c.time = .timeouts(2)
        c.candidates = [ReplicaID(2)]
        c.maxDepth = depth
        c.threads = 1
        c.reductions = CheckerConfiguration.Reductions.all.subtracting(removed)
        return c
    }

    /// Longest-term, any replica may stand once, one crash, one restart, one drop, runs of up to 8 steps:
    /// `paxos-playground check --election longest-term --timeouts 2 --crashes 1 --restarts 1 --drops 1
    /// --max-depth 8 --threads 1 --without progress[,R]`.
    static func faulty(without removed: CheckerConfiguration.Reductions = []) -> CheckerConfiguration {
        var c = CheckerConfiguration()
        c.progress = false
        c.election = LongestTermElection.name
        c.time = .timeouts(2)
        c.crashes = 1
        c.restarts = 1
        c.drops = 1
        c.maxDepth = 8
        c.threads = 1
        c.reductions = CheckerConfiguration.Reductions.all.subtracting(removed)
        return c
    }

    static let cases: [Case] = {
        var cases = [
            Case(name: "small", configuration: small(), states: 55_561, transitions: 113_355),
            Case(name: "small, no reductions", configuration: small(without: .all), states: 62_251, transitions: 197_919),
            Case(name: "small, no sleep sets", configuration: small(without: .partialOrder), states: 55_561, transitions: 177_678),
            Case(name: "small, no ignored messages", configuration: small(without: .ignoredMessages), states: 62_251, transitions: 125_706),
            Case(name: "faulty", configuration: faulty(), states: 7_428, transitions: 13_274),
            Case(name: "faulty, no reductions", configuration: faulty(without: .all), states: 32_703, transitions: 92_301),
            Case(name: "faulty, no sleep sets", configuration: faulty(without: .partialOrder), states: 7_428, transitions: 17_942),
            Case(name: "faulty, no dead letters", configuration: faulty(without: .deadLetters), states: 7_428, transitions: 13_274),
            Case(name: "faulty, no symmetry", configuration: faulty(without: .symmetry), states: 14_929, transitions: 25_502),
            Case(name: "faulty, no drops as delays", configuration: faulty(without: .dropsAsDelays), states: 16_003, transitions: 33_711),
        ]
        // With progress: the same states (the continuations are checked, not explored), and the reductions that
        // would not be exact for progress (symmetry with crashes, drops as delays) are off.
        var progress = small(depth: 10)
        progress.progress = true
        cases.append(Case(name: "small to 10 steps, with progress", configuration: progress, states: 14_825, transitions: 26_798))
        var faultyProgress = faulty()
        faultyProgress.progress = true
        cases.append(Case(name: "faulty, with progress", configuration: faultyProgress, states: 32_183, transitions: 64_562))
        // Two transactions and no faults: finite only because a leader fills a follower's gap once per heartbeat.
        // When it re-sent the whole gap at every report, a scheduler that kept delivering the re-sent later entry
        // first made the network grow without end (no bound on states). The limit turns such a regression into
        // a failed verdict instead of a hang. `paxos-playground check --replicas 2 --transactions 2 --elections 0
        // --ticks 0 --threads 1`.
        var twoTransactions = CheckerConfiguration()
        twoTransactions.replicas = 2
        twoTransactions.transactions = 2
        twoTransactions.elections = 0
        twoTransactions.time = .ticks(0)
        twoTransactions.threads = 1
        twoTransactions.stateLimit = 100_000
        cases.append(Case(name: "two transactions, two replicas, with progress", configuration: twoTransactions,
                          states: 216, transitions: 360))
        // The default `check`: the classroom preset (a transaction committed first and one within the search, a
        // crash, three timeouts each once its replica's leader is down, a drop), with progress and dead letters.
        // `paxos-playground check`; in CI (a debug build) its first 14 steps, `paxos-playground check --max-depth 14`.
        var classroom = CheckerConfiguration()
        CheckPreset.classroom.apply(to: &classroom)
        if TestSize.full {
            cases.append(Case(name: "classroom preset, with progress", configuration: classroom,
                              states: 107_572, transitions: 296_023))
        } else {
            classroom.maxDepth = 14
            cases.append(Case(name: "classroom preset to 14 steps, with progress", configuration: classroom,
                              states: 31_382, transitions: 73_663))
        }
        return cases
    }()

    @Test(arguments: cases)
    func countsArePinned(_ pinned: Case) throws {
        let report = try ModelChecker(pinned.configuration).run()
        #expect(report.verdict == pinned.configuration.cleanVerdict, "\(pinned.name): \(report.verdict)")
        #expect(report.states == pinned.states, "\(pinned.name): states")
        #expect(report.transitions == pinned.transitions, "\(pinned.name): transitions")
    }

    /// Two threads find the same states and transitions as one.
    @Test func twoThreadsCountTheSame() throws {
        var c = Self.faulty()
        c.threads = 2
        let report = try ModelChecker(c).run()
        #expect((report.states, report.transitions) == (7_428, 13_274))
    }
}
