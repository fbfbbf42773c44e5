import PaxosCore
import PaxosSimulation

/// Which replicas the search may count once, renaming them, without changing any verdict, and which
/// renamings that gives.
///
/// Renaming replicas is exact only where the protocol never tells them apart by id. The core does in four
/// places, so a class of interchangeable replicas needs:
/// 1. at most one candidacy (``CheckerConfiguration/elections`` ≤ 1): ballots of equal rounds are ordered
///    by their owner's id, so two replicas that stood in one round do not behave alike;
/// 2. an election policy that reads no ids (`longest-term`, `randomized`; `priority` ranks every replica
///    apart) and a built-in commit policy;
/// 3. abstract time (``CheckerConfiguration/TimeModel/timeouts(_:)``) or none: under global ticks each
///    replica has its own timeout (`longest-term` staggers by rank, `randomized` draws from a generator
///    seeded with the id); under abstract time a timer fires whenever the search says, so the renamed
///    states leave the timers out (they matter only to a commit policy that applies after ticks);
/// 4. replicas that are not special: the client tries n1 when it knows no leader, the initial leader
///    holds ballot 1, and only replicas that may all stand, or all not stand, are alike.
/// A partitioned or cut network (`explore` from a session) has no symmetry to use either.
package enum SymmetryAnalysis {
    /// The classes of interchangeable replicas (each of two or more), and why there are no more.
    package static func interchangeable(in c: CheckerConfiguration) -> (classes: [[ReplicaID]], reasons: [String]) {
        var reasons: [String] = []
        let election = c.registry.election(named: c.election)
        if election is PriorityElection {
            reasons.append("priority ranks every replica apart (ties go to the lower id)")
        } else if !(election is LongestTermElection || election is RandomizedElection) {
            reasons.append("the \(c.election) policy may read replica ids")
        }
        if !hasBuiltInCommit(c) {
            reasons.append("the \(c.commit) policy may read replica ids")
        }
        if case .ticks = c.time, c.time.budget > 0 {
            reasons.append("under global ticks each replica has its own election timeout")
        }
        if c.elections > 1 {
            reasons.append("two candidacies may share a round, and equal rounds are ordered by replica id")
        }
        guard reasons.isEmpty else { return ([], reasons) }
        let special: Set<Int> = [1, c.initialLeader?.number ?? 1]
        let standing = Set((c.candidates ?? (1...c.replicas).map(ReplicaID.init)).map(\.number))
        let others = (1...c.replicas).filter { !special.contains($0) }
        let classes = [others.filter { standing.contains($0) }, others.filter { !standing.contains($0) }]
            .filter { $0.count >= 2 }
            .map { $0.map(ReplicaID.init) }
        return (classes, classes.isEmpty ? ["fewer than two replicas are alike (n1, the initial leader, and candidates against the others)"] : [])
    }

    /// The most renamings the search uses: each state's fingerprint is the least over all of them, so a
    /// state costs that many renamed digests (24: four interchangeable replicas).
    package static let renamingLimit = 24

    /// Every renaming the search may use, the identity first: the permutations within each class. Just the
    /// identity when none applies, when `start` has a partition or a cut, or when there would be more than
    /// ``renamingLimit``.
    package static func renamings(in c: CheckerConfiguration, from start: Simulation) -> [ReplicaPermutation] {
        var result = [ReplicaPermutation.identity(count: c.replicas)]
        let classes = interchangeable(in: c).classes
        guard start.isWholeNetwork, renamingCount(of: classes) <= renamingLimit else { return result }
        for members in classes {
            result = result.flatMap { outer in
                ReplicaPermutation.all(of: members, replicaCount: c.replicas).map { inner in
                    ReplicaPermutation(images: outer.images.map { inner.images[$0 - 1] }) ?? outer
                }
            }
        }
        return result
    }

    /// The product of the classes' factorials.
    static func renamingCount(of classes: [[ReplicaID]]) -> Int {
        classes.reduce(1) { count, members in (1...members.count).reduce(count, *) }
    }

    static func hasBuiltInCommit(_ c: CheckerConfiguration) -> Bool {
        let commit = c.registry.commit(named: c.commit)
        return commit is SyncCommit || commit is AsyncCommit
    }

    /// One line for the report.
    package static func note(for c: CheckerConfiguration, from start: Simulation) -> String {
        let (classes, reasons) = interchangeable(in: c)
        if classes.isEmpty {
            return "symmetry: none applies exactly here (\(reasons.joined(separator: "; ")))"
        }
        guard start.isWholeNetwork else { return "symmetry: none applies (the network is partitioned or cut)" }
        let list = classes.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | ")
        let count = renamingCount(of: classes)
        guard count <= renamingLimit else {
            return "symmetry: \(list) are interchangeable, not applied: \(count) renamings would cost each state more than they save (at most \(renamingLimit))"
        }
        return "symmetry: \(list) are interchangeable; each state counts once for its \(count) renamings"
    }
}
