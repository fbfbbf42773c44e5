import PaxosCore

/// Something waiting to happen: a message on the network, or (under `async` commit) an apply due at a replica.
public enum PendingItem: Hashable, Sendable {
    /// Boxed (`indirect`): an in-flight item is then a few words, so the queue moves and copies pointers,
    /// not 100-byte envelopes, on every send and delivery.
    indirect case message(Envelope)
    case apply(ReplicaID)
}

/// An in-flight item with its stable id.
public struct InFlight: Hashable, Sendable {
    public let id: Int
    public let item: PendingItem
    /// The step that sent it.
    public let sentAt: Int
}

/// One thing the world can do: every step of a run is one of these.
public enum Action: Hashable, Sendable {
    case deliver(Int)
    case drop(Int)
    case duplicate(Int)
    case tick
    case crash(ReplicaID)
    case restart(ReplicaID)
    case submit([RedoRecord])
    case partition([[ReplicaID]])
    case heal
    case cut(from: ReplicaID, to: ReplicaID)
    case uncut(from: ReplicaID, to: ReplicaID)
    /// `nK`'s election timer fires now: its own clock runs ahead until it times out (abstract time, as
    /// the model checker explores it); the global tick and the other replicas' clocks do not move.
    case timeout(ReplicaID)
}

