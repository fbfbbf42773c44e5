import ArgumentParser
import Foundation
import PaxosCore
import PaxosPlayground
import PaxosSimulation

/// `paxos-playground bench --interactive`: how long each REPL command takes on a long session.
///
/// It builds a session of `steps` steps (30,000 by default) from seeded random command lines, through the
/// REPL's own entry point (``Session/execute(_:)``), then times each command of the command surface on it,
/// `repeat` times: a command that changes the world is undone after each run (and `undo` is timed so, on
/// what that command added). The output goes nowhere but is rendered as in the REPL. It prints one row per
/// command: the fastest run, the slowest, and the target (50 ms; 1 s for `compare` and the exports), then
/// the resident memory after building 1/4, 1/2 and all of the session, and the peak.
/// The same seed gives the same session and the same commands; only the times and memory vary.
struct InteractiveBench {
    let steps: Int
    let seed: UInt64
    let repeats: Int
    /// Only the commands whose name contains this, when given (for callgrind: one command at a time).
    let only: String?

    /// Command lines until the session's world has made `steps` steps: deliveries, ticks, submits, faults,
    /// runs, policy switches and undos, each valid where it is typed (a crash of a live replica, a restart of
    /// a crashed one, a delivery of a message in flight).
    static func build(_ session: Session, steps: Int, seed: UInt64, memory: (Int) -> Void = { _ in }) {
        var random = SplitMix64(seed: seed)
        var key = 0
        var quarter = 1
        session.execute("cluster 3 leader n1")
        while session.simulation.step < steps {
            let sim = session.simulation
            let n = sim.config.replicaCount
            let replica = ReplicaID(1 + random.next(below: n))
            let flying = sim.inFlight
            let other = ReplicaID(1 + (replica.number % n))
            let roll = random.next(below: 1000)
            let line: String
            switch roll {
            case 0..<250:
                key += 1
                line = "submit k\(key % 97)=v\(key)"
            case 250..<550: line = "step \(1 + random.next(below: 20))"
            case 550..<700: line = "tick \(1 + random.next(below: 3))"
            case 700..<760:
                line = flying.isEmpty ? "tick" : "deliver \(flying[random.next(below: flying.count)].id)"
            case 760..<790:
                line = flying.isEmpty ? "tick" : "drop \(flying[random.next(below: flying.count)].id)"
            case 790..<805:
                line = flying.isEmpty ? "tick" : "duplicate \(flying[random.next(below: flying.count)].id)"
            case 805..<830:
                let down = sim.config.replicas.filter { !sim.isAlive($0) }
                line = down.isEmpty ? "crash \(replica)" : "restart \(down[random.next(below: down.count)])"
            case 830..<845: line = sim.partition == nil ? "partition \(replica) | \(other)" : "heal"
            case 845..<860:
                line = sim.cuts.contains(where: { $0.from == replica && $0.to == other })
                    ? "uncut \(replica) \(other)" : "cut \(replica) \(other)"
            case 860..<875: line = sim.canTimeOut(replica) ? "timeout \(replica)" : "tick"
            case 875..<915: line = "run until quiet"
            case 915..<940: line = "run for \(1 + random.next(below: 5))"
            case 940..<970: line = "undo \(1 + random.next(below: 3))"
            case 970..<976: line = ["election priority", "election longest-term", "election randomized"][random.next(below: 3)]
            case 976..<980: line = ["commit sync", "commit async"][random.next(below: 2)]
            case 980..<990: line = "set batch \(1 + random.next(below: 4))"
            default: line = "heal"
            }
            session.execute(line)
            if session.simulation.step >= steps, session.simulation.inFlight.isEmpty {
                // Something in flight at the end, for `deliver`, `drop` and `duplicate`.
                session.execute("submit end=\(key)")
            }
            if session.simulation.step * 4 >= steps * quarter, quarter <= 4 {
                memory(quarter)
                quarter += 1
            }
        }
    }

    /// One timed command: the line, whether its steps are undone after it (untimed), and its target in milliseconds.
    struct Probe {
        let name: String
        let line: String
        /// Whether the steps it made are undone after each run.
        var undoes: Bool
        var targetMilliseconds: Double
        /// A line run untimed before each timed run (and undone with it), so that the timed line has work to do.
        var setup: String?

