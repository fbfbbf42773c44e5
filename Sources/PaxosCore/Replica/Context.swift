// How a replica hands over what it does while it handles one input: the effects, or an outbox that takes
// just its sends and queued applies.

/// What a replica asks of the world while it handles one input, handed over as it happens: see
/// ``Replica/handle(_:policies:config:into:outbox:)``. A class, so that the caller's side of it can change
/// (put messages on its network) while the replica changes itself.
public protocol ReplicaOutbox: AnyObject {
    /// A message to put on the network: the envelope of a ``Effect/send(_:_:)``, handed over (not copied).
    func send(_ envelope: consuming Envelope)
    /// One apply is now due at this replica: a ``Effect/queueApply``.
    func queueApply()
}

/// The policies and config of one call, and where its effects go.
///
/// Every effect goes through the methods below, in order. By default they collect the effects in
/// `effects`. With an `outbox` (``Replica/handle(_:policies:config:into:outbox:)``) sends and queued applies
/// go to it as they happen and nothing else is kept: reasons, events and observations are autoclosures,
/// built only when they are collected.
struct Context {
    /// The call's policies and config.
    let policies: Policies
    let config: ClusterConfig
    /// The effects so far, in order. ``Replica/handle(_:policies:config:into:outbox:)`` lends it the caller's buffer.
    var effects: [Effect] = []
    let forward: (any ReplicaOutbox)?
    /// How many effects this call produced so far, collected or not.
    private(set) var produced = 0

    private init(_ policies: Policies, _ config: ClusterConfig, _ outbox: (any ReplicaOutbox)?) {
        self.policies = policies
        self.config = config
        forward = outbox
    }

    /// Runs `body` with a context for `policies` and `config` (and `outbox`, if any).
    static func with<Result>(_ policies: Policies, _ config: ClusterConfig, outbox: (any ReplicaOutbox)? = nil,
                             _ body: (inout Context) -> Result) -> Result {
        var context = Context(policies, config, outbox)
        return body(&context)
    }

    var breaks: ProtocolBreaks { config.breaks }

    mutating func send(_ message: Message, from: ReplicaID, to: Endpoint, _ reason: @autoclosure () -> Reason) {
        produced += 1
        let envelope = Envelope(from: .replica(from), to: to, message: message)
        if let forward {
            forward.send(envelope)
        } else {
            effects.append(.send(envelope, reason()))
        }
    }

    /// Sends `message` from `from` to every replica numbered in `numbers` but `from`, in order, all for one
    /// reason (built once, when collected).
    mutating func sendToEach(_ message: Message, from: ReplicaID, numbers: Range<Int>, _ reason: @autoclosure () -> Reason) {
        if let forward {
            for number in numbers where number != from.number {
                produced += 1
                forward.send(Envelope(from: .replica(from), to: .replica(ReplicaID(number)), message: message))
            }
            return
        }
        var built: Reason?
        for number in numbers where number != from.number {
            produced += 1
            let why = built ?? reason()
            built = why
            effects.append(.send(Envelope(from: .replica(from), to: .replica(ReplicaID(number)), message: message), why))
        }
    }

    mutating func outcome(_ reason: @autoclosure () -> Reason) {
        produced += 1
        if case .none = forward { effects.append(.outcome(reason())) }
    }

    mutating func local(_ event: @autoclosure () -> LocalEvent, _ reason: @autoclosure () -> Reason) {
        produced += 1
        if case .none = forward { effects.append(.local(event(), reason())) }
    }

    mutating func observe(_ observation: @autoclosure () -> Observation) {
        produced += 1
        if case .none = forward { effects.append(.observed(observation())) }
    }

    mutating func queueApply() {
        produced += 1
        if let forward {
            forward.queueApply()
        } else {
            effects.append(.queueApply)
        }
    }
}