/// Why an action cannot be done; the world is unchanged.
public struct SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The simulated world around the core replicas: the network (in-flight messages with stable ids, any
/// delivery order, drops, duplicates, partitions, one-way cuts), crashes and restarts, the logical clock,
/// the client, and the invariant monitor. Deterministic: the same seed and actions give the same events.
public struct Simulation: Sendable {
    public let seed: UInt64
    public private(set) var policies: Policies
    public private(set) var config: ClusterConfig
    public internal(set) var replicas: [Replica]
    public internal(set) var alive: [Bool]
    /// In flight, oldest first (the default delivery order).
    public internal(set) var inFlight: [InFlight] = []
    public internal(set) var step = 0
    public internal(set) var tick = 0
    /// Partition groups (replica numbers), or nil when the network is whole.
    public private(set) var partition: [[ReplicaID]]?
    /// One-way cuts, in the order made.
    public private(set) var cuts: [Cut] = []
    public internal(set) var monitor: InvariantMonitor
    /// When false, the monitor is not fed (benchmarks measure the protocol alone).
    public var checksInvariants = true
    var nextMessageID = 1
    var client = Client()
    var forgottenThrough = 0
    /// The core's outbox for quiet steps with invariant checks off (see `handleQuietly`).
    var outbox = QuietOutbox()

    public struct Cut: Hashable, Sendable {
        public let from: ReplicaID
        public let to: ReplicaID
    }

    struct Client: Hashable, Sendable {
        var nextTransaction = 1
        var lastKnownLeader: ReplicaID?
        var redirects: [Int: Int] = [:]
    }

    /// A cluster of `replicaCount` replicas; with `leader`, it starts as leader of ballot 1 and the others
    /// follow it, else every replica starts as a follower and the first election plays out.
    public init(replicaCount: Int, seed: UInt64, policies: Policies = Policies(), config: ClusterConfig? = nil,
                leader: ReplicaID? = nil) {
        var config = config ?? ClusterConfig(replicaCount: replicaCount)
        config.replicaCount = replicaCount
        if config.priorities.count != replicaCount { config.priorities = ClusterConfig(replicaCount: replicaCount).priorities }
        self.seed = seed
        self.policies = policies
        self.config = config
        replicas = config.replicas.map { Replica(id: $0, seed: seed, policies: policies, config: config) }
        alive = Array(repeating: true, count: replicaCount)
        monitor = InvariantMonitor(replicaCount: replicaCount)
        if let leader, leader.number <= replicaCount {
            let ballot = Ballot(round: 1, owner: leader)
            for k in replicas.indices {
                if replicas[k].id == leader {
                    replicas[k].startAsLeader(ballot: ballot, config: config)
                } else {
                    replicas[k].startAsFollower(of: ballot)
                }
            }
            _ = monitor.observeElection(of: ballot, by: leader)
            client.lastKnownLeader = leader
        }
    }

    // MARK: - Reading the world

    public func replica(_ id: ReplicaID) -> Replica { replicas[id.number - 1] }
    public func isAlive(_ id: ReplicaID) -> Bool { alive[id.number - 1] }
    public var violations: [Violation] { monitor.violations }

    /// The live replica leading with the highest ballot.
    public var leader: ReplicaID? {
        // A loop, not filter and max: every client submit asks, and copies of the replicas cost.
        var best: (id: ReplicaID, ballot: Ballot)?
        for k in replicas.indices where alive[k] && replicas[k].role == .leader {
            let ballot = replicas[k].leaderBallot ?? .zero
            if best.map({ $0.ballot < ballot }) ?? true { best = (replicas[k].id, ballot) }
        }
        return best?.id
    }

    /// Whether a message from `from` to `to` would be lost now (partition or cut).
    public func isBlocked(from: Endpoint, to: Endpoint) -> Bool {
        // Asked on every delivery: a whole network (no partition, no cut) answers at once.
        if case .none = partition, cuts.isEmpty { return false }
        guard let a = from.replica, let b = to.replica, a != b else { return false }
        if cuts.contains(Cut(from: a, to: b)) { return true }
        guard let partition else { return false }
        return partition.firstIndex { $0.contains(a) } != partition.firstIndex { $0.contains(b) }
    }

    public func inFlight(_ id: Int) -> InFlight? { inFlight.first { $0.id == id } }

    public func validate(_ id: ReplicaID) throws(SimulationError) {
        guard id.number >= 1, id.number <= config.replicaCount else {
            throw SimulationError("unknown replica \(id): this cluster has n1..n\(config.replicaCount)")
        }
    }

    // MARK: - Settings

    /// Switches the election policy; every replica draws its election timeout anew under it.
    public mutating func setElectionPolicy(_ policy: any ElectionPolicy) {
        policies.election = policy
        for k in replicas.indices {
            _ = replicas[k].redrawElectionTimeout(policies: policies, config: config)
        }
    }

    /// Switches the commit policy: it decides how entries committed from now on are applied.
    public mutating func setCommitPolicy(_ policy: any CommitPolicy) {
        policies.commit = policy
    }

    /// Changes the cluster's settings. Priorities and timeouts feed the election policy, so every
    /// replica draws its election timeout anew when they change.
    public mutating func updateConfig(_ change: (inout ClusterConfig) -> Void) {
        let before = config
        change(&config)
        if config.priorities != before.priorities || config.electionTimeoutTicks != before.electionTimeoutTicks {
            for k in replicas.indices {
                _ = replicas[k].redrawElectionTimeout(policies: policies, config: config)
            }
        }
    }

    // MARK: - Acting on the world

    /// Does one action as one step and returns the events it produced.
    public mutating func perform(_ action: Action) throws(SimulationError) -> [TraceEvent] {
        try check(action)
        step += 1
        var events: [TraceEvent] = []
        switch action {
        case .deliver(let id):
            events = deliver(take(id))
        case .drop(let id):
            let item = take(id)
            events = [faultEvent("drop", item.endpoints, ["id": .int(id)], "message #\(id) (\(item.label)) is lost")]
        case .duplicate(let id):
            guard let original = inFlight(id) else { break }
            let copy = InFlight(id: nextMessageID, item: original.item, sentAt: step)
            nextMessageID += 1
            inFlight.append(copy)
            var event = faultEvent("duplicate", original.endpoints, ["id": .int(id), "copy": .int(copy.id)],
                                   "message #\(id) (\(original.label)) is duplicated as #\(copy.id)")
            event.messageID = copy.id
            events = [event]
        case .tick:
            tick += 1
            for k in replicas.indices where alive[k] {
                let effects = replicas[k].handle(.tick, policies: policies, config: config)
                events += absorb(effects, by: replicas[k].id, cause: nil, delivered: nil)
            }
        case .crash(let id):
            alive[id.number - 1] = false
            replicas[id.number - 1].crash()
            inFlight.removeAll { $0.item == .apply(id) }
            events = [faultEvent("crash", (.replica(id), .replica(id)), ["replica": .string("\(id)")],
                                 "\(id) crashes: its log, ballot and data survive; its role, timers and queues are lost")]
        case .restart(let id):
            alive[id.number - 1] = true
            events = [faultEvent("restart", (.replica(id), .replica(id)), ["replica": .string("\(id)")],
                                 "\(id) restarts as a follower with its log and ballot (\(replica(id).promised))")]
            let effects = replicas[id.number - 1].restart(policies: policies, config: config)
            events += absorb(effects, by: id, cause: nil, delivered: nil)
        case .submit(let redo):
            events = [submit(redo)]
        case .partition(let groups):
            partition = groups
            let text = groups.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | ")
            let json = JSONValue.array(groups.map { .array($0.map { .string($0.description) }) })
            events = [faultEvent("partition", (.monitor, .monitor), ["groups": json],
                                 "the network splits into \(text): messages between groups are lost")]
        case .heal:
            partition = nil
            cuts = []
            events = [faultEvent("heal", (.monitor, .monitor), [:], "the network is whole again")]
        case .cut(let from, let to):
            cuts.append(Cut(from: from, to: to))
            events = [faultEvent("cut", (.replica(from), .replica(to)), ["from": .string("\(from)"), "to": .string("\(to)")],
                                 "one-way cut: messages from \(from) to \(to) are lost until uncut or heal")]
        case .timeout(let id):
            events = electionTimerFires(id)
        case .uncut(let from, let to):
            cuts.removeAll { $0 == Cut(from: from, to: to) }
            events = [faultEvent("cut", (.replica(from), .replica(to)), ["from": .string("\(from)"), "to": .string("\(to)"), "restored": true],
                                 "messages from \(from) to \(to) flow again")]
        }
        forgetSettledHistory()
        return events
    }

    /// Throws if the action cannot be done now; nothing changes.
    public func check(_ action: Action) throws(SimulationError) {
        switch action {
        case .deliver(let id), .drop(let id), .duplicate(let id):
            guard let flight = inFlight(id) else {
                let ids = inFlight.prefix(12).map { "#\($0.id)" }.joined(separator: " ")
                throw SimulationError(inFlight.isEmpty
                    ? "message #\(id) is not in flight: nothing is in flight"
                    : "message #\(id) is not in flight: in flight now are \(ids)\(inFlight.count > 12 ? " …" : "") (see pending)")
            }
            // The network loses and copies messages; an apply is a replica's own event (a lost one would
            // leave the replica one apply short for ever), so it can only be run: `deliver` or `apply nK`.
            if case .apply(let replica) = flight.item, action != .deliver(id) {
                throw SimulationError("#\(id) is \(replica)'s apply event, not a message: only messages can be dropped or duplicated (apply \(replica) runs it)")
            }
        case .crash(let id):
            try validate(id)
            guard isAlive(id) else { throw SimulationError("\(id) is already down: restart \(id) brings it back") }
        case .restart(let id):
            try validate(id)
            guard !isAlive(id) else { throw SimulationError("\(id) is up: only a crashed replica can restart") }
        case .cut(let from, let to), .uncut(let from, let to):
            try validate(from)
            try validate(to)
            guard from != to else { throw SimulationError("a cut needs two different replicas, e.g. cut n1 n2") }
        case .partition(let groups):
            let all = groups.flatMap { $0 }
            for id in all { try validate(id) }
            guard Set(all).count == all.count else { throw SimulationError("a replica appears in two groups") }
            guard groups.count >= 2, groups.allSatisfy({ !$0.isEmpty }) else {
                throw SimulationError("a partition needs at least two non-empty groups, e.g. partition n1 | n2 n3")
            }
        case .submit(let redo):
            guard !redo.isEmpty else { throw SimulationError("a transaction needs at least one K=V") }
        case .timeout(let id):
            try validate(id)
            guard canTimeOut(id) else {
                throw SimulationError("\(id)'s election timer cannot fire: \(isAlive(id) ? "it leads (a leader has none)" : "it is down")")
            }
        case .tick, .heal:
            break
        }
    }

    // MARK: - Delivery

    mutating func take(_ id: Int) -> InFlight {
        let index = inFlight.firstIndex { $0.id == id } ?? 0
        return inFlight.remove(at: index)
    }

    private mutating func deliver(_ flight: InFlight) -> [TraceEvent] {
        switch flight.item {
        case .apply(let id):
            let effects = replicas[id.number - 1].handle(.applyNext, policies: policies, config: config)
            return absorb(effects, by: id, cause: flight.id, delivered: nil)
        case .message(let envelope):
            if isBlocked(from: envelope.from, to: envelope.to) {
                var event = faultEvent("drop", flight.endpoints, ["id": .int(flight.id)],
                                       "\(flight.label) is lost: \(cuts.contains(Cut(from: envelope.from.replica ?? ReplicaID(0), to: envelope.to.replica ?? ReplicaID(0))) ? "the link is cut" : "the network is partitioned")")
                event.cause = flight.id
                return [event]
            }
            switch envelope.to {
            case .client:
                return clientReceives(envelope, id: flight.id)
            case .monitor:
                return []
            case .replica(let id):
                guard isAlive(id) else {
                    var event = faultEvent("drop", flight.endpoints, ["id": .int(flight.id)], "\(flight.label) is lost: \(id) is down")
                    event.cause = flight.id
                    return [event]
                }
                let effects = replicas[id.number - 1].handle(.receive(envelope), policies: policies, config: config)
                return absorb(effects, by: id, cause: flight.id, delivered: envelope)
            }
        }
    }

    /// Turns a replica's effects into trace events, in-flight items and invariant checks.
    mutating func absorb(_ effects: [Effect], by actor: ReplicaID, cause: Int?, delivered: Envelope?) -> [TraceEvent] {
        var events: [TraceEvent] = []
        let annotator = Annotator(isAlive: { [alive] in alive.indices.contains($0.number - 1) ? alive[$0.number - 1] : false })
        for effect in effects {
            switch effect {
            case .send(let envelope, let reason):
                let id = enqueue(.message(envelope))
                events.append(TraceEvent(step: step, tick: tick, phase: reason.phaseOverride ?? envelope.message.phase,
                                         kind: envelope.message.kind, from: envelope.from, to: envelope.to,
                                         payload: envelope.message.payload, note: annotator.note(reason, by: actor),
                                         reason: reason, messageID: id, cause: cause))
            case .local(let event, let reason):
                events.append(TraceEvent(step: step, tick: tick, phase: event.phase, kind: event.kind,
                                         from: .replica(actor), to: .replica(actor), payload: event.payload,
                                         note: annotator.note(reason, by: actor), reason: reason, cause: cause))
                if case .elected(let ballot) = event, checksInvariants {
                    events += violationEvents(monitor.observeElection(of: ballot, by: actor))
                }
            case .outcome(let reason):
                let message = delivered?.message
                var event = TraceEvent(step: step, tick: tick, phase: message?.phase ?? reason.phaseOverride ?? .election,
                                       kind: message?.kind ?? "note", from: delivered?.from ?? .replica(actor),
                                       to: delivered?.to ?? .replica(actor), payload: message?.payload ?? .object([]),
                                       note: annotator.note(reason, by: actor), reason: reason, cause: cause)
                event.isDeliveryOutcome = delivered != nil
                events.append(event)
            case .observed(let observation):
                guard checksInvariants else { continue }
                let found = monitor.observe(observation, by: actor, state: replica(actor), majority: config.majority)
                events += violationEvents(found)
            case .queueApply:
                _ = enqueue(.apply(actor))
            }
        }
        if let delivered, let cause, !events.contains(where: { $0.cause == cause }) {
            var event = TraceEvent(step: step, tick: tick, phase: delivered.message.phase, kind: delivered.message.kind,
                                   from: delivered.from, to: delivered.to, payload: delivered.message.payload,
                                   note: "\(actor) receives it", cause: cause)
            event.isDeliveryOutcome = true
            events.insert(event, at: 0)
        }
        return events
    }

    mutating func enqueue(_ item: PendingItem) -> Int {
        Self.enqueue(item, on: &inFlight, nextID: &nextMessageID, step: step)
    }

    /// Puts `item` at the end of `queue` under the next id: every send and queued apply goes through here
    /// (``enqueue(_:)``, and the quiet steps' direct hand-over, which lends the core `inFlight`).
    static func enqueue(_ item: PendingItem, on queue: inout [InFlight], nextID: inout Int, step: Int) -> Int {
        let id = nextID
        nextID += 1
        queue.append(InFlight(id: id, item: item, sentAt: step))
        return id
    }

    private func violationEvents(_ violations: [Violation]) -> [TraceEvent] {
        violations.map { v in
            let who = v.replicas.first.map(Endpoint.replica) ?? .monitor
            var payload: [(String, JSONValue)] = [("invariant", .int(v.invariant)), ("name", .string(v.name))]
            if let index = v.index { payload.append(("index", .int(index))) }
            payload.append(("replicas", .array(v.replicas.map { .string($0.description) })))
            return TraceEvent(step: step, tick: tick, phase: .invariant, kind: "violation", from: who, to: who,
                              payload: .object(payload), note: "invariant \(v.invariant) (\(v.name)) violated: \(v.detail)",
                              invariant: v.invariant, replicas: v.replicas)
        }
    }

    private func faultEvent(_ kind: String, _ endpoints: (Endpoint, Endpoint), _ payload: KeyValuePairs<String, JSONValue>,
                            _ note: String) -> TraceEvent {
        TraceEvent(step: step, tick: tick, phase: .fault, kind: kind, from: endpoints.0, to: endpoints.1,
                   payload: .object(payload.map { ($0.key, $0.value) }), note: note)
    }

    mutating func forgetSettledHistory() {
        // Runs after every step: a loop, not an array of applied indexes, and it stops at the first replica
        // that has not applied far enough (nothing to forget yet).
        let due = forgottenThrough + 64
        var settled = Int.max
        for k in replicas.indices {
            let applied = replicas[k].appliedIndex
            if applied < due { return }
            settled = min(settled, applied)
        }
        if !replicas.isEmpty {
            monitor.forget(through: settled)
            forgottenThrough = settled
        }
    }

    // MARK: - The client

    /// The client sends the transaction to the live replica leading with the highest ballot, or, with
    /// none, to the replica it last knew as leader.
    private mutating func submit(_ redo: [RedoRecord]) -> TraceEvent {
        let (number, target, id, route) = sendTransaction(redo)
        let why = switch route {
        case .leader(let ballot): "\(target) leads with the highest ballot (\(ballot))"
        case .firstGuess: "no replica leads yet; it tries n1"
        case .lastKnown: "no live leader; it tries the last it knew"
        }
        return TraceEvent(step: step, tick: tick, phase: .transaction, kind: "transaction", from: .client,
                          to: .replica(target), payload: Message.transaction(Transaction(id: number, redo: redo)).payload,
                          note: "client sends t\(number) to \(target): \(why)", messageID: id)
    }

    /// Why the client sent a transaction where it did.
    enum ClientRoute {
        /// To the live replica leading with the highest ballot.
        case leader(Ballot)
        /// No replica leads and none is known: n1.
        case firstGuess
        /// No live leader: the last one the client knew.
        case lastKnown
    }

    /// The client's part of a submit, with no trace: numbers the transaction, picks the replica and sends it.
    /// Returns the transaction's number, not the transaction: the caller that traces it rebuilds it from `redo`.
    mutating func sendTransaction(_ redo: [RedoRecord]) -> (transaction: Int, ReplicaID, id: Int, ClientRoute) {
        let transaction = Transaction(id: client.nextTransaction, redo: redo)
        client.nextTransaction += 1
        let target: ReplicaID
        let route: ClientRoute
        if let leader {
            target = leader
            route = .leader(replicas[leader.number - 1].leaderBallot ?? .zero)
        } else {
            target = client.lastKnownLeader ?? ReplicaID(1)
            route = client.lastKnownLeader == nil ? .firstGuess : .lastKnown
        }
        client.lastKnownLeader = target
        let envelope = Envelope(from: .client, to: .replica(target), message: .transaction(transaction))
        return (transaction.id, target, enqueue(.message(envelope)), route)
    }

    private mutating func clientReceives(_ envelope: Envelope, id: Int) -> [TraceEvent] {
        guard case .redirect(let transaction, let leader) = envelope.message else { return [] }
        let attempts = client.redirects[transaction.id, default: 0] + 1
        client.redirects[transaction.id] = attempts
        forgetSettledRedirects()
        guard let leader, attempts <= 3 else {
            let why = leader == nil ? "no leader is known" : "redirected \(attempts) times"
            return [TraceEvent(step: step, tick: tick, phase: .transaction, kind: "redirect", from: envelope.from,
                               to: .client, payload: envelope.message.payload,
                               note: "client gives up on t\(transaction.id): \(why); submit it again later", cause: id)]
        }
        client.lastKnownLeader = leader
        let retry = Envelope(from: .client, to: .replica(leader), message: .transaction(transaction))
        let retryID = enqueue(.message(retry))
        return [TraceEvent(step: step, tick: tick, phase: .transaction, kind: "transaction", from: .client,
                           to: .replica(leader), payload: retry.message.payload,
                           note: "client re-sends t\(transaction.id) to \(leader), as \(envelope.from) redirected it",
                           messageID: retryID, cause: id)]
    }

    /// Forgets the redirect counts of transactions of which nothing is in flight any more (no transaction
    /// message, no redirect): they reached a leader, or the client gave up, and no redirect can come back
    /// for them. Runs only once the table outgrows what is in flight, so it costs little, and a long run
    /// with leader changes keeps no per-transaction state.
    private mutating func forgetSettledRedirects() {
        guard client.redirects.count > inFlight.count + 64 else { return }
        var live = Set<Int>()
        for flight in inFlight {
            guard case .message(let envelope) = flight.item else { continue }
            switch envelope.message {
            case .transaction(let transaction), .redirect(let transaction, _): live.insert(transaction.id)
            default: break
            }
        }
        client.redirects = client.redirects.filter { live.contains($0.key) }
    }
}

extension InFlight {
    var endpoints: (Endpoint, Endpoint) {
        switch item {
        case .message(let envelope): (envelope.from, envelope.to)
        case .apply(let id): (.replica(id), .replica(id))
        }
    }

    /// `propose n1 → n2`, or `apply n2`.
    public var label: String {
        switch item {
        case .message(let envelope): "\(envelope.message.kind) \(envelope.from) → \(envelope.to)"
        case .apply(let id): "apply \(id)"
        }
    }
}

extension Message {
    public var phase: Phase {
        switch self {
        case .transaction, .redirect: .transaction
        case .propose: .propose
        case .vote: .vote
        case .commit: .commit
        case .ack: .ack
        case .heartbeat, .heartbeatReply: .heartbeat
        case .candidacy, .promise, .preVote, .preVoteReply: .election
        case .requestLogRange, .logRange: .recovery
        }
    }
}

extension LocalEvent {
    public var phase: Phase {
        switch self {
        case .ownProposal: .propose
        case .ownVote: .vote
        case .apply: .apply
        case .cleanup, .cleanupWaits: .cleanup
        case .timeout: .timeout
        case .elected, .stepDown: .election
        case .recovered: .recovery
        }
    }
}