        init(_ name: String, _ line: String, undoes: Bool = false, target: Double = 50, setup: String? = nil) {
            self.name = name
            self.line = line
            self.undoes = undoes
            targetMilliseconds = target
            self.setup = setup
        }
    }

    /// The commands timed, with what makes each valid on the session as built (a message in flight, a live
    /// replica). `cluster`, `check`, `explore`, `quiz` and `quit` are left out: the first three start or search
    /// a world of their own (their cost does not depend on the session's length), the last two wait for the user.
    ///
    /// With `all`, also those the session gives nothing to do (`timeout` when no replica can time out,
    /// `restart` when none is down), with an empty line: every name `--only` may match.
    static func probes(_ session: Session, directory: String, all: Bool = false) -> [Probe] {
        let sim = session.simulation
        let first = sim.inFlight.first?.id ?? 0
        let live = sim.config.replicas.first { sim.isAlive($0) } ?? ReplicaID(1)
        let down = sim.config.replicas.first { !sim.isAlive($0) }
        // A link not cut yet: `cut` of a cut one is refused, and would time an error line.
        let pairs = sim.config.replicas.flatMap { a in sim.config.replicas.filter { $0 != a }.map { (a, $0) } }
        let uncut = pairs.first { pair in !sim.cuts.contains { $0.from == pair.0 && $0.to == pair.1 } } ?? (ReplicaID(1), ReplicaID(2))
        var probes = [
            Probe("step", "step", undoes: true),
            Probe("step 10", "step 10", undoes: true),
            Probe("deliver", "deliver \(first)", undoes: true),
            Probe("drop", "drop \(first)", undoes: true),
            Probe("duplicate", "duplicate \(first)", undoes: true),
            Probe("tick", "tick", undoes: true),
            Probe("submit", "submit bench=1", undoes: true),
            Probe("crash", "crash \(live)", undoes: true),
            Probe("partition", "partition n1 | n2", undoes: true),
            Probe("cut", "cut \(uncut.0) \(uncut.1)", undoes: true),
            // On a whole network `heal` takes no step: a cut first (untimed) gives it one to take.
            Probe("heal", "heal", undoes: true,
                  setup: sim.partition == nil && sim.cuts.isEmpty ? "cut \(uncut.0) \(uncut.1)" : nil),
            Probe("run for 1", "run for 1"),
            Probe("undo", "undo"),
            Probe("undo 100", "undo 100"),
            Probe("undo 1000", "undo 1000"),
            Probe("status (show)", "show"),
            Probe("pending", "pending"),
            Probe("log", "log n1"),
            Probe("data", "data n1"),
            Probe("slots", "slots"),
            Probe("lanes", "lanes"),
            Probe("lanes 1000", "lanes 1000"),
            Probe("history", "history"),
            Probe("explain", "explain"),
            Probe("expect invariants", "expect invariants"),
            Probe("policies", "policies"),
            Probe("set break", "set break"),
            Probe("view compact", "view compact"),
            Probe("help", "help"),
            Probe("compare election", "compare priority longest-term", target: 1000),
            Probe("compare commit", "compare sync async", target: 1000),
            Probe("export jsonl", "export jsonl \(directory)/bench.jsonl", target: 1000),
            Probe("export mermaid", "export mermaid \(directory)/bench.mmd", target: 1000),
            Probe("export html", "export html \(directory)/bench.html", target: 1000),
        ]
        let idle = sim.config.replicas.first(where: { sim.canTimeOut($0) })
        probes.insert(Probe("timeout", idle.map { "timeout \($0)" } ?? "", undoes: true), at: 7)
        probes.insert(Probe("restart", down.map { "restart \($0)" } ?? "", undoes: true), at: 8)
        return all ? probes : probes.filter { !$0.line.isEmpty }
    }

    /// The name of every command it can time, in order.
    static var names: [String] {
        probes(Session(write: { _ in }), directory: "", all: true).map(\.name)
    }

    /// The commands `--only` selects: those whose name contains it.
    static func selected(by only: String?, from names: [String]) -> [String] {
        guard let only else { return names }
        return names.filter { $0.contains(only) }
    }

    /// Refuses an `--only` that no command's name contains (or an empty one), naming the commands.
    static func checkOnly(_ only: String) throws {
        let names = Self.names
        guard only.isEmpty || selected(by: only, from: names).isEmpty else { return }
        throw ValidationError("--only takes part of a timed command's name (got '\(InputText.escaped(only))', which none has): the commands are \(names.joined(separator: ", "))")
    }

