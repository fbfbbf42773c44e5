import PaxosCore
import PaxosSimulation

/// The transition system the checker explores: the steps enabled in a state, and the state each leads to.
/// Every step goes through the same core and simulation as the REPL.
struct Explorer: Sendable {
    let configuration: CheckerConfiguration
    /// Bit k-1 set: nk may stand for election.
    let candidateMask: UInt64
    let timeouts: Bool
    let timeBudget: Int
    /// Whether a leader could step down within the time budget (see ``Replica/withoutQuorumWatch()``):
    /// only then do the states keep its watch on its majority apart.
    let watchesQuorum: Bool
    let discardsDeadLetters: Bool
    let discardsIgnoredMessages: Bool
    /// The drops a run may take: none with ``CheckerConfiguration/Reductions/dropsAsDelays``.
    let dropBudget: Int
    /// The renamings a state is counted once for, the identity first; just the identity without symmetry.
    let renamings: [ReplicaPermutation]

    init(_ configuration: CheckerConfiguration, start: Simulation) {
        self.configuration = configuration
        var mask: UInt64 = 0
        for id in configuration.candidates ?? (1...configuration.replicas).map(ReplicaID.init) {
            mask |= 1 << UInt64(id.number - 1)
        }
        candidateMask = mask
        switch configuration.time {
        case .ticks(let n): (timeouts, timeBudget) = (false, n)
        case .timeouts(let n): (timeouts, timeBudget) = (true, n)
        }
        let stepDownTicks = configuration.electionTimeoutTicks.saturatingAdding(configuration.heartbeatIntervalTicks)
        watchesQuorum = !timeouts && timeBudget >= stepDownTicks
        let reductions = configuration.effectiveReductions
        discardsDeadLetters = reductions.contains(.deadLetters)
        discardsIgnoredMessages = reductions.contains(.ignoredMessages)
        dropBudget = reductions.contains(.dropsAsDelays) ? 0 : configuration.drops
        renamings = reductions.contains(.symmetry)
            ? SymmetryAnalysis.renamings(in: configuration, from: start)
            : [ReplicaPermutation.identity(count: configuration.replicas)]
    }

    func node(from simulation: Simulation) -> Node {
        var digests = ReplicaDigests(count: simulation.replicas.count)
        for index in simulation.replicas.indices { digests[index] = simulation.replicaDigest(at: index, quorumWatch: watchesQuorum) }
        let items = simulation.inFlight.map { Simulation.digest(of: $0.item) }
        let history = simulation.historyDigest()
        let concrete = Node.fingerprint(digests, items: Simulation.multisetDigest(items), history, Used())
        let renamed: [RenamedDigests] = renamings.count > 1 ? renamings.map { permutation in
            var replicas = ReplicaDigests(count: simulation.replicas.count)
            for k in simulation.replicas.indices {
                replicas[permutation.images[k] - 1] = simulation.renamedReplicaDigest(at: k, by: permutation)
            }
            return RenamedDigests(replicas: replicas,
                                  items: simulation.inFlight.map { Simulation.renamedDigest(of: $0.item, by: permutation) },
                                  history: simulation.renamedHistoryDigest(by: permutation))
        } : []
        return Node(sim: simulation, used: Used(), replicaDigests: digests, itemDigests: items, history: history,
                    renamed: renamed, fingerprint: canonicalFingerprint(renamed, used: Used(), concrete: concrete),
                    concrete: concrete)
    }

    /// The fingerprint a state counts under: its own without symmetry, else the least over its renamings
    /// (so a state and its renamings share one). The renamed digests leave the timers out, which
    /// symmetry's conditions allow.
    func canonicalFingerprint(_ renamed: [RenamedDigests], used: Used, concrete: UInt64) -> UInt64 {
        guard renamings.count > 1 else { return concrete }
        var least = UInt64.max
        for (permutation, digests) in zip(renamings, renamed) {
            least = min(least, Node.fingerprint(digests.replicas, items: Simulation.multisetDigest(digests.items),
                                                digests.history, used.renamed(by: permutation)))
        }
        return least
    }

    // MARK: - Enabled steps

