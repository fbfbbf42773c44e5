import PaxosCore
import PaxosSimulation

/// Text views of the state: `show`, `log`, `data`, `slots`, `pending`, `policies`.
enum Views {
    static func show(_ sim: Simulation) -> String {
        var rows = [["replica", "role", "ballot", "last", "commit", "applied", "log", "state", "priority"]]
        for r in sim.replicas {
            let role = if r.leadership?.isRecovering ?? false {
                "leader*"
            } else if r.election?.preVote ?? false {
                "pre-candidate"
            } else {
                r.role.rawValue
            }
            rows.append([r.id.description, role, r.promised.description, String(r.log.lastIndex), String(r.commitIndex),
                         String(r.appliedIndex), String(r.log.count), sim.isAlive(r.id) ? "up" : "down",
                         String(sim.config.priority(of: r.id))])
        }
        var footer = ["step \(sim.step), tick \(sim.tick), \(sim.inFlight.count) in flight · election \(sim.policies.electionName), commit \(sim.policies.commitName) · batch \(sim.config.batchSize), window \(sim.config.window), heartbeat \(sim.config.heartbeatIntervalTicks), timeout \(sim.config.electionTimeoutTicks), recovery \(sim.config.recovery ? "on" : "off (unsafe)")"]
        if !sim.config.breaks.isEmpty {
            footer.append("protocol broken on purpose (set break off restores it): " + sim.config.breaks.members
                .map { "\($0.name) (\($0.breaks))" }.joined(separator: ", "))
        }
        if sim.replicas.contains(where: { $0.leadership?.isRecovering ?? false }) {
            footer.append("leader* = elected, still recovering the log")
        }
        if sim.replicas.contains(where: { $0.election?.preVote ?? false }) {
            footer.append("pre-candidate = asking for pre-votes, with no ballot raised yet")
        }
        footer += network(sim)
        return table(rows, rightAligned: [3, 4, 5, 6, 8]) + "\n" + footer.joined(separator: "\n")
    }

    static func network(_ sim: Simulation) -> [String] {
        var lines: [String] = []
        if let groups = sim.partition {
            lines.append("partition: " + partitionText(groups))
        }
        if !sim.cuts.isEmpty {
            lines.append("cut: " + sim.cuts.map { "\($0.from) → \($0.to)" }.joined(separator: ", "))
        }
        return lines
    }

    static func log(_ r: Replica) -> String {
        let held = r.log.entries.isEmpty ? "no entries held" : "entries \(r.log.start)...\(r.log.lastIndex)"
        let cleaned = r.log.start > 1 ? " (1...\(r.log.start - 1) cleaned up)" : ""
        var lines = ["\(r.id) log: \(held)\(cleaned) · commit \(r.commitIndex), applied \(r.appliedIndex), promised \(r.promised)"]
        var rows: [[String]] = [["index", "ballot", "status", "redo_log"]]
        for e in r.log.entries {
            rows.append([String(e.index), e.ballot.description, e.status.description, e.redo.map(\.description).joined(separator: " ")])
        }
        if !r.log.entries.isEmpty { lines.append(table(rows, rightAligned: [0], indent: "  ")) }
        return lines.joined(separator: "\n")
    }

    static func data(_ r: Replica) -> String {
        guard !r.data.isEmpty else { return "\(r.id) data: (empty) · applied \(r.appliedIndex)" }
        let pairs = r.data.pairs.map { "\($0.key)=\($0.value)" }
        return "\(r.id) data (applied \(r.appliedIndex)): " + pairs.joined(separator: " ")
    }

    /// The redo log slot by slot: each replica's entry (status and ballot), the leader's accept count and
    /// acks, and each replica's watermarks.
    static func slots(_ sim: Simulation) -> String {
        let low = sim.replicas.map(\.log.start).min() ?? 1
        let high = sim.replicas.map(\.log.lastIndex).max() ?? 0
        let leader = sim.leader.map { sim.replica($0) }
        var header = ["slot"] + sim.replicas.map { r in r.id == leader?.id ? "\(r.id) (leader)" : r.id.description }
        header += ["acked", "redo_log"]
        var rows = [header]
        if low <= high {
            for index in low...high {
                var row = [String(index)]
                var versions: [(redo: String, holders: [String])] = []
                for r in sim.replicas {
                    if index < r.log.start {
                        row.append("cleaned")
                    } else if let e = r.log[index] {
                        // The replica that proposed an entry owns its ballot: its own copy is "proposed" (until
                        // committed), whether it still leads or not; any other holder accepted it.
                        var status = e.status.description
                        if e.ballot.ownerID == r.id, e.status == .accepted { status = "proposed" }
                        row.append("\(status) \(e.ballot)")
                        let redo = e.redo.map(\.description).joined(separator: " ")
                        if let k = versions.firstIndex(where: { $0.redo == redo }) {
                            versions[k].holders.append(r.id.description)
                        } else {
                            versions.append((redo, [r.id.description]))
                        }
                    } else {
                        row.append("·")
                    }
                }
                let redo = versions.count == 1
                    ? versions[0].redo
                    : versions.map { "\($0.holders.joined(separator: " ")): \($0.redo)" }.joined(separator: " · ")
                if let leadership = leader?.leadership {
                    let acked = sim.config.replicas.filter { leadership.acked[$0.number - 1] >= index }
                    row.append(acked.isEmpty ? "·" : acked.map(\.description).joined(separator: " "))
                } else {
                    row.append("·")
                }
                row.append(redo.isEmpty ? "(cleaned)" : redo)
                rows.append(row)
            }
        }
        rows.append(["commit"] + sim.replicas.map { String($0.commitIndex) } + ["", ""])
        rows.append(["applied"] + sim.replicas.map { String($0.appliedIndex) } + ["", ""])
        rows.append(["cleaned"] + sim.replicas.map { String($0.log.start - 1) } + ["", ""])
        rows.append(["state"] + sim.replicas.map { sim.isAlive($0.id) ? "up" : "down" } + ["", ""])
        let text = low <= high ? "" : "(no entries held)\n"
        return text + table(rows, rightAligned: [0])
    }

