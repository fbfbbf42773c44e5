import PaxosCore

/// Which replicas a search could count once, swapping them, without changing any verdict.
///
/// Swapping replicas is exact only if the protocol never tells them apart by id. The core does, in four places:
/// 1. ballots with equal rounds are ordered by their owner's id, so two replicas that stood in the same
///    round do not behave alike (the loser accepts or rejects the winner's proposals depending on the ids);
///    exact only when at most one candidacy happens (``CheckerConfiguration/elections`` ≤ 1);
/// 2. `priority` ranks replicas by priority, ties going to the lower id: never symmetric;
/// 3. under global ticks every built-in policy gives each replica its own timeout (`priority` and
///    `longest-term` stagger by rank, `randomized` draws from a generator seeded with the id);
///    abstract timeouts (``CheckerConfiguration/TimeModel/timeouts(_:)``) make the timers irrelevant;
/// 4. the client tries n1 when it knows no leader, and the initial leader is special.
/// What is left (abstract timeouts, `longest-term` or `randomized`, at most one election) makes the
/// followers other than n1 and the initial leader interchangeable. Applying that needs the core to relabel
/// a replica (its ballots, known leader, vote and ack sets); `Replica` keeps those internal, so the checker
/// reports the symmetry and does not apply it. See the report for the hook it needs.
public enum SymmetryAnalysis {
    /// The classes of interchangeable replicas (each of two or more), and why there are no more.
    public static func interchangeable(in c: CheckerConfiguration) -> (classes: [[ReplicaID]], reasons: [String]) {
        var reasons: [String] = []
        if c.election == PriorityElection.name {
            reasons.append("priority ranks every replica apart (ties go to the lower id)")
        } else if ![LongestTermElection.name, RandomizedElection.name].contains(c.election) {
            reasons.append("the \(c.election) policy may read replica ids")
        }
        if c.commit != SyncCommit.name, c.commit != AsyncCommit.name {
            reasons.append("the \(c.commit) policy may read replica ids")
        }
        if case .ticks = c.time, c.time.budget > 0 {
            reasons.append("under global ticks each replica has its own election timeout")
        }
        if c.elections > 1 {
            reasons.append("two candidacies may share a round, and equal rounds are ordered by replica id")
        }
        if c.priorities != nil { reasons.append("custom priorities") }
        if let candidates = c.candidates, candidates.count < c.replicas {
            reasons.append("only some replicas may stand")
        }
        guard reasons.isEmpty else { return ([], reasons) }
        let special: Set<Int> = [1, c.initialLeader?.number ?? 1]
        let others = (1...c.replicas).filter { !special.contains($0) }.map(ReplicaID.init)
        return (others.count >= 2 ? [others] : [], others.count >= 2 ? [] : ["fewer than two replicas are alike"])
    }

    /// One line for the report.
    public static func note(for c: CheckerConfiguration) -> String {
        let (classes, reasons) = interchangeable(in: c)
        if classes.isEmpty {
            return "symmetry: none applies exactly here (\(reasons.joined(separator: "; ")))"
        }
        let list = classes.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | ")
        return "symmetry: \(list) are interchangeable, not applied: the core has no hook to relabel a replica"
    }
}