    /// The steps enabled in `node`, in a fixed order. Of several copies of one message only the first is
    /// offered: delivering (or dropping) either copy leads to the same state.
    func transitions(of node: Node) -> [Transition] {
        let c = configuration
        var result: [Transition] = []
        result.reserveCapacity(node.itemDigests.count * 2 + c.replicas + 2)
        for (index, flight) in node.sim.inFlight.enumerated() {
            let digest = node.itemDigests[index]
            if index > 0, node.itemDigests[..<index].contains(digest) { continue }
            result.append(Transition(kind: .deliver, argument: flight.id, item: digest))
            guard case .message = flight.item else { continue }
            if Int(node.used.drops) < dropBudget {
                result.append(Transition(kind: .drop, argument: flight.id, item: digest))
            }
            if Int(node.used.duplicates) < c.duplicates {
                result.append(Transition(kind: .duplicate, argument: flight.id, item: digest))
            }
        }
        if Int(node.used.time) < timeBudget {
            if timeouts {
                // A candidate's timer may fire; so may a replica's that may not stand but still counts a leader
                // as its own: once it fired, it no longer does (leader stickiness) and grants a pre-vote. The
                // timer of a replica that may not stand and follows nobody changes nothing that matters: its
                // pre-vote binds nobody and it can never stand, so the search leaves it out. Under suspicion
                // leader-down, a timer fires only at a replica whose leader is down or that follows none.
                for number in 1...c.replicas {
                    let id = ReplicaID(number)
                    let leader = node.sim.replica(id).knownLeader
                    guard candidateMask & (1 << UInt64(number - 1)) != 0 || leader != nil else { continue }
                    if c.suspicion == .leaderDown, let leader, node.sim.isAlive(leader) { continue }
                    if node.sim.canTimeOut(id) { result.append(Transition(kind: .timeout, argument: number)) }
                }
            } else {
                result.append(Transition(kind: .tick, argument: 0))
            }
        }
        for number in 1...c.replicas {
            if node.sim.alive[number - 1] {
                if Int(node.used.crashes) < c.crashes { result.append(Transition(kind: .crash, argument: number)) }
            } else if Int(node.used.restarts) < c.restarts {
                result.append(Transition(kind: .restart, argument: number))
            }
        }
        if Int(node.used.submits) < c.transactions {
            result.append(Transition(kind: .submit, argument: c.committedFirst + Int(node.used.submits) + 1))
        }
        return result
    }

    // MARK: - Successors

    /// The state `transition` leads to, with what the step touched; nil when the step would exceed the
    /// election bound (a candidacy beyond it, or by a replica that may not stand).
    func successor(of node: Node, by transition: Transition) -> Successor? {
        var sim = node.sim
        var used = node.used
        let action: Action
        switch transition.kind {
        case .deliver:
            action = .deliver(transition.argument)
        case .drop:
            action = .drop(transition.argument)
            used.drops += 1
        case .duplicate:
            action = .duplicate(transition.argument)
            used.duplicates += 1
        case .tick:
            action = .tick
            used.time += 1
        case .timeout:
            action = .timeout(ReplicaID(transition.argument))
            used.time += 1
        case .crash:
            action = .crash(ReplicaID(transition.argument))
            used.crashes += 1
        case .restart:
            action = .restart(ReplicaID(transition.argument))
            used.restarts += 1
        case .submit:
            action = .submit(Transition.redo(ofTransaction: transition.argument))
            used.submits += 1
        }
        // The transitions are built from the state, so each can be done; one that cannot is no successor.
        guard var summary = try? sim.performQuietly(action) else { return nil }

        // Messages to replicas down for good: once no restart is left, nothing can receive them.
        if discardsDeadLetters, Int(used.restarts) >= configuration.restarts, sim.alive.contains(false) {
            let firstNew = node.sim.nextMessageIdentifier
            for k in sim.alive.indices where !sim.alive[k] {
                // A message sent in this very step never was deliverable. One sent before was: to take it is to
                // touch the dead replica's steps (unless this step is that replica's own), so it commutes with
                // nothing, to be safe.
                let older = sim.discardMessages(to: ReplicaID(k + 1), countingBelow: firstNew)
                if older > 0, summary.actor != k + 1 { summary.actor = StepSummary.everyone }
            }
        }

        // Which replicas may have changed, and whether any stood for election (promised a new ballot of its own).
        var budgets = transition.budgets
        var replicaDigests = node.replicaDigests
        let touched: Range<Int>
        if summary.actor >= 1 {
            touched = (summary.actor - 1)..<summary.actor
        } else if summary.actor == StepSummary.everyone {
            touched = sim.replicas.indices
        } else {
            touched = 0..<0
        }
        for k in touched {
            let before = node.sim.replicas[k].promised, after = sim.replicas[k].promised
            if after != before, after.owner == k + 1 {
                guard candidateMask & (1 << UInt64(k)) != 0, Int(used.elections) < configuration.elections else { return nil }
                if let perReplica = configuration.electionsPerReplica, used.stands(of: k) >= perReplica { return nil }
                used.elections += 1
                used.standsPerReplica += 1 << UInt64(4 * k)
                budgets.insert(.elections)
            }
            replicaDigests[k] = sim.replicaDigest(at: k, quorumWatch: watchesQuorum)
        }

        // Messages that turned stale: only the stepping replica's own can have, and what it just sent.
        if discardsIgnoredMessages {
            sim.discardIgnoredMessages(to: (touched.lowerBound + 1)..<(touched.upperBound + 1),
                                       sentFrom: node.sim.nextMessageIdentifier)
        }

        let history = summary.touchedHistory || summary.actor == StepSummary.client || summary.actor == StepSummary.everyone
            ? sim.historyDigest() : node.history
        var items: [UInt64] = []
        let itemsDigest = Simulation.multisetDigest(itemDigests(of: sim, after: node, into: &items, collect: false))
        let concrete = Node.fingerprint(replicaDigests, items: itemsDigest, history, used)
        var renamed: [RenamedDigests] = []
        if renamings.count > 1 {
            let historyChanged = history != node.history
            renamed.reserveCapacity(renamings.count)
            for (index, permutation) in renamings.enumerated() {
                var digests = node.renamed[index]
                for k in touched {
                    digests.replicas[permutation.images[k] - 1] = sim.renamedReplicaDigest(at: k, by: permutation)
                }
                if historyChanged { digests.history = sim.renamedHistoryDigest(by: permutation) }
                var items: [UInt64] = []
                items.reserveCapacity(sim.inFlight.count)
                Self.forEachItemDigest(of: sim, after: node.sim, reusing: node.renamed[index].items,
                                       digest: { Simulation.renamedDigest(of: $0, by: permutation) }) { items.append($0) }
                digests.items = items
                renamed.append(digests)
            }
        }
        // Under suspicion leader-down, a restart disables the timers of the replicas that follow the restarted
        // one: it commutes with nothing. (A crash only enables timers, never disables a step of another
        // replica, and commutes with theirs: it stays its replica's own step.)
        if configuration.suspicion == .leaderDown, transition.kind == .restart {
            summary.actor = StepSummary.everyone
        }
        // A drop or a duplicate touches only its message, but that message sits in its receiver's inbox,
        // which the receiver's own steps may empty (dead letters, ignored messages): it commutes with them
        // only as a step of the receiver would.
        if transition.kind == .drop || transition.kind == .duplicate,
           case .message(let envelope)? = node.sim.inFlight(transition.argument)?.item,
           let receiver = envelope.to.replica {
            summary.actor = receiver.number
        }
        return Successor(sim: sim, used: used, replicaDigests: replicaDigests, history: history, renamed: renamed,
                         fingerprint: canonicalFingerprint(renamed, used: used, concrete: concrete), concrete: concrete,
                         entry: SleepEntry(identity: transition.identity, item: transition.item, summary: summary,
                                           budgets: budgets))
    }

