import PaxosChecker
import PaxosCore
import PaxosSimulation

extension Session {
    /// Tab completion: candidates for the word being typed, given the line before it. Only what the command
    /// takes there: a live replica to crash, a crashed one to restart, not one a partition or a cut names
    /// already, the replicas of the cluster `cluster N leader` starts.
    package func completions(line: String, word: String) -> [String] {
        let words = line.split(separator: " ").map(String.init)
        let before = line.hasSuffix(" ") || words.isEmpty ? words : Array(words.dropLast())
        let candidates: [String]
        guard let command = before.first else {
            return Help.commandNames.filter { $0.hasPrefix(word) }
        }
        let all = simulation.config.replicas
        let replicas = all.map(\.description)
        let live = all.filter(simulation.isAlive).map(\.description)
        let cuts = simulation.cuts
        switch (command, before.count) {
        case ("election", 1): candidates = registry.elections.map(\.name)
        case ("commit", 1): candidates = registry.commits.map(\.name)
        case ("compare", 1): candidates = registry.elections.map(\.name) + registry.commits.map(\.name)
        case ("compare", 2):
            // The second policy is of the first one's kind: elections are compared with elections.
            let elections = registry.elections.map(\.name), commits = registry.commits.map(\.name)
            candidates = (elections.contains(before[1]) ? elections : commits.contains(before[1]) ? commits : [])
                .filter { $0 != before[1] }
        case ("deliver", 1), ("drop", 1), ("duplicate", 1):
            // An apply event is delivered (or run by apply nK), never dropped or copied.
            let items = command == "deliver" ? simulation.inFlight : simulation.inFlight.filter {
                if case .message = $0.item { true } else { false }
            }
            candidates = items.map { (word.hasPrefix("#") ? "#" : "") + String($0.id) }
        case ("set", 1): candidates = ["batch", "window", "heartbeat", "timeout", "recovery", "break"]
        case ("set", 2) where before[1] == "break": candidates = ProtocolBreak.allCases.map(\.name) + ["off", "list"]
        case ("check", 1): candidates = CheckPreset.allCases.map(\.rawValue) + CheckBudgets.names + [CheckBudgets.suspicionName]
        case ("check", _) where before.last == CheckBudgets.suspicionName:
            candidates = CheckerConfiguration.Suspicion.allCases.map(\.rawValue)
        case ("check", _) where (before.count - (CheckPreset(rawValue: before[1]) == nil ? 0 : 1)) % 2 == 1:
            candidates = CheckBudgets.names + [CheckBudgets.suspicionName]
        case ("set", 2) where before[1] == "recovery": candidates = ["on", "off"]
        case ("quiz", 1), ("web", 1): candidates = ["on", "off"]
        case ("expect", 1): candidates = ["leader", "committed", "applied", "data", "invariants", "converged"]
        case ("expect", 2) where ["leader", "applied", "data"].contains(before[1]): candidates = replicas
        case ("run", 1): candidates = ["for", "until"]
        case ("run", 2) where before[1] == "until": candidates = ["leader", "committed", "applied", "converged", "quiet"]
        case ("run", 3) where before[2] == "applied": candidates = replicas
        case ("view", 1): candidates = ["full", "compact", "phases"]
        case ("view", _) where before.count >= 2 && before[1] == "phases":
            // Phases go by commas or spaces; one named already is not offered again.
            let typed = word.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let named = Set(before.dropFirst(2).flatMap { $0.split(separator: ",").map(String.init) } + typed.dropLast())
            let prefix = typed.dropLast().map { $0 + "," }.joined()
            return Phase.allCases.map(\.rawValue).filter { !named.contains($0) }.map { prefix + $0 }.filter { $0.hasPrefix(word) }
        case ("export", 1): candidates = ExportFormat.allCases.map(\.rawValue)
        case ("help", 1): candidates = Help.commandNames
        case ("cluster", 2): candidates = ["leader"]
        case ("cluster", 3):
            // The replicas of the cluster being started, not of the one there is.
            let count = Int(before[1]).flatMap { (1...Limits.replicaCountMax).contains($0) ? $0 : nil } ?? 0
            candidates = (0..<count).map { ReplicaID($0 + 1).description }
        case ("crash", 1): candidates = live
        case ("timeout", 1):
            // A leader has no election timer.
            candidates = all.filter { simulation.isAlive($0) && simulation.replicas[$0.number - 1].role != .leader }.map(\.description)
        case ("apply", 1):
            // Only a replica with an apply event waiting (commit async).
            candidates = all.filter { id in
                simulation.inFlight.contains { if case .apply(id) = $0.item { true } else { false } }
            }.map(\.description)
        case ("restart", 1): candidates = replicas.filter { !live.contains($0) }
        case ("priority", 1), ("log", 1), ("data", 1): candidates = replicas
        case ("cut", 1):
            // A replica with a link to another still uncut.
            candidates = replicas.filter { from in replicas.contains { to in to != from && !cuts.contains { $0.from.description == from && $0.to.description == to } } }
        case ("cut", 2):
            let from = before[1]
            candidates = replicas.filter { to in to != from && !cuts.contains { $0.from.description == from && $0.to.description == to } }
        case ("uncut", 1): candidates = replicas.filter { from in cuts.contains { $0.from.description == from } }
        case ("uncut", 2):
            let from = before[1]
            candidates = replicas.filter { to in cuts.contains { $0.from.description == from && $0.to.description == to } }
        case ("partition", _):
            // Each replica in one group; a `|` after a group that has a replica, while some are left.
            let named = Set(before.dropFirst().flatMap { $0.split(separator: "|").map(String.init) })
            let left = replicas.filter { !named.contains($0) }
            let groupOpen = before.count > 1 && !(before.last ?? "").hasSuffix("|")
            candidates = left + (groupOpen && !left.isEmpty ? ["|"] : [])
        default: candidates = []
        }
        return candidates.filter { $0.hasPrefix(word) }
    }

    /// The prompt: the step and tick, so a learner sees time move, and the protocol breaks while any is on.
    package var prompt: String {
        let breaks = simulation.config.breaks
        return "paxos[\(simulation.step)|t\(simulation.tick)\(breaks.isEmpty ? "" : " BREAK \(breaks.names)")]> "
    }
}
