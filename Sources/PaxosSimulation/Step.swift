import PaxosCore

// The one step path. Every action (deliver, drop, duplicate, tick, timeout, crash, restart, partition, cut,
// uncut, heal, submit, and an apply, which is delivered) is performed by `perform(_:into:effects:)`, the same
// way whoever watches: the REPL collects trace events (`TraceCollector`), the checker and the bench what the
// step read and wrote (`StepSummary`). A collector only watches; the world changes the same under each.

/// What a step reports as it happens.
package protocol StepCollector {
    /// Whether the collector reads trace events. When it does not, no event is built (each is an
    /// autoclosure), and with invariant checks off a replica hands its sends and applies straight to the
    /// network, building none of its other effects.
    static var readsEvents: Bool { get }
    /// The step belongs to `actor`: a replica's number, or ``StepSummary/client``, ``StepSummary/network``,
    /// ``StepSummary/everyone``.
    mutating func act(as actor: Int)
    /// An event of the step, in order; built only when the collector reads events.
    mutating func record(_ event: @autoclosure () -> TraceEvent)
    /// The delivery of message `cause` to a live replica is over: when the step recorded nothing it caused,
    /// the delivery itself is the step's first event.
    mutating func closeDelivery(of cause: Int, _ event: @autoclosure () -> TraceEvent)
    /// The invariant monitor is about to take `observation` (nil: an election) and may change its history.
    mutating func willObserve(_ observation: Observation?, in monitor: InvariantMonitor)
}

/// Collects a step's trace events, for the REPL, scripts and counterexamples.
package struct TraceCollector: StepCollector {
    package static var readsEvents: Bool { true }
    package private(set) var events: [TraceEvent] = []

    package init() {}

    package mutating func act(as actor: Int) {}

    package mutating func record(_ event: @autoclosure () -> TraceEvent) {
        events.append(event())
    }

    package mutating func closeDelivery(of cause: Int, _ event: @autoclosure () -> TraceEvent) {
        if !events.contains(where: { $0.cause == cause }) { events.insert(event(), at: 0) }
    }

    package mutating func willObserve(_ observation: Observation?, in monitor: InvariantMonitor) {}
}

extension StepSummary: StepCollector {
    package static var readsEvents: Bool { false }

    package mutating func act(as actor: Int) { self.actor = actor }

    package mutating func record(_ event: @autoclosure () -> TraceEvent) {}

    package mutating func closeDelivery(of cause: Int, _ event: @autoclosure () -> TraceEvent) {}

    package mutating func willObserve(_ observation: Observation?, in monitor: InvariantMonitor) {
        touchedHistory = true
        if let observation { note(observation, in: monitor) }
    }
}

extension Simulation {
    // MARK: - Entry points

    /// Does one action as one step and returns the events it produced.
    public mutating func perform(_ action: Action) throws(SimulationError) -> [TraceEvent] {
        var trace = TraceCollector()
        var effects: [Effect] = []
        try perform(action, into: &trace, effects: &effects)
        return trace.events
    }

    /// Does one action as one step, exactly as ``perform(_:)`` does, but builds no trace events. Returns
    /// what the step read and wrote.
    @discardableResult
    package mutating func performQuietly(_ action: Action) throws(SimulationError) -> StepSummary {
        var effects: [Effect] = []
        return try performQuietly(action, effects: &effects)
    }

    /// ``performQuietly(_:)`` with a caller's buffer for the replicas' effects: a caller that steps many
    /// times (the bench, the checker's continuations) passes the same buffer every time, and no step
    /// allocates an effects array. What the buffer holds between steps means nothing.
    @discardableResult
    package mutating func performQuietly(_ action: Action, effects: inout [Effect]) throws(SimulationError) -> StepSummary {
        var summary = StepSummary(actor: StepSummary.everyone)
        try perform(action, into: &summary, effects: &effects)
        return summary
    }

    // MARK: - The step