    static func pending(_ sim: Simulation, renderer: FlowRenderer) -> String {
        guard !sim.inFlight.isEmpty else { return "nothing in flight" }
        var rows: [[String]] = []
        for flight in sim.inFlight {
            switch flight.item {
            case .message(let envelope):
                var note = ""
                if sim.isBlocked(from: envelope.from, to: envelope.to) { note = "  (will be lost: partition or cut)" }
                else if let to = envelope.to.replica, !sim.isAlive(to) { note = "  (will be lost: \(to) is down)" }
                let phase = envelope.message.phase
                rows.append(["#\(flight.id)", phase.section, phase.rawValue, "\(envelope.from) → \(envelope.to)",
                             envelope.message.payload.rendered + note])
            case .apply(let id):
                rows.append(["#\(flight.id)", Phase.apply.section, "apply", "\(id)", "apply \(id)'s next committed entry"])
            }
        }
        return "\(sim.inFlight.count) in flight (step delivers the first):\n" + table(rows, rightAligned: [0], indent: "  ", header: false)
    }

    static func policies(_ registry: PolicyRegistry, election: String, commit: String) -> String {
        var rows: [[String]] = [["kind", "name", "", "what it does"]]
        for e in registry.elections { rows.append(["election", e.name, e.name == election ? "(in use)" : "", e.summary]) }
        for c in registry.commits { rows.append(["commit", c.name, c.name == commit ? "(in use)" : "", c.summary]) }
        return table(rows)
    }

    static func setting(_ setting: Setting) -> String {
        switch setting {
        case .batch(let n): "batch \(n): up to \(counted(n, "transaction")) per proposal"
        case .window(let n): "window \(n): up to \(counted(n, "proposal")) in flight"
        case .heartbeat(let t): "heartbeat every \(t) tick\(t == 1 ? "" : "s")"
        case .timeout(let t): "election timeout \(t) tick\(t == 1 ? "" : "s") (policies may add to it)"
        case .recovery(true): "recovery on: a new leader learns what a majority accepted before proposing"
        case .recovery(false): "recovery off (UNSAFE): a new leader proposes without asking anyone what was accepted"
        case .breakOn(let bug): "break \(bug.name) on (UNSAFE): \(bug.summary); check should find it: it \(bug.breaks)"
        case .breaksOff: "break off: the protocol as specified"
        }
    }

    /// After `set heartbeat` or `set timeout`: one line when heartbeats no longer come within the election
    /// timeout (the progress property needs the timeout above the interval), so followers can time out
    /// between two heartbeats of a healthy leader (`randomized` may draw the base timeout itself; the other
    /// built-in policies add to it, but not for every replica).
    static func timerWarning(_ setting: Setting, _ config: ClusterConfig) -> String? {
        switch setting {
        case .heartbeat, .timeout: break
        default: return nil
        }
        let (heartbeat, timeout) = (config.heartbeatIntervalTicks, config.electionTimeoutTicks)
        guard heartbeat >= timeout, config.replicaCount > 1 else { return nil }
        // Only settings the REPL takes: a timeout above the largest heartbeat is no fix.
        let fixes = (timeout > 1 ? ["set heartbeat \(timeout - 1)"] : [])
            + (heartbeat < Limits.timeoutTicksMax ? ["set timeout \(heartbeat + 1)"] : [])
        let when = heartbeat == timeout ? "as long as" : "longer than"
        return "warning: heartbeats every \(heartbeat) tick\(heartbeat == 1 ? "" : "s"), \(when) the election timeout of \(timeout): followers can time out between them under a healthy leader and hold needless elections; the timeout must be above the heartbeat (\(fixes.joined(separator: ", or ")))"
    }

    /// `set break`: every named protocol bug, what it does and what `check` should find, the ones on marked.
    static func breaks(_ on: ProtocolBreaks) -> String {
        var rows = [["break", "", "check finds", "what it does"]]
        for bug in ProtocolBreak.allCases {
            rows.append([bug.name, on.contains(bug) ? "(on)" : "", bug.breaks, bug.summary])
        }
        return table(rows) + "\nset break NAME turns one on (several may be on), set break off turns them all off"
    }

    /// Aligns rows into columns; the first row is the header unless told otherwise.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "", header: Bool = true) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
        return rows.map { row in
            var line = indent
            for (k, cell) in row.enumerated() {
                let last = k == row.count - 1
                let padded = rightAligned.contains(k) ? cell.leftPadded(widths[k]) : (last ? cell : cell.rightPadded(widths[k]))
                line += padded + (last ? "" : "  ")
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}

/// A partition's groups as the command line writes them: `n1 | n2 n3`.
func partitionText(_ groups: [[ReplicaID]]) -> String {
    groups.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | ")
}
