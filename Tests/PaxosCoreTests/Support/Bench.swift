@testable import PaxosCore

/// Core replicas on a bench, with no network: a test hands each replica an input and reads the effects
/// it returns. For the phase-rule unit tests, which set up a state, give one input, and check the output.
struct Bench {
    var replicas: [Replica]
    var policies: Policies
    var config: ClusterConfig

    /// `count` fresh replicas; with `leader`, `nK` leads ballot 1 and the others follow it.
    init(_ count: Int = 3, leader: Int? = 1, policies: Policies = Policies(),
         configure: (inout ClusterConfig) -> Void = { _ in }) {
        var config = ClusterConfig(replicaCount: count)
        configure(&config)
        self.config = config
        self.policies = policies
        replicas = config.replicas.map { Replica(id: $0, seed: 1, policies: policies, config: config) }
        if let leader {
            let ballot = Ballot(round: 1, owner: ReplicaID(leader))
            for k in replicas.indices {
                if k + 1 == leader {
                    replicas[k].startAsLeader(ballot: ballot, config: config)
                } else {
                    replicas[k].startAsFollower(of: ballot)
                }
            }
        }
    }

    subscript(number: Int) -> Replica {
        get { replicas[number - 1] }
        set { replicas[number - 1] = newValue }
    }

    /// Hands `input` to replica `nK` and returns its effects.
    @discardableResult
    mutating func handle(_ number: Int, _ input: Input) -> [Effect] {
        var effects: [Effect] = []
        replicas[number - 1].handle(input, policies: policies, config: config, into: &effects)
        return effects
    }

    /// Delivers `envelope` to its receiver (which must be a replica) and returns the receiver's effects.
    @discardableResult
    mutating func deliver(_ envelope: Envelope) -> [Effect] {
        guard let to = envelope.to.replica else { return [] }
        return handle(to.number, .receive(envelope))
    }

    /// Delivers `message` from `from` (a replica number, or nil for the client) to `to`.
    @discardableResult
    mutating func deliver(_ message: Message, from: Int?, to: Int) -> [Effect] {
        let sender: Endpoint = from.map { .replica(ReplicaID($0)) } ?? .client
        return deliver(Envelope(from: sender, to: .replica(ReplicaID(to)), message: message))
    }

    /// Ticks replica `nK` `count` times and returns every effect, in order.
    @discardableResult
    mutating func tick(_ number: Int, _ count: Int = 1) -> [Effect] {
        (0..<count).flatMap { _ in handle(number, .tick) }
    }

    /// Ticks `nK` `count` times and, when it asks for a pre-vote, lets the others answer: their leader has
    /// been as silent to them (their timers are set to an election timeout), so only the vote rules and
    /// the policy decide. Their answers are delivered to `nK`. Returns `nK`'s effects, in order: with a
    /// majority of yeses, its candidacy.
    @discardableResult
    mutating func stand(_ number: Int, _ count: Int = 1) -> [Effect] {
        var effects = tick(number, count)
        let asks = effects.sent("pre_vote")
        for k in replicas.indices where k != number - 1 {
            replicas[k].ticksWithoutLeader = max(replicas[k].ticksWithoutLeader, config.electionTimeoutTicks)
        }
        for ask in asks {
            for answer in deliver(ask).sent { effects += deliver(answer) }
        }
        return effects
    }
}

/// Shorthands for building the protocol's values in tests.
func ballot(_ round: Int, _ owner: Int) -> Ballot { Ballot(round: round, owner: ReplicaID(owner)) }
func n(_ number: Int) -> ReplicaID { ReplicaID(number) }
func redo(_ pairs: String...) -> [RedoRecord] { pairs.compactMap { RedoRecord(parsing: $0) } }
func transaction(_ id: Int, _ pairs: String...) -> Message {
    .transaction(Transaction(id: id, redo: pairs.compactMap { RedoRecord(parsing: $0) }))
}
func propose(_ index: Int, _ ballot: Ballot, _ pairs: String...) -> Message {
    .propose(Proposal(index: index, ballot: ballot, redo: pairs.compactMap { RedoRecord(parsing: $0) }, transactions: [index]))
}
func accept(_ index: Int, _ ballot: Ballot) -> Message {
    .vote(Vote(index: index, ballot: ballot, rejection: nil))
}