    /// Does one action as one step, reporting to `collector` as it goes. Throws, changing nothing, when the
    /// action cannot be done now (an unknown id, a replica already down, …).
    package mutating func perform<C: StepCollector>(_ action: Action, into collector: inout C,
                                                   effects: inout [Effect]) throws(SimulationError) {
        switch action {
        case .deliver(let id):
            let index = try inFlightIndex(of: id, for: action)
            step += 1
            deliver(network.take(at: index), into: &collector, effects: &effects)
        case .drop(let id):
            let index = try inFlightIndex(of: id, for: action)
            step += 1
            let flight = network.take(at: index)
            collector.act(as: StepSummary.network)
            collector.record(faultEvent(.drop, flight.endpoints, .lost(id: id, flight.item, .dropped)))
        case .duplicate(let id):
            let index = try inFlightIndex(of: id, for: action)
            step += 1
            let original = network.inFlight[index]
            let copy = network.enqueue(original.item, step: step)
            collector.act(as: StepSummary.network)
            collector.record(faultEvent(.duplicate, original.endpoints, .duplicated(id: id, original.item, copy: copy),
                                        messageID: copy))
        case .tick:
            step += 1
            tick += 1
            collector.act(as: StepSummary.everyone)
            for k in replicas.indices where alive[k] {
                handle(.tick, at: replicas[k].id, cause: nil, into: &collector, effects: &effects)
            }
        case .timeout(let id):
            try check(action)
            step += 1
            collector.act(as: id.number)
            electionTimerFires(id, into: &collector, effects: &effects)
        case .crash(let id):
            try check(action)
            step += 1
            alive[id.number - 1] = false
            handle(.crash, at: id, cause: nil, into: &collector, effects: &effects)
            network.inFlight.removeAll { $0.item == .apply(id) }
            collector.act(as: id.number)
            collector.record(faultEvent(.crash, (.replica(id), .replica(id)), .crashed(id)))
        case .restart(let id):
            try check(action)
            step += 1
            alive[id.number - 1] = true
            collector.act(as: id.number)
            collector.record(faultEvent(.restart, (.replica(id), .replica(id)), .restarted(id, promised: replica(id).promised)))
            handle(.restart, at: id, cause: nil, into: &collector, effects: &effects)
        case .submit(let redo):
            try check(action)
            step += 1
            collector.act(as: StepSummary.everyone)
            submit(redo, into: &collector)
        case .partition(let groups):
            try check(action)
            step += 1
            network.partition = groups
            collector.act(as: StepSummary.everyone)
            collector.record(faultEvent(.partition, (.monitor, .monitor), .partitioned(groups)))
        case .heal:
            step += 1
            network.partition = nil
            network.cuts = []
            collector.act(as: StepSummary.everyone)
            collector.record(faultEvent(.heal, (.monitor, .monitor), .healed))
        case .cut(let from, let to):
            try check(action)
            step += 1
            // A link cut again stays cut once: the list of cuts holds each link once.
            if !network.cuts.contains(Network.Cut(from: from, to: to)) { network.cuts.append(Network.Cut(from: from, to: to)) }
            collector.act(as: StepSummary.everyone)
            collector.record(faultEvent(.cut, (.replica(from), .replica(to)), .cut(from: from, to: to)))
        case .uncut(let from, let to):
            try check(action)
            step += 1
            network.cuts.removeAll { $0 == Network.Cut(from: from, to: to) }
            collector.act(as: StepSummary.everyone)
            collector.record(faultEvent(.cut, (.replica(from), .replica(to)), .uncut(from: from, to: to)))
        }
        forgetSettledHistory()
    }