    /// The state, to keep: `successor` is new.
    func node(_ successor: Successor, after parent: Node) -> Node {
        var items: [UInt64] = []
        _ = itemDigests(of: successor.sim, after: parent, into: &items, collect: true)
        return Node(sim: successor.sim, used: successor.used, replicaDigests: successor.replicaDigests,
                    itemDigests: items, history: successor.history, renamed: successor.renamed,
                    fingerprint: successor.fingerprint,
                    concrete: successor.concrete)
    }

    /// The item digests of `sim.inFlight` (collected into `digests` when asked) and the multiset digest
    /// inputs, reusing the parent's digests for the items it already had (ids only grow, and `inFlight`
    /// stays in id order).
    private func itemDigests(of sim: Simulation, after parent: Node, into digests: inout [UInt64], collect: Bool)
        -> ItemMultiset {
        if collect { digests.reserveCapacity(sim.inFlight.count) }
        var multiset = ItemMultiset()
        Self.forEachItemDigest(of: sim, after: parent.sim, reusing: parent.itemDigests, digest: Simulation.digest(of:)) {
            multiset.add($0)
            if collect { digests.append($0) }
        }
        return multiset
    }

    /// Calls `body` with the digest of each item of `sim.inFlight`, in order: from `parentDigests` (aligned
    /// with `parent.inFlight`) for the items the parent already had (ids only grow, and `inFlight` stays in
    /// id order), from `digest` for the others.
    static func forEachItemDigest(of sim: Simulation, after parent: Simulation, reusing parentDigests: [UInt64],
                                  digest: (PendingItem) -> UInt64, _ body: (UInt64) -> Void) {
        let old = parent.inFlight
        let firstNew = parent.nextMessageIdentifier
        var j = 0
        for flight in sim.inFlight {
            var reused: UInt64?
            if flight.id < firstNew {
                while j < old.count, old[j].id < flight.id { j += 1 }
                if j < old.count, old[j].id == flight.id {
                    reused = parentDigests[j]
                    j += 1
                }
            }
            body(reused ?? digest(flight.item))
        }
    }
}
