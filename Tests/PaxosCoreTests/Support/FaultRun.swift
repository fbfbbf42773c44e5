import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// One randomized fault run: a seeded SplitMix64 is the only source of choices. It picks the cluster (3, 5
/// or 7 replicas, a leader or not, batch and window), the run's mix of actions, then for `actions` steps
/// delivers a random in-flight item (out of order) or the oldest, drops, duplicates, ticks, submits, crashes
/// and restarts replicas (mostly keeping a majority up, sometimes not), partitions, cuts and heals.
///
/// Then the faults stop, as `Docs/Progress.md` defines it: the network heals, crashed replicas restart
/// until a majority is up (all of them in some runs, just enough in others), and time passes one tick at a
/// time with every due message delivered in between. The cluster must converge within
/// ``ClusterConfig/progressBoundTicks`` ticks, stay converged (no leader deposed without a fault) for as
/// long again, and one more transaction must then commit and be applied on every live replica.
struct FaultRun {
    let seed: UInt64
    var election = "priority"
    var commit = "sync"
    var actions = 100
    /// The cluster size; nil lets the seed pick 3, 5 or 7.
    var replicas: Int?
    /// Where the policy names are looked up: the built-ins, or a registry with a test's own policies.
    var registry = PolicyRegistry.builtIn

    /// How the run ended.
    struct Outcome {
        /// Invariant violations, at any step.
        var violations: [Violation] = []
        /// Why the cluster did not make progress once the faults stopped, or nil.
        var convergence: String?
        /// Ticks from the end of the faults until the cluster converged.
        var ticksToConverge: Int?
        /// The bound it had to converge within.
        var bound = 0
        /// This run's action weights, for the failure message.
        var weights = ""
        /// The last actions before the faults stopped, for the failure message.
        var recent: [String] = []
        /// The replicas at the end.
        var summary = ""
    }

    /// Plays the run: the fault phase, then progress once the faults stop.
    func run() -> (outcome: Outcome, world: World) {
        var outcome = Outcome()
        var world = faultPhase(&outcome)
        if world.sim.violations.isEmpty {
            outcome.recent.append("-- faults stop --")
            outcome.convergence = faultsStop(&world, &outcome)
        }
        outcome.violations = world.sim.violations
        outcome.summary = world.summary
        return (outcome, world)
    }

    /// The faults stop: heal, restart until a majority is up, then let time pass (one tick at a time, every
    /// due message delivered in between). Returns why progress failed, or nil.
    func faultsStop(_ world: inout World, _ outcome: inout Outcome) -> String? {
        var random = SplitMix64(seed: seed ^ 0x5EED_0F_FA17)
        world.perform(.heal)
        var down = world.replicas.map(\.id).filter { !world.sim.isAlive($0) }
        let restartAll = random.next(below: 2) == 0
        while !down.isEmpty, restartAll || world.replicas.count - down.count < world.sim.config.majority {
            let back = down.remove(at: random.next(below: down.count))
            world.perform(.restart(back))
        }
        // Within K ticks the cluster converges and stays converged: watched for 2K ticks, the last tick at
        // which it was not converged is below K, and the leader does not change after it.
        let bound = world.sim.config.progressBoundTicks
        outcome.bound = bound
        var lastDiverged: Int?
        var divergence: Divergence?
        var stableLeader: ReplicaID?
        for tick in 0...(2 * bound) {
            if tick > 0 { world.perform(.tick) }
            guard world.deliverAll() else { return "messages kept flowing without time passing" }
            if !world.sim.violations.isEmpty { return nil }
            if let found = world.sim.divergence() {
                lastDiverged = tick
                divergence = found
                stableLeader = nil
            } else if stableLeader == nil {
                stableLeader = world.sim.leader
            } else if world.sim.leader != stableLeader {
                return "converged under \(stableLeader.map(\.description) ?? "-"), then at tick \(tick) \(world.sim.leader.map(\.description) ?? "nobody") leads"
            }
        }
        if let lastDiverged, lastDiverged >= bound {
            return "not converged for good within \(bound) ticks after the faults stopped: at tick \(lastDiverged), \(divergence?.description ?? "")"
        }
        outcome.ticksToConverge = lastDiverged.map { $0 + 1 } ?? 0
        // Progress: a new transaction commits and is applied on every live replica, with no time passing.
        world.submit("final=\(seed)")
        world.deliverAll()
        if let missing = world.replicas.first(where: { world.sim.isAlive($0.id) && $0.data["final"] != "\(seed)" }) {
            return "the transaction after the faults is not applied at \(missing.id): \(world.sim.divergence()?.description ?? "converged")"
        }
        let live = world.replicas.filter { world.sim.isAlive($0.id) }
        if let first = live.first, let other = live.first(where: { $0.data != first.data }) {
            return "\(other.id)'s data differs from \(first.id)'s"
        }
        return nil
    }

