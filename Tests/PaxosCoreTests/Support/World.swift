import Testing
@testable import PaxosCore
@testable import PaxosSimulation

/// A small test driver around ``Simulation``: it performs actions, keeps every trace event, and offers the
/// loops the scenarios need (deliver everything in order, tick, run until the cluster is quiet).
///
/// An action the simulation refuses is recorded as a test issue, so scenarios read as straight lines.
struct World {
    var sim: Simulation
    /// The replica that led ballot 1 at the start, if any (`cluster N leader nK`).
    let startingLeader: ReplicaID?
    /// Every event of the run so far, in order.
    private(set) var trace: [TraceEvent] = []
    /// Every action the simulation performed, in order (for a replay script).
    private(set) var actions: [Action] = []
    /// Called after every step (the 10,000-transaction cleanup test checks a bound here).
    var afterEachStep: ((Simulation) -> Void)?

    /// A fresh cluster; with `leader`, `nK` starts as leader of ballot 1 (the `cluster N leader nK` start).
    init(replicas: Int = 3, seed: UInt64 = 1, election: String = "priority", commit: String = "sync",
         leader: Int? = 1, registry: PolicyRegistry = .builtIn, configure: (inout ClusterConfig) -> Void = { _ in }) {
        let policies = Policies(election: registry.election(named: election) ?? PriorityElection(),
                                commit: registry.commit(named: commit) ?? SyncCommit())
        #expect(registry.election(named: election) != nil, "unknown election policy \(election)")
        #expect(registry.commit(named: commit) != nil, "unknown commit policy \(commit)")
        var config = ClusterConfig(replicaCount: replicas)
        configure(&config)
        startingLeader = leader.map(ReplicaID.init)
        sim = Simulation(replicaCount: replicas, seed: seed, policies: policies, config: config,
                         leader: leader.map(ReplicaID.init))
    }

    // MARK: - Reading

    func replica(_ number: Int) -> Replica { sim.replica(ReplicaID(number)) }
    var replicas: [Replica] { sim.replicas }
    var leader: ReplicaID? { sim.leader }
    var inFlight: [InFlight] { Array(sim.inFlight) }

    /// The in-flight messages of one kind (and optionally between two replicas), oldest first.
    func pending(_ kind: String, from: Int? = nil, to: Int? = nil) -> [InFlight] {
        sim.inFlight.filter { flight in
            guard case .message(let envelope) = flight.item, envelope.message.kind.rawValue == kind else { return false }
            if let from, envelope.from != .replica(ReplicaID(from)) { return false }
            if let to, envelope.to != .replica(ReplicaID(to)) { return false }
            return true
        }
    }

    /// The in-flight apply events (under `async`).
    var pendingApplies: [InFlight] {
        sim.inFlight.filter { if case .apply = $0.item { true } else { false } }
    }

    /// The trace events of one kind, in order.
    func events(_ kind: String) -> [TraceEvent] { trace.filter { $0.kind.rawValue == kind } }

    // MARK: - Acting

    /// Performs one action as one step; a refused action is recorded as an issue.
    @discardableResult
    mutating func perform(_ action: Action, sourceLocation: SourceLocation = #_sourceLocation) -> [TraceEvent] {
        do {
            let events = try sim.perform(action)
            actions.append(action)
            trace += events
            afterEachStep?(sim)
            return events
        } catch {
            Issue.record("\(action) refused: \(error)", sourceLocation: sourceLocation)
            return []
        }
    }

    mutating func deliver(_ id: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        perform(.deliver(id), sourceLocation: sourceLocation)
    }

    mutating func drop(_ id: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        perform(.drop(id), sourceLocation: sourceLocation)
    }

