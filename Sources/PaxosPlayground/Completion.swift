import PaxosChecker
import PaxosCore
import PaxosSimulation

extension Session {
    /// Tab completion: candidates for the word being typed, given the line before it.
    package func completions(line: String, word: String) -> [String] {
        let words = line.split(separator: " ").map(String.init)
        let before = line.hasSuffix(" ") || words.isEmpty ? words : Array(words.dropLast())
        let candidates: [String]
        guard let command = before.first else {
            return Help.commandNames.filter { $0.hasPrefix(word) }
        }
        let replicas = simulation.config.replicas.map(\.description)
        switch (command, before.count) {
        case ("election", 1): candidates = registry.elections.map(\.name)
        case ("commit", 1): candidates = registry.commits.map(\.name)
        case ("compare", 1): candidates = registry.elections.map(\.name) + registry.commits.map(\.name)
        case ("compare", 2):
            // The second policy is of the first one's kind: elections are compared with elections.
            let elections = registry.elections.map(\.name), commits = registry.commits.map(\.name)
            candidates = (elections.contains(before[1]) ? elections : commits.contains(before[1]) ? commits : [])
                .filter { $0 != before[1] }
        case ("deliver", 1), ("drop", 1), ("duplicate", 1): candidates = simulation.inFlight.map { String($0.id) }
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
        case ("view", 2) where before[1] == "phases":
            let typed = word.split(separator: ",", omittingEmptySubsequences: false)
            let prefix = typed.dropLast().map { $0 + "," }.joined()
            return Phase.allCases.map { prefix + $0.rawValue }.filter { $0.hasPrefix(word) }
        case ("export", 1): candidates = ExportFormat.allCases.map(\.rawValue)
        case ("help", 1): candidates = Help.commandNames
        case ("cluster", 2): candidates = ["leader"]
        case ("cluster", 3): candidates = replicas
        case ("priority", 1), ("apply", 1), ("crash", 1), ("restart", 1), ("timeout", 1), ("log", 1), ("data", 1),
             ("cut", 1), ("cut", 2), ("uncut", 1), ("uncut", 2), ("partition", _):
            candidates = replicas + (command == "partition" ? ["|"] : [])
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