    /// The faults: `actions` steps chosen by the seeded generator alone (stops early on a violation).
    func faultPhase(_ outcome: inout Outcome) -> World {
        var random = SplitMix64(seed: seed)
        let replicaCount = replicas ?? [3, 3, 3, 5, 5, 7][random.next(below: 6)]
        let startingLeader = random.next(below: 2) == 0 ? 1 + random.next(below: replicaCount) : nil
        let batch = 1 + random.next(below: 3), window = 1 + random.next(below: 4)
        var world = World(replicas: replicaCount, seed: seed, election: election, commit: commit, leader: startingLeader,
                          registry: registry) {
            $0.batchSize = batch
            $0.window = window
        }
        let weights = FaultRun.drawWeights(&random)
        // In flight per replica before a tick waits for the network: fast (1), slowish (3), slow (no limit).
        let backlogLimit = [1, 3, nil][random.next(below: 3)]
        outcome.weights = "batch \(batch), window \(window), backlog \(backlogLimit.map(String.init) ?? "unlimited"); "
            + weights.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        var nextValue = 1
        for _ in 0..<actions {
            let action = nextAction(&random, world: world, weights: weights, backlogLimit: backlogLimit,
                                    nextValue: &nextValue)
            outcome.recent.append("\(action)")
            if outcome.recent.count > 40 { outcome.recent.removeFirst() }
            world.perform(action)
            if !world.sim.violations.isEmpty { break }
        }
        return world
    }

    /// What a run may do, each with a weight. Every run draws its own weights ("swarm testing"): some runs
    /// are calm, some drop half their messages, some partition the network again and again, some crash
    /// the leader whenever they can. That variety finds more than one fixed mix would.
    enum Move: CaseIterable {
        case deliverAny, deliverOldest, tick, submit
        case drop, duplicate, crash, crashLeader, restart, partition, isolateLeader, heal, cut, uncut
    }

    static func drawWeights(_ random: inout SplitMix64) -> [(Move, Int)] {
        Move.allCases.map { move in
            let choices: [Int]
            switch move {
            case .deliverAny: choices = [10, 30, 60]
            case .deliverOldest: choices = [0, 20, 60]
            case .tick: choices = [10, 15, 25]
            case .submit: choices = [5, 15, 30]
            case .drop: choices = [0, 1, 3, 8, 20]
            case .duplicate: choices = [0, 1, 3, 8]
            case .crash: choices = [0, 1, 2, 4]
            case .crashLeader, .isolateLeader: choices = [0, 2, 5, 10]
            case .restart, .heal: choices = [1, 2, 4]
            case .partition, .cut, .uncut: choices = [0, 1, 2, 4]
            }
            return (move, choices[random.next(below: choices.count)])
        }
    }

    /// The next fault-phase action, chosen by `random` alone, with this run's weights.
    private func nextAction(_ random: inout SplitMix64, world: World, weights: [(Move, Int)], backlogLimit: Int?,
                            nextValue: inout Int) -> Action {
        let sim = world.sim
        let ids = sim.config.replicas
        let live = ids.filter { sim.isAlive($0) }
        let down = ids.filter { !sim.isAlive($0) }
        func pick<C: RandomAccessCollection>(_ items: C) -> C.Element? where C.Index == Int {
            items.isEmpty ? nil : items[items.startIndex + random.next(below: items.count)]
        }
        // The network drops and copies messages only; an apply is a replica's own event.
        let messages = sim.inFlight.filter { if case .message = $0.item { true } else { false } }
        // Keep a majority up most of the time; one crash in four may leave only a minority.
        let mayCrash = live.count > sim.config.majority || (live.count > 1 && random.next(below: 4) == 0)

        var roll = random.next(below: max(1, weights.reduce(0) { $0 + $1.1 }))
        let move = weights.first { entry in
            if roll < entry.1 { return true }
            roll -= entry.1
            return false
        }?.0 ?? .tick
        switch move {
        case .deliverAny:
            // Reorder: deliver any in-flight item, not only the oldest.
            if let flight = pick(sim.inFlight) { return .deliver(flight.id) }
        case .deliverOldest:
            if let flight = sim.inFlight.first { return .deliver(flight.id) }
        case .tick:
            // On a fast network time passes only while the network keeps up (a backlogged tick delivers the
            // oldest message instead), so elections finish; on a slow one messages arrive timeouts late.
            if let limit = backlogLimit, sim.inFlight.count > limit * ids.count, let flight = sim.inFlight.first {
                return .deliver(flight.id)
            }
        case .submit:
            // Mostly while a leader is up: with none, the client gives up on the transaction.
            if sim.leader == nil, random.next(below: 4) != 0 { break }
            let key = "k\(random.next(below: 4))"
            defer { nextValue += 1 }
            return .submit([RedoRecord(key: key, value: "v\(nextValue)")])
        case .drop:
            if let flight = pick(messages) { return .drop(flight.id) }
        case .duplicate:
            if let flight = pick(messages) { return .duplicate(flight.id) }
        case .crash:
            if mayCrash, let victim = pick(live) { return .crash(victim) }
        case .crashLeader:
            if mayCrash, let leader = sim.leader { return .crash(leader) }
        case .restart:
            if let back = pick(down) { return .restart(back) }
        case .partition:
            var shuffled = ids
            shuffled.shuffle(using: &random)
            let cut = 1 + random.next(below: ids.count - 1)
            return .partition([Array(shuffled[..<cut]).sorted(), Array(shuffled[cut...]).sorted()])
        case .isolateLeader:
            // The leader alone on one side: the others elect a new one while it keeps its log.
            if let leader = sim.leader { return .partition([[leader], ids.filter { $0 != leader }]) }
        case .heal:
            return .heal
        case .cut:
            if let from = pick(ids), let to = pick(ids.filter { $0 != from }) { return .cut(from: from, to: to) }
        case .uncut:
            if let cut = pick(sim.cuts) { return .uncut(from: cut.from, to: cut.to) }
        }
        return .tick
    }
}