    /// Delivers the one in-flight message of `kind` from `from` to `to`; an issue unless exactly one is.
    mutating func deliverOne(_ kind: String, from: Int? = nil, to: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = pending(kind, from: from, to: to)
        #expect(found.count == 1, "expected one \(kind) \(from.map { "n\($0)" } ?? "") → n\(to) in flight, found \(found.count)",
                sourceLocation: sourceLocation)
        if let first = found.first { deliver(first.id, sourceLocation: sourceLocation) }
    }

    /// Drops every in-flight message of `kind` (optionally between two replicas).
    mutating func dropAll(_ kind: String, from: Int? = nil, to: Int? = nil) {
        for flight in pending(kind, from: from, to: to) { drop(flight.id) }
    }

    /// A client transaction setting `K=V` pairs.
    mutating func submit(_ pairs: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        let redo = pairs.compactMap { RedoRecord(parsing: $0) }
        #expect(redo.count == pairs.count, "bad K=V in \(pairs)", sourceLocation: sourceLocation)
        perform(.submit(redo), sourceLocation: sourceLocation)
    }

    mutating func tick(_ count: Int = 1) {
        for _ in 0..<count { perform(.tick) }
    }

    mutating func crash(_ number: Int) { perform(.crash(ReplicaID(number))) }
    mutating func restart(_ number: Int) { perform(.restart(ReplicaID(number))) }

    /// Lets `count` ticks pass with a network that keeps up: after each tick, everything is delivered.
    mutating func advance(_ count: Int) {
        for _ in 0..<count {
            perform(.tick)
            deliverAll()
        }
    }

    /// Delivers in-flight items oldest first (messages and, under `async`, applies) until none is left.
    /// Returns false if `limit` deliveries did not empty the network.
    @discardableResult
    mutating func deliverAll(limit: Int = 100_000, includingApplies: Bool = true) -> Bool {
        var delivered = 0
        while let next = sim.inFlight.first(where: { flight in
            includingApplies || { if case .message = flight.item { true } else { false } }()
        }) {
            guard delivered < limit else { return false }
            perform(.deliver(next.id))
            delivered += 1
        }
        return true
    }

    /// Delivers everything, then ticks (heartbeats, timeouts) and delivers again, until `done` holds;
    /// false if it still does not after `maxTicks` ticks.
    @discardableResult
    mutating func run(maxTicks: Int = 200, until done: (World) -> Bool) -> Bool {
        for _ in 0...maxTicks {
            deliverAll()
            if done(self) { return true }
            perform(.tick)
        }
        deliverAll()
        return done(self)
    }

    /// Runs until one live replica leads, has recovered, and everything is delivered.
    @discardableResult
    mutating func runUntilLeader(maxTicks: Int = 200) -> Bool {
        run(maxTicks: maxTicks) { world in world.readyLeader != nil }
    }

    /// Runs until the cluster is quiet: converged (see ``isConverged``).
    @discardableResult
    mutating func runUntilQuiet(maxTicks: Int = 200) -> Bool {
        run(maxTicks: maxTicks) { $0.isConverged }
    }

    // MARK: - Convergence

    /// The one live leader that finished recovery, when there is exactly one live leader.
    var readyLeader: Replica? {
        let leaders = sim.replicas.filter { sim.isAlive($0.id) && $0.role == .leader }
        guard leaders.count == 1, let only = leaders.first, only.isReadyLeader else { return nil }
        return only
    }

    /// Every replica is up; exactly one leads, has recovered and has nothing queued, and the others follow
    /// its ballot; every replica has committed and applied exactly the leader's log, and holds the same data.
    var isConverged: Bool { convergenceProblem == nil }

    /// Why the cluster is not converged, or nil when it is.
    var convergenceProblem: String? {
        guard sim.alive.allSatisfy({ $0 }) else { return "a replica is down" }
        guard let leader = readyLeader else {
            let leaders = sim.replicas.filter { $0.role == .leader }.map { "\($0.id) (\($0.leaderBallot ?? .zero))" }
            return "no single ready leader: leaders \(leaders)"
        }
        guard leader.leadership?.queue.isEmpty ?? false else { return "\(leader.id) still queues transactions" }
        if let other = sim.replicas.first(where: { $0.id != leader.id && ($0.role != .follower || $0.promised != leader.promised) }) {
            return "\(other.id) is a \(other.role.rawValue) that promised \(other.promised), not following \(leader.id) (\(leader.promised))"
        }
        let last = leader.log.lastIndex
        for r in sim.replicas {
            if r.commitIndex != last || r.appliedIndex != last {
                return "\(r.id) committed \(r.commitIndex), applied \(r.appliedIndex); \(leader.id)'s log ends at \(last)"
            }
            if r.data != leader.data { return "\(r.id)'s data differs from \(leader.id)'s" }
        }
        return nil
    }

    /// A one-line picture of every replica, for failure messages.
    var summary: String {
        sim.replicas.map { r in
            "\(r.id)\(sim.isAlive(r.id) ? "" : "✝") \(r.role.rawValue) promised \(r.promised) log \(r.log.start)…\(r.log.lastIndex) "
                + "commit \(r.commitIndex) applied \(r.appliedIndex) data \(r.data)"
        }.joined(separator: "; ")
    }
}

// MARK: - Reading effects

extension Array where Element == Effect {
    /// The envelopes sent, in order.
    var sent: [Envelope] {
        compactMap { if case .send(let envelope, _) = $0 { envelope } else { nil } }
    }

    /// The envelopes of one message kind, in order.
    func sent(_ kind: String) -> [Envelope] { sent.filter { $0.message.kind.rawValue == kind } }

    /// The local events, in order.
    var locals: [LocalEvent] {
        compactMap { if case .local(let event, _) = $0 { event } else { nil } }
    }

    /// Every reason given (sends, locals and outcomes), in order.
    var reasons: [Reason] {
        compactMap { effect in
            switch effect {
            case .send(_, let reason), .local(_, let reason), .outcome(let reason): reason
            case .observed, .queueApply: nil
            }
        }
    }
}

extension Envelope {
    /// The payload as PROTOCOL.md prints it.
    var json: String { message.payload.rendered }
}