    struct Row {
        let probe: Probe
        var times: [Double] = []
        var best: Double { times.min() ?? 0 }
        var worst: Double { times.max() ?? 0 }
    }

    func run() throws {
        let clock = ContinuousClock()
        var output = 0
        let session = Session { output &+= $0.utf8.count }
        var memory: [Int: Int] = [:]
        let start = clock.now
        Self.build(session, steps: steps, seed: seed) { memory[$0] = Self.residentKiB }
        let built = (clock.now - start).seconds
        let directory = NSTemporaryDirectory() + "paxos-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let probes = Self.probes(session, directory: directory)
        let chosen = Self.selected(by: only, from: probes.map(\.name))
        if chosen.isEmpty {
            // `--only` names a command that exists (checked before the session was built), but this session
            // gives it nothing to do.
            let names = Self.selected(by: only, from: Self.names).joined(separator: ", ")
            throw ValidationError("--only \(InputText.escaped(only ?? "")): the session of \(counted(session.simulation.step, "step")) (seed \(seed)) gives \(names) nothing to do at its end (no replica down, or none that can time out): try another --seed or --steps")
        }
        print("""
            paxos-playground bench --interactive: a session of \(counted(session.simulation.step, "step")), \(counted(session.trace.count, "event")), \
            \(counted(session.history.count, "command line")) of which \(session.history.filter { $0.hasPrefix("undo") }.count) \
            undo (seed \(seed)), built in \(String(format: "%.2f", built)) s
            each command run \(counted(repeats, "time")) on it (a command that changes the world is undone after each run, untimed)
            """)
        let steps = session.simulation.step
        var rows: [Row] = []
        for probe in probes where chosen.contains(probe.name) {
            var row = Row(probe: probe)
            for _ in 0..<repeats {
                if let setup = probe.setup { session.execute(setup) }
                let t0 = clock.now
                let outcome = timed(session, probe.line)
                row.times.append((clock.now - t0).seconds * 1000)
                if case .error(let message) = outcome {
                    throw ValidationError("bench --interactive: `\(probe.line)` failed: \(message)")
                }
                if probe.undoes, session.simulation.step > steps { session.execute("undo \(session.simulation.step - steps)") }
                if probe.name.hasPrefix("undo") || probe.name == "run for 1" {
                    // Back to the session's length: undo leaves it shorter, run longer.
                    rebuildTo(session, steps: steps)
                }
            }
            rows.append(row)
            print(Self.row(row))
        }
        let peak = Machine.peakRSSKiB
        print("memory (resident): \(memory.keys.sorted().map { "\($0 * 25)% of the steps \(Self.megabytes(memory[$0] ?? 0))" }.joined(separator: ", ")); peak \(Self.megabytes(peak))")
        let missed = rows.filter { $0.worst > $0.probe.targetMilliseconds }
        print(missed.isEmpty ? "every command within its target" : "over target: \(missed.map(\.probe.name).joined(separator: ", "))")
        _ = output
    }

    /// The one function the timed lines run in: `--toggle-collect` of callgrind can name it.
    @inline(never)
    func timed(_ session: Session, _ line: String) -> Outcome {
        session.execute(line)
    }

    /// After `undo` or `run`: `step` and `tick` until the world is back at `steps` steps, or `undo` back
    /// down to it.
    private func rebuildTo(_ session: Session, steps: Int) {
        while session.simulation.step < steps {
            session.execute(session.simulation.inFlight.isEmpty ? "tick" : "step")
        }
        if session.simulation.step > steps { session.execute("undo \(session.simulation.step - steps)") }
    }

    static func row(_ row: Row) -> String {
        let name = row.probe.name.padding(toLength: 18, withPad: " ", startingAt: 0)
        func ms(_ value: Double) -> String { String(format: "%9.2f ms", value) }
        let verdict = row.worst <= row.probe.targetMilliseconds ? "met" : "MISSED"
        return "\(name) best \(ms(row.best))  max \(ms(row.worst))  target \(String(format: "%5.0f", row.probe.targetMilliseconds)) ms  \(verdict)"
    }

    static func megabytes(_ kib: Int) -> String { String(format: "%.1f MB", Double(kib) / 1024) }

    /// This process's resident memory now (VmRSS), in KiB.
    static var residentKiB: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    }
}