    /// Throws if the action cannot be done now; nothing changes.
    public func check(_ action: Action) throws(SimulationError) {
        switch action {
        case .deliver(let id), .drop(let id), .duplicate(let id):
            _ = try inFlightIndex(of: id, for: action)
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
            let example = config.partitionExample.map { ", e.g. \($0)" } ?? " (a cluster of one replica cannot be split)"
            if let twice = all.first(where: { id in all.filter { $0 == id }.count > 1 }) {
                throw SimulationError("\(twice) appears twice: each replica goes in one group\(example)")
            }
            guard groups.count >= 2, groups.allSatisfy({ !$0.isEmpty }) else {
                throw SimulationError("a partition needs at least two non-empty groups\(example)")
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

    /// Where item `id` is in flight, for `action` (a delivery, drop or duplicate); throws when it is not in
    /// flight, or when `action` would drop or copy an apply event.
    private func inFlightIndex(of id: Int, for action: Action) throws(SimulationError) -> Int {
        guard let index = network.index(of: id) else {
            let ids = network.inFlight.prefix(12).map { "#\($0.id)" }.joined(separator: " ")
            throw SimulationError(network.inFlight.isEmpty
                ? "message #\(id) is not in flight: nothing is in flight"
                : "message #\(id) is not in flight: in flight now are \(ids)\(network.inFlight.count > 12 ? " …" : "") (see pending)")
        }
        // The network loses and copies messages; an apply is a replica's own event (a lost one would leave the
        // replica one apply short for ever), so it can only be run: `deliver` or `apply nK`.
        if case .apply(let replica) = network.inFlight[index].item, action != .deliver(id) {
            throw SimulationError("#\(id) is \(replica)'s apply event, not a message: only messages can be dropped or duplicated (apply \(replica) runs it)")
        }
        return index
    }

    // MARK: - Delivery

    private mutating func deliver<C: StepCollector>(_ flight: InFlight, into collector: inout C, effects: inout [Effect]) {
        switch flight.item {
        case .apply(let id):
            collector.act(as: id.number)
            handle(.applyNext, at: id, cause: flight.id, into: &collector, effects: &effects)
        case .message(let envelope):
            guard case .replica(let id) = envelope.to else {
                collector.act(as: StepSummary.client)
                if case .client = envelope.to { clientReceives(envelope, id: flight.id, into: &collector) }
                return
            }
            collector.act(as: id.number)
            if let blocked = network.blocked(from: envelope.from, to: envelope.to) {
                collector.record(faultEvent(.drop, flight.endpoints,
                                            .lost(id: flight.id, flight.item, blocked == .cut ? .cut : .partitioned), cause: flight.id))
                return
            }
            guard isAlive(id) else {
                collector.record(faultEvent(.drop, flight.endpoints, .lost(id: flight.id, flight.item, .down(id)), cause: flight.id))
                return
            }
            handle(.receive(envelope), at: id, cause: flight.id, into: &collector, effects: &effects)
            collector.closeDelivery(of: flight.id,
                                    TraceEvent(step: step, tick: tick, phase: envelope.message.phase, kind: envelope.message.kind,
                                               from: envelope.from, to: envelope.to, fact: .received(envelope.message, by: id),
                                               cause: flight.id))
        }
    }

    /// `id`'s election timer fires now: its own clock runs ahead, for at most its election timeout and a
    /// tick, until the timer fires (heartbeat timeout, then a candidacy if the rules say so; a candidate
    /// whose election timed out stands aside), and no further: a later note that counts its ticks counts
    /// none it did not wait. The other replicas' clocks and the
    /// global tick do not move: abstract time, as the model checker explores it. Ticks in which nothing would
    /// happen pass at once (``Replica/quietTicks``), so a timeout of a billion ticks costs what one of three
    /// does; the core `tick`s left are those where something happens.
    private mutating func electionTimerFires<C: StepCollector>(_ id: ReplicaID, into collector: inout C, effects: inout [Effect]) {
        let k = id.number - 1
        let start = max(1, replicas[k].electionTimeoutTicks).saturatingAdding(1)
        var ticksLeft = start
        while ticksLeft > 0 {
            let quiet = min(replicas[k].quietTicks, ticksLeft)
            replicas[k].passQuietTicks(quiet)
            ticksLeft -= quiet
            guard ticksLeft > 0 else { break }
            ticksLeft -= 1
            effects.removeAll(keepingCapacity: true)
            replicas[k].handle(.tick, policies: policies, config: config, into: &effects)
            let fired = effects.contains(where: Self.isTimerFiring)
            absorb(&effects, by: id, cause: nil, delivered: nil, ranAhead: start - ticksLeft, into: &collector)
            if fired { break }
        }
    }

    /// A follower's heartbeat timeout, or a candidate's election timing out (it stands aside).
    private static func isTimerFiring(_ effect: Effect) -> Bool {
        switch effect {
        case .local(.timeout, _): return true
        case .outcome(.standsAside(_, _, .noMajority, _)): return true
        default: return false
        }
    }

    // MARK: - One core call

    /// Hands `input` to replica `id` and absorbs what it produced. When nobody reads events and invariant
    /// checks are off, nothing but the replica's sends and queued applies has any use: the core hands over
    /// just those, straight onto the network (the same items under the same ids, through the same
    /// `enqueue`), without the effects, reasons and observations that would be built only to be dropped.
    private mutating func handle<C: StepCollector>(_ input: Input, at id: ReplicaID, cause: Int?,
                                                   into collector: inout C, effects: inout [Effect]) {
        let k = id.number - 1
        if !C.readsEvents, !checksInvariants {
            // The outbox gets the network for the call (the queue and the ids, lent: a swap, nothing copied).
            if !isKnownUniquelyReferenced(&outbox) { outbox = NetworkOutbox() }
            let lent = outbox
            lent.lend(&network, step: step, replica: id)
            replicas[k].handle(input, policies: policies, config: config, into: &effects, outbox: lent)
            lent.giveBack(&network)
            return
        }
        effects.removeAll(keepingCapacity: true)
        // Most core calls produce up to four effects: one allocation instead of growing 1, 2, 4.
        if effects.capacity == 0 { effects.reserveCapacity(4) }
        replicas[k].handle(input, policies: policies, config: config, into: &effects)
        // The delivered message, which an outcome's event shows: read from the input here, past the quiet
        // path, so that a quiet step copies the envelope once (into the input), not twice.
        let delivered: Envelope? = if case .receive(let envelope) = input { envelope } else { nil }
        absorb(&effects, by: id, cause: cause, delivered: delivered, into: &collector)
    }

    /// Puts a replica's sends and queued applies on the network, feeds the invariant monitor, and reports
    /// each effect to the collector.
    ///
    /// Each effect is moved out of `effects` (a payload-free `.queueApply` is left in its place, which the
    /// next `removeAll` disposes of cheaply): a sent envelope goes to the network without a copy of the
    /// effect and its reason, and nothing in it is released twice.
    private mutating func absorb<C: StepCollector>(_ effects: inout [Effect], by actor: ReplicaID, cause: Int?,
                                                   delivered: Envelope?, ranAhead: Int = 0, into collector: inout C) {
        var queuedApply: Int?  // the apply event queued just before the outcome that tells of it
        for k in effects.indices {
            var effect = Effect.queueApply
            swap(&effect, &effects[k])
            switch consume effect {
            case .send(let envelope, let reason):
                let id = network.enqueue(.message(envelope), step: step)
                collector.record(TraceEvent(step: step, tick: tick, phase: reason.phaseOverride ?? envelope.message.phase,
                                            kind: envelope.message.kind, from: envelope.from, to: envelope.to,
                                            fact: .sent(envelope.message, rule(reason, by: actor)), messageID: id, cause: cause))
            case .local(let event, let reason):
                collector.record(TraceEvent(step: step, tick: tick, phase: event.phase, kind: event.kind,
                                            from: .replica(actor), to: .replica(actor),
                                            fact: .local(event, rule(reason, by: actor, ranAhead: ranAhead)), cause: cause))
                if case .elected(let ballot) = event, checksInvariants {
                    collector.willObserve(nil, in: monitor)
                    for violation in monitor.observeElection(of: ballot, by: actor) { collector.record(violationEvent(violation)) }
                }
            case .outcome(let reason):
                collector.record(TraceEvent(step: step, tick: tick,
                                            phase: delivered?.message.phase ?? reason.phaseOverride ?? .election,
                                            kind: delivered?.message.kind ?? .note, from: delivered?.from ?? .replica(actor),
                                            to: delivered?.to ?? .replica(actor),
                                            fact: .outcome(delivered?.message, rule(reason, by: actor, ranAhead: ranAhead)),
                                            messageID: queuedApply, cause: cause))
                queuedApply = nil
            case .observed(let observation):
                guard checksInvariants else { continue }
                collector.willObserve(observation, in: monitor)
                let found = monitor.observe(observation, by: actor, state: replicas[actor.number - 1], majority: config.majority)
                for violation in found { collector.record(violationEvent(violation)) }
            case .queueApply:
                queuedApply = network.enqueue(.apply(actor), step: step)
            }
        }
    }

    /// The rule `reason` applied by `actor`, its clock `ranAhead` ticks ahead; a cleanup wait also names who
    /// is down now, and a count of silent ticks that began when the timing changed says so.
    private func rule(_ reason: Reason, by actor: ReplicaID, ranAhead: Int = 0) -> Rule {
        guard case .cleanupWaits(_, let missing) = reason else {
            let countedSinceRetiming = Self.silenceCounted(by: reason).map { tick + ranAhead - $0 == retimedAt } ?? false
            return Rule(reason: reason, by: actor, down: [], ranAhead: ranAhead,
                        retimedAt: countedSinceRetiming ? retimedAt : nil)
        }
        return Rule(reason: reason, by: actor, down: missing.filter { !isAlive($0) }, ranAhead: ranAhead, retimedAt: nil)
    }

    /// The ticks of silence `reason` counts, for the rules that count them: a follower's timeout, a voter's
    /// answer by its leader's silence, a leader's lost majority.
    private static func silenceCounted(by reason: Reason) -> Int? {
        switch reason {
        case .timedOut(let ticks), .lostMajority(_, let ticks, _),
             .grantsPreVote(_, .silent(_, let ticks)), .grantsRetryPreVote(_, .silent(_, let ticks)),
             .grantsAgainstRule(_, _, .followsLeader(_, _, let ticks, _)),
             .refusesPreVote(_, .followsLeader(_, _, let ticks, _)), .refuses(_, .followsLeader(_, _, let ticks, _)):
            ticks
        default:
            nil
        }
    }

    // MARK: - The client

    /// The client sends the transaction to the live replica leading with the highest ballot, or, with
    /// none, to the replica it last knew as leader.
    private mutating func submit<C: StepCollector>(_ redo: [RedoRecord], into collector: inout C) {
        let (number, target, id, route) = sendTransaction(redo)
        collector.record(TraceEvent(step: step, tick: tick, phase: .transaction, kind: .transaction, from: .client,
                                    to: .replica(target),
                                    fact: .clientSends(.transaction(Transaction(id: number, redo: redo)), transaction: number,
                                                       to: target, route: route),
                                    messageID: id))
    }

    private mutating func clientReceives<C: StepCollector>(_ envelope: Envelope, id: Int, into collector: inout C) {
        guard case .redirect(let transaction, let leader) = envelope.message else { return }
        let attempts = client.redirects[transaction.id, default: 0] + 1
        client.redirects[transaction.id] = attempts
        forgetSettledRedirects()
        guard let leader, attempts <= Client.maxResends else {
            let copyUnderWay = network.carriesTransaction(transaction.id)
            collector.record(TraceEvent(step: step, tick: tick, phase: .transaction, kind: .redirect, from: envelope.from,
                                        to: .client,
                                        fact: .clientGivesUp(redirect: envelope.message, transaction: transaction.id,
                                                             leaderKnown: leader != nil, attempts: attempts,
                                                             copyUnderWay: copyUnderWay),
                                        cause: id))
            return
        }
        client.lastKnownLeader = leader
        let retry = Envelope(from: .client, to: .replica(leader), message: .transaction(transaction))
        let retryID = network.enqueue(.message(retry), step: step)
        collector.record(TraceEvent(step: step, tick: tick, phase: .transaction, kind: .transaction, from: .client,
                                    to: .replica(leader),
                                    fact: .clientResends(retry.message, transaction: transaction.id, to: leader,
                                                         redirectedBy: envelope.from),
                                    messageID: retryID, cause: id))
    }

    // MARK: - Events

    private func violationEvent(_ v: Violation) -> TraceEvent {
        let who = v.replicas.first.map(Endpoint.replica) ?? .monitor
        return TraceEvent(step: step, tick: tick, phase: .invariant, kind: .violation, from: who, to: who, fact: .violated(v))
    }

    private func faultEvent(_ kind: EventKind, _ endpoints: (Endpoint, Endpoint), _ fact: TraceFact,
                            messageID: Int? = nil, cause: Int? = nil) -> TraceEvent {
        TraceEvent(step: step, tick: tick, phase: .fault, kind: kind, from: endpoints.0, to: endpoints.1,
                   fact: fact, messageID: messageID, cause: cause)
    }
}
