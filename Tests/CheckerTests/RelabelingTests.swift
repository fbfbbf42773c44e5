import Testing
@testable import PaxosCore
@testable import PaxosSimulation
@testable import PaxosChecker

/// The model checker's symmetry reduction counts a world and its renamings once. That is exact only if
/// renaming commutes with every step: doing a step and then renaming gives the world that the renamed
/// step gives from the renamed world. These tests drive two worlds side by side, the second with every
/// action renamed (n2 and n3 swapped), and compare them after each step.
@Suite struct RelabelingTests {
    static let swap = ReplicaPermutation(images: [1, 3, 2])

    @Test func permutations() throws {
        let swap = try #require(Self.swap)
        #expect(swap(ReplicaID(2)) == ReplicaID(3))
        #expect(swap(Ballot(round: 2, owner: ReplicaID(3))) == Ballot(round: 2, owner: ReplicaID(2)))
        #expect(swap(Ballot.zero) == .zero)
        #expect(swap(Endpoint.client) == .client)
        #expect(swap.permuting(["a", "b", "c"]) == ["a", "c", "b"])
        #expect(swap.description == "(n2 n3)")
        #expect(ReplicaPermutation(images: [1, 1, 2]) == nil)
        #expect(ReplicaPermutation.all(of: [ReplicaID(2), ReplicaID(3), ReplicaID(4)], replicaCount: 4).count == 6)
        #expect(Set(ReplicaPermutation.all(of: [ReplicaID(2), ReplicaID(3), ReplicaID(4)], replicaCount: 4)).count == 6)
    }

    /// A leader's bookkeeping moves with the renaming: its id and ballot, who accepted what, who acked what.
    @Test func aLeaderRenamed() throws {
        let swap = try #require(Self.swap)
        var sim = Simulation(replicaCount: 3, seed: 1, policies: Policies(election: LongestTermElection()), leader: nil)
        _ = try sim.perform(.timeout(ReplicaID(2)))
        while let next = sim.inFlight.first { _ = try sim.perform(.deliver(next.id)) }
        _ = try sim.perform(.submit([RedoRecord(key: "x", value: "1")]))
        _ = try sim.perform(.deliver(try #require(sim.inFlight.first).id))
        let leader = sim.replica(ReplicaID(2))
        #expect(leader.role == .leader)
        let renamed = leader.relabeled(by: swap)
        #expect(renamed.id == ReplicaID(3))
        #expect(renamed.leaderBallot == Ballot(round: 1, owner: ReplicaID(3)))
        #expect(renamed.log[1]?.ballot == Ballot(round: 1, owner: ReplicaID(3)))
        #expect(renamed.leadership?.accepts[1] == ReplicaSet(ReplicaID(3)))
        #expect(renamed.leadership?.acked == leader.leadership.map { [$0.acked[0], $0.acked[2], $0.acked[1]] })
        #expect(renamed.relabeled(by: swap) == leader, "renaming twice by a swap gives the replica back")
    }

    /// Seeded random runs: deliveries in any order, drops, duplicates, one election, crashes, restarts and
    /// submits. After every step, world B (the renamed actions) is world A renamed, digest for digest.
    @Test(arguments: [LongestTermElection.name, RandomizedElection.name])
    func renamingCommutesWithEveryStep(election: String) throws {
        let swap = try #require(Self.swap)
        let identity = ReplicaPermutation.identity(count: 3)
        let registry = PolicyRegistry.builtIn
        var runsWithElection = 0, runsWithCommit = 0
        for seed in UInt64(1)...100 {
            let policies = Policies(election: try #require(registry.election(named: election)),
                                    commit: seed % 2 == 0 ? SyncCommit() : AsyncCommit())
            var config = ClusterConfig(replicaCount: 3)
            config.recovery = seed % 5 != 0
            var a = Simulation(replicaCount: 3, seed: seed, policies: policies, config: config, leader: ReplicaID(1))
            var b = a
            var random = SplitMix64(seed: seed)
            for step in 0..<120 {
                let replica = ReplicaID(1 + random.next(below: 3))
                let roll = random.next(below: 100)
                let action: Action
                if roll < 70, !a.inFlight.isEmpty {
                    action = .deliver(a.inFlight[random.next(below: a.inFlight.count)].id)
                } else if roll < 74, !a.inFlight.isEmpty {
                    action = .drop(a.inFlight[random.next(below: a.inFlight.count)].id)
                } else if roll < 78, !a.inFlight.isEmpty {
                    action = .duplicate(a.inFlight[random.next(below: a.inFlight.count)].id)
                } else if roll < 88 {
                    // One candidacy at most (ballot 1 is n1's from the start): two in one round are ordered by
                    // id, which is why the checker renames only under this bound.
                    guard a.replicas.allSatisfy({ $0.promised.round <= 1 }) else { continue }
                    action = .timeout(replica)
                } else if roll < 93 {
                    action = a.isAlive(replica) ? .crash(replica) : .restart(replica)
                } else {
                    action = .submit([RedoRecord(key: "x", value: String(step))])
                }
                guard (try? a.check(action)) != nil else { continue }
                let mirrored = try Self.renamed(action, from: a, to: b, by: swap)
                _ = try a.perform(action)
                _ = try b.perform(mirrored)
                let context = "seed \(seed), step \(step), \(action)"
                let left = a.renamedDigests(by: swap), right = b.renamedDigests(by: identity)
                #expect(left.replicas == right.replicas, "\(context): replicas")
                #expect(left.items == right.items, "\(context): in-flight items")
                #expect(left.history == right.history, "\(context): history")
                #expect(a.violations.map(\.invariant) == b.violations.map(\.invariant), "\(context)")
                if left != right { return }
            }
            if a.replicas.contains(where: { $0.promised.round >= 2 }) { runsWithElection += 1 }
            if a.replicas.contains(where: { $0.commitIndex >= 1 }) { runsWithCommit += 1 }
        }
        // The runs did elect and commit: the comparison covered those phases.
        #expect(runsWithElection >= 50, "\(runsWithElection) runs of 100 had an election")
        #expect(runsWithCommit >= 50, "\(runsWithCommit) runs of 100 committed")
    }

    /// `action`, about to be done in world A, as world B must do it: the same replica renamed, or the
    /// in-flight item of B that is A's item renamed.
    static func renamed(_ action: Action, from a: Simulation, to b: Simulation, by swap: ReplicaPermutation) throws -> Action {
        let identity = ReplicaPermutation.identity(count: 3)
        func counterpart(_ id: Int) throws -> Int {
            let inA = try #require(a.inFlight(id)).item.relabeled(by: swap)
            return try #require(b.inFlight.first { $0.item.relabeled(by: identity) == inA }).id
        }
        switch action {
        case .deliver(let id): return .deliver(try counterpart(id))
        case .drop(let id): return .drop(try counterpart(id))
        case .duplicate(let id): return .duplicate(try counterpart(id))
        case .timeout(let r): return .timeout(swap(r))
        case .crash(let r): return .crash(swap(r))
        case .restart(let r): return .restart(swap(r))
        default: return action
        }
    }
}
