import PaxosCore
import PaxosSimulation

extension Session {
    /// Runs one parsed command. Throws (and changes nothing) on bad input.
    func run(_ command: Command) throws -> Outcome {
        switch command {
        case .cluster(let replicas, let leader):
            rebuild(replicas: replicas, leader: leader)
            say("cluster of \(replicas) replica\(replicas == 1 ? "" : "s"), \(leader.map { "\($0) leads ballot 1" } ?? "no leader yet: the first election plays out") · election \(electionName), commit \(commitName), seed \(options.seed)")
        case .election(let name):
            guard let policy = registry.election(named: name) else {
                throw CommandError("unknown election policy '\(name)': registered are \(registry.elections.map(\.name).joined(separator: ", "))")
            }
            electionName = name
            simulation.setElectionPolicy(policy)
            record(.setup(command))
            say("election policy: \(name)")
        case .commit(let name):
            guard let policy = registry.commit(named: name) else {
                throw CommandError("unknown commit policy '\(name)': registered are \(registry.commits.map(\.name).joined(separator: ", "))")
            }
            commitName = name
            simulation.setCommitPolicy(policy)
            record(.setup(command))
            say("commit policy: \(name)")
        case .policies:
            say(Views.policies(registry, election: electionName, commit: commitName))
        case .priority(let id, let value):
            try simulation.validate(id)
            simulation.updateConfig { $0.priorities[id.number - 1] = value }
            record(.setup(command))
            say("\(id) has priority \(value)")
        case .set(let setting):
            simulation.updateConfig { config in
                switch setting {
                case .batch(let n): config.batchSize = n
                case .window(let n): config.window = n
                case .heartbeat(let t): config.heartbeatIntervalTicks = t
                case .timeout(let t): config.electionTimeoutTicks = t
                case .recovery(let on): config.recovery = on
                case .breakOn(let bug): config.breaks.insert(bug)
                case .breaksOff: config.breaks.removeAll()
                }
            }
            record(.setup(command))
            say(Views.setting(setting))
            if let warning = Views.timerWarning(setting, simulation.config) { say(warning) }
        case .submit(let records):
            try perform(.submit(records))
        case .pending:
            say(Views.pending(simulation, renderer: renderer))
        case .step(let count):
            var ran = WhatRan()
            for done in 0..<count {
                guard let next = simulation.inFlight.first else {
                    say("nothing in flight: tick advances time (heartbeats, timeouts)")
                    break
                }
                if let stop = stopBeforeNextStep() {
                    stopped(stop, "step", did: "\(done) of \(counted(count, "delivery", "deliveries"))", ran: ran,
                            goOn: "step \(count - done)")
                    break
                }
                showProgress(done, "step: \(done) of \(counted(count, "delivery", "deliveries"))")
                try perform(.deliver(next.id))
                ran.delivered()
            }
        case .deliver(let id):
            try perform(.deliver(id))
        case .drop(let id):
            try perform(.drop(id))
        case .duplicate(let id):
            try perform(.duplicate(id))
        case .apply(let id):
            try simulation.validate(id)
            guard simulation.isAlive(id) else {
                throw CommandError("\(id) is down: a crashed replica applies nothing (restart \(id) brings it back)")
            }
            guard let due = simulation.inFlight.first(where: { $0.item == .apply(id) }) else {
                let r = simulation.replica(id)
                throw CommandError("\(id) has no apply due (applied \(r.appliedIndex), committed \(r.commitIndex)\(commitName == AsyncCommit.name ? "" : "; apply events exist under commit async"))")
            }
            try perform(.deliver(due.id))
        case .tick(let count):
            var ran = WhatRan()
            for done in 0..<count {
                if let stop = stopBeforeNextStep() {
                    stopped(stop, "tick", did: "\(done) of \(counted(count, "tick"))", ran: ran, goOn: "tick \(count - done)")
                    break
                }
                showProgress(done, "tick: \(done) of \(counted(count, "tick"))")
                try perform(.tick)
                ran.ticked()
            }
        case .run(let condition):
            try runUntil(condition)
        case .timeout(let id):
            try perform(.timeout(id))
        case .crash(let id):
            try perform(.crash(id))
        case .restart(let id):
            try perform(.restart(id))
        case .partition(let groups):
            if groups.count >= 2, let empty = groups.firstIndex(where: \.isEmpty) {
                let example = simulation.config.partitionExample.map { ", e.g. \($0)" } ?? " (a cluster of one replica cannot be split)"
                throw CommandError("partition: group \(empty + 1) of \(groups.count) is empty: each group between | needs a replica\(example)")
            }
            for id in groups.flatMap({ $0 }) { try simulation.validate(id) }
            let listed = Set(groups.flatMap { $0 })
            let rest = simulation.config.replicas.filter { !listed.contains($0) }
            let split = rest.isEmpty ? groups : groups + [rest]
            guard split.count >= 2 else { throw CommandError(unsplittable(groups)) }
            try simulation.check(.partition(split))
            // The same split as now (in any order): it says so and takes no step, as heal on a whole network.
            func sameSplit(_ a: [[ReplicaID]], _ b: [[ReplicaID]]) -> Bool {
                Set(a.map { Set($0) }) == Set(b.map { Set($0) })
            }
            if let now = simulation.partition, sameSplit(now, split) {
                say("the network is already split so (\(partitionText(now))): partition changes nothing")
            } else {
                try perform(.partition(split))
            }
        case .heal:
            // On a whole network `heal` changes nothing: it says so and takes no step, so that no event
            // claims the network became whole "again".
            if simulation.partition == nil, simulation.cuts.isEmpty {
                say("the network is already whole (no partition, no cut): heal changes nothing")
            } else {
                try perform(.heal)
            }
        case .cut(let from, let to):
            try refuseNoChange(cut: true, from, to)
            try perform(.cut(from: from, to: to))
        case .uncut(let from, let to):
            try refuseNoChange(cut: false, from, to)
            try perform(.uncut(from: from, to: to))
        case .show:
            say(Views.show(simulation) + (view == .full ? "" : "\nview \(ScriptPrinter.line(.view(view)).dropFirst(5))"))
        case .log(let id):
            try simulation.validate(id)
            say(Views.log(simulation.replica(id)))
        case .data(let id):
            try simulation.validate(id)
            say(Views.data(simulation.replica(id)))
        case .slots:
            say(Views.slots(simulation))
        case .explore(let depth):
            try explore(depth: depth)
        case .check(let budgets):
            try modelCheck(budgets)
        case .breaks:
            say(Views.breaks(simulation.config.breaks))
        case .quiz(let on):
            say(quiz.toggle(on, answerable: ask != nil))
        case .compare(let a, let b):
            try compare(a, b)
        case .undo(let count):
            try undo(count)
        case .history:
            say(history.enumerated().map { "\(String($0.offset + 1).leftPadded(4))  \($0.element)" }.joined(separator: "\n"))
        case .explain:
            say(Explain.lastStep(trace, simulation: simulation))
        case .expect(let expectation):
            let (held, text) = try check(expectation)
            // In a script, a failed expect says where it is, as an error does (`lab.pxs:12: ✗ expect …`).
            let location = held ? nil : errorLocation.map { "\($0): " }
            say((location ?? "") + renderer.expectation(held: held, text))
            if !held {
                failedExpectations += 1
                return .expectFailed
            }
        case .view(let chosen):
            view = chosen
            say(Self.describe(chosen))
        case .lanes(let count):
            say(LanesRenderer(replicas: simulation.config.replicaCount, ascii: options.ascii, width: options.width).render(trace, last: count))
        case .export(let format, let path):
            try export(format, to: path)
        case .help(let name):
            if let name {
                guard let entry = Help.entry(name) else {
                    throw CommandError("no command '\(name)'\(Help.closest(to: name).map { ": did you mean '\($0)'?" } ?? ""); help lists them all")
                }
                say(Help.detail(entry))
            } else {
                say(Help.overview)
            }
        case .web(let request):
            guard let web else {
                say("web: ignored here: only the interactive REPL serves the live page (paxos-playground --web PORT)")
                return .ok
            }
            say(try web(request))
        case .quit:
            if quiz.isOn { say(quiz.score) }
            return .quit
        }
        return .ok
    }

    /// What `view` answers.
    static func describe(_ view: FlowView) -> String {
        switch view {
        case .full: "view full: every event with its payload and the rule applied"
        case .compact: "view compact: one short line per event; heartbeat rounds with nothing new fold into one line"
        case .phases(let phases): "view phases: only \(phases.map(\.rawValue).joined(separator: ", ")) events, in full"
        }
    }

    // MARK: - run

    /// The ticks with nothing in flight that `run until …` waits before it stops: 1,000, or twice K (the
    /// ticks within which a cluster whose faults stopped converges, `Docs/Progress.md`) when timeouts set
    /// long make K larger, so that the run never gives up on a cluster still within its bound.
    var runIdleTickLimit: Int {
        max(Limits.runIdleTicksMax, simulation.config.progressBoundTicks.saturatingMultiplied(by: 2))
    }

    func runUntil(_ condition: RunCondition, tickLimit: Int? = nil,
                  deliveryLimit: Int = Limits.runDeliveriesMax) throws {
        let tickLimit = tickLimit ?? runIdleTickLimit
        if case .ticks(let count) = condition {
            return try runFor(count, deliveryLimit: deliveryLimit)
        }
        // A leader that no election can follow with no new fault: settled, or converged (a cut between two
        // followers deposes no one).
        if condition == .leader, let leader = simulation.leader, settled(under: leader) || simulation.divergence() == nil {
            say("\(leader) already leads \(simulation.replica(leader).leaderBallot ?? .zero): run until leader waits for a new election; crash \(leader) or cut it off first")
            return
        }
        // Commit and applied indexes only grow: a condition already passed never holds again.
        if case .committed(let index) = condition, let highest = simulation.replicas.map(\.commitIndex).max(), highest > index {
            say("the highest commit index is already \(highest), past \(index), and it only grows: run until committed \(index) would never stop; run until committed \(highest + 1) waits for the next")
            return
        }
        if case .applied(let id, let index) = condition {
            try simulation.validate(id)
            let applied = simulation.replica(id).appliedIndex
            if applied > index {
                say("\(id) already applied \(applied), past \(index), and it only grows: run until applied \(id) \(index) would never stop; run until applied \(id) \(applied + 1) waits for the next")
                return
            }
        }
        var ticks = 0, deliveries = 0, elected = false, ran = WhatRan()
        // Each tick with nothing in flight starts a round (the tick, then every delivery until nothing is in
        // flight again); a round that repeats the one before, event for event, is folded into one line.
        var rounds = RoundFolder(enabled: !quiz.isOn && !options.quiet && !replaying)
        defer { rounds.finish(self, final: true) }
        while true {
            if simulation.inFlight.isEmpty { rounds.finish(self) }
            if try holds(condition, elected: elected) {
                rounds.finish(self, final: true)
                if let done = reached(condition, deliveries: deliveries, ticks: ticks) { say(done) }
                if condition == .quiet, deliveries == 0 {
                    say("nothing in flight: run delivered nothing; tick or run for T advances time (heartbeats, timeouts)")
                }
                return
            }
            if let stop = stopBeforeNextStep() {
                let did = "\(counted(deliveries, "delivery", "deliveries")) and \(counted(ticks, "tick"))"
                rounds.finish(self, final: true)
                return stopped(stop, ScriptPrinter.line(.run(condition)), did: did, ran: ran, goOn: ScriptPrinter.line(.run(condition)))
            }
            showProgress(deliveries + ticks, "run: \(counted(deliveries, "delivery", "deliveries")), \(counted(ticks, "tick"))")
            if let next = simulation.inFlight.first {
                guard deliveries < deliveryLimit else {
                    rounds.finish(self, final: true)
                    say("run stops after \(counted(deliveryLimit, "delivery", "deliveries")): messages keep flowing\(whyNot(condition).map { "; \($0)" } ?? "")")
                    return
                }
                deliveries += 1
                let events = try perform(.deliver(next.id))
                ran.delivered()
                elected = elected || events.contains { $0.kind == .elected }
            } else {
                if condition == .quiet { return }
                guard ticks < tickLimit else {
                    rounds.finish(self, final: true)
                    say("run stops after \(counted(tickLimit, "tick")): \(whyNot(condition) ?? "the condition does not hold yet")")
                    return
                }
                ticks += 1
                rounds.begin(self, tick: simulation.tick + 1)
                let events = try perform(.tick)
                ran.ticked()
                elected = elected || events.contains { $0.kind == .elected }
            }
        }
    }

    /// `run until …`'s folding of repeated rounds: the first round of its kind prints in full; the rounds
    /// after it that do the same (the same events between the same replicas, with the same payloads and
    /// rules; only steps, ticks and message ids differ) print as one line when something else happens or
    /// the run ends: `… 997 more heartbeat rounds (ticks 4–1000), nothing new`. So do rounds that repeat a
    /// cycle of up to ``longestCycle`` rounds printed just before them (a lone replica's timeout, pre-vote and
    /// standing aside, over and over): `… 180 more rounds (ticks 25–1000) repeating the last 2, nothing new`.
    /// And so do rounds made only of steps like those of the ``window`` rounds before them, in whatever order
    /// and combination (replicas cut off from their leader, each retrying at its own retry timeout while
    /// heartbeat rounds go on: their rounds never make a short cycle). A step here is what one replica (or
    /// the client, or a fault) does in one step of the run:
    /// `… 640 more rounds (ticks 40–1000), each made of steps like those of the 32 rounds before it, nothing new`.
    struct RoundFolder {
        let enabled: Bool
        /// The longest cycle of rounds that folds as a cycle.
        static let longestCycle = 4
        /// How many rounds back a round may repeat one to fold.
        static let window = 32
        /// What the last rounds did, printed or folded, oldest first (at most ``window``): their events'
        /// behaviours, and the same cut into steps (``steps(of:_:)``).
        private var recent: [(doing: [String], steps: Set<[String]>)] = []
        /// While folding: the length of the cycle the folded rounds repeat; nil when they repeat rounds of
        /// the window in no fixed order (or while not folding).
        private var cycle: Int?
        private var folded = 0, firstTick = 0, lastTick = 0, allHeartbeats = true
        /// The fewest and the most rounds before a folded round that it was compared with (at most ``window``).
        private var looked = (fewest: 0, most: 0)
        private var tick = 0

        init(enabled: Bool) { self.enabled = enabled }

        /// A tick starts a round: hold its flow back.
        mutating func begin(_ session: Session, tick: Int) {
            guard enabled else { return }
            finish(session)
            self.tick = tick
            session.heldFlow = []
        }

        /// The cycle `doing` continues: the one being folded, else the shortest whose last round matches.
        private func cycle(continuedBy doing: [String]) -> Int? {
            if let cycle { return recent[recent.count - cycle].doing == doing ? cycle : nil }
            return (1...Self.longestCycle).first { $0 <= recent.count && recent[recent.count - $0].doing == doing }
        }

        /// The round is over: fold it if it repeats the last one (or the last cycle), else print what was
        /// folded, then it.
        mutating func finish(_ session: Session) {
            guard enabled, let events = session.heldFlow else { return }
            session.heldFlow = nil
            // A tick at which nothing happens prints nothing, folded or not.
            guard !events.isEmpty else { return }
            let doing = events.map(Comparison.behaviourWithoutTime)
            let steps = Self.steps(of: events, doing)
            defer {
                recent.append((doing, Set(steps)))
                if recent.count > Self.window { recent.removeFirst() }
            }
            // `view compact` folds routine heartbeat rounds itself, into its own line (``HeartbeatFold``).
            let routine = session.view == .compact && FlowRenderer.groups(events).allSatisfy(HeartbeatFold.isRoutine)
            // A short cycle first; else steps all taken in the window (a cycle's fold that breaks goes on that
            // way, which is just as true of its rounds so far: a cycle is at most 4 rounds long).
            let continuesCycle = folded > 0 && cycle == nil ? nil : cycle(continuedBy: doing)
            let stepsSeen = { [recent] in steps.allSatisfy { step in recent.contains { $0.steps.contains(step) } } }
            // A routine round folds into a fold under way; else `view compact` folds it with its neighbours.
            if !routine || folded > 0, continuesCycle != nil || stepsSeen() {
                if folded == 0 { firstTick = tick; allHeartbeats = true; looked = (recent.count, recent.count) }
                cycle = continuesCycle
                looked = (min(looked.fewest, recent.count), max(looked.most, recent.count))
                folded += 1
                lastTick = tick
                // Heartbeats, and the heartbeats a partition, a cut or a crash loses.
                allHeartbeats = allHeartbeats && events.allSatisfy { $0.phase == .heartbeat || $0.phase == .fault }
                    && events.contains { $0.phase == .heartbeat }
                return
            }
            flushFolded(session)
            session.flow(events)
        }

        /// The round's events (`doing`, their behaviours) cut into steps: the events of one step of the run
        /// by one sender (a delivery and what it caused, a replica's timer and what it sent, a fault).
        private static func steps(of events: [TraceEvent], _ doing: [String]) -> [[String]] {
            var steps: [[String]] = []
            var last: (step: Int, from: Endpoint)?
            for (event, behaviour) in zip(events, doing) {
                if let last, last.step == event.step, last.from == event.from {
                    steps[steps.count - 1].append(behaviour)
                } else {
                    steps.append([behaviour])
                }
                last = (event.step, event.from)
            }
            return steps
        }

        private mutating func flushFolded(_ session: Session) {
            defer { folded = 0; cycle = nil }
            guard folded > 0 else { return }
            let what = allHeartbeats ? "heartbeat round" : "round"
            let ticks = firstTick == lastTick ? "tick \(firstTick)" : "ticks \(firstTick)–\(lastTick)"
            let span = looked.fewest == looked.most ? "\(looked.most)" : "\(looked.fewest) to \(looked.most)"
            let repeating = switch cycle {
            case nil: ", \(folded == 1 ? "" : "each ")made of steps like those of the \(span) rounds before it"
            case 1?: ""
            case let length?: " repeating the last \(length)"
            }
            session.say("      … \(folded) more \(what)\(folded == 1 ? "" : "s") (\(ticks))\(repeating), nothing new")
        }

        /// The run ends: say what was folded last.
        mutating func finish(_ session: Session, final: Bool) {
            finish(session)
            flushFolded(session)
        }
    }

    /// `run for T`: every due item delivered, oldest first, then T times a tick and every due item
    /// delivered again: time passing as in a real cluster.
    func runFor(_ count: Int, deliveryLimit: Int) throws {
        var deliveries = 0, ticks = 0, ran = WhatRan()
        func stop() -> Bool {
            guard let stop = stopBeforeNextStep() else { return false }
            let did = "\(ticks) of \(counted(count, "tick")) and \(counted(deliveries, "delivery", "deliveries"))"
            stopped(stop, "run for \(count)", did: did, ran: ran, goOn: "run for \(count - ticks)")
            return true
        }
        for tick in 0...count {
            if tick > 0 {
                if stop() { return }
                showProgress(tick, "run for \(count): \(counted(ticks, "tick")), \(counted(deliveries, "delivery", "deliveries"))")
                try perform(.tick)
                ticks += 1
                ran.ticked()
            }
            while let next = simulation.inFlight.first {
                guard deliveries < deliveryLimit else {
                    say("run for \(count) stops at tick \(ticks) of \(count) after \(counted(deliveryLimit, "delivery", "deliveries")), the most one run delivers (heartbeats and their replies count too); run for \(count - ticks) goes on")
                    return
                }
                if stop() { return }
                deliveries += 1
                try perform(.deliver(next.id))
                ran.delivered()
            }
        }
        if count == 0, deliveries == 0 {
            say("nothing in flight: run for 0 delivered nothing; run for T with T ≥ 1 advances time (heartbeats, timeouts)")
        }
    }

    /// `cut` of a link already cut, or `uncut` of one that is not: one error line, no event that would
    /// change nothing. (The simulation takes either as a step, as fault generators may.)
    func refuseNoChange(cut: Bool, _ from: ReplicaID, _ to: ReplicaID) throws {
        try simulation.check(cut ? .cut(from: from, to: to) : .uncut(from: from, to: to))
        let isCut = simulation.cuts.contains { $0.from == from && $0.to == to }
        if cut, isCut { throw CommandError("\(from) → \(to) is already cut: uncut \(from) \(to) lifts it") }
        if !cut, !isCut {
            let now = simulation.cuts.map { "\($0.from) → \($0.to)" }
            throw CommandError("\(from) → \(to) is not cut, so there is nothing to uncut (cut now: \(now.isEmpty ? "none" : now.joined(separator: ", ")))")
        }
    }

    /// Why `partition groups` splits nothing (one group holds every replica, or none is named), with a split
    /// this cluster can make.
    func unsplittable(_ groups: [[ReplicaID]]) -> String {
        guard let example = simulation.config.partitionExample else {
            return "a cluster of one replica cannot be split: partition needs two groups (cluster 3 starts three replicas)"
        }
        if groups.isEmpty { return "partition needs groups split by |, e.g. \(example)" }
        return "partition \(partitionText(groups)) puts every replica in one group, so nothing is split: name the groups split by |, e.g. \(example)"
    }

    /// Whether `leader` leads a whole network that follows it: no election can start without a fault.
    func settled(under leader: ReplicaID) -> Bool {
        let sim = simulation
        guard let ballot = sim.replica(leader).leaderBallot, sim.replica(leader).isReadyLeader,
              sim.partition == nil, sim.cuts.isEmpty else { return false }
        return sim.replicas.allSatisfy { !sim.isAlive($0.id) || $0.promised == ballot }
    }

    func holds(_ condition: RunCondition, elected: Bool) throws -> Bool {
        switch condition {
        case .quiet: simulation.inFlight.isEmpty
        case .leader: elected
        case .committed(let index): try check(.committed(index)).held
        case .applied(let id, let index): try check(.applied(id, index)).held
        case .converged: simulation.divergence() == nil
        case .ticks: false
        }
    }

    /// The line that ends a `run until …` whose condition holds: what holds now, and what it took
    /// (`run until converged: holds after 14 deliveries and 6 ticks: n1 leads 3.n1, …`). Nil for plain
    /// `run`, which says nothing when nothing is left in flight.
    func reached(_ condition: RunCondition, deliveries: Int, ticks: Int) -> String? {
        let what: String
        switch condition {
        case .quiet, .ticks: return nil
        case .leader:
            guard let leader = simulation.leader else { return nil }
            what = "\(leader) leads \(simulation.replica(leader).leaderBallot ?? .zero)"
        case .committed(let index): what = "the highest commit index is \(index)"
        case .applied(let id, let index): what = "\(id) applied \(index)"
        case .converged: what = convergedSummary()
        }
        let took = deliveries == 0 && ticks == 0
            ? "holds already"
            : "holds after \(counted(deliveries, "delivery", "deliveries")) and \(counted(ticks, "tick"))"
        return "\(ScriptPrinter.line(.run(condition))): \(took): \(what)"
    }

    /// Why a condition that does not hold fails, where there is more to say than that it does not hold.
    func whyNot(_ condition: RunCondition) -> String? {
        switch condition {
        case .converged:
            return simulation.divergence().map { "not converged: \($0)" }
        case .leader:
            guard let leader = simulation.leader else { return "no replica was elected" }
            return "no replica was elected: \(leader) still leads \(simulation.replica(leader).leaderBallot ?? .zero)"
        default:
            return nil
        }
    }

    // MARK: - expect

    /// Whether the expectation holds, and a line that says what was found; throws (one error line, as every
    /// command gives) when it names a replica the cluster does not have.
    func check(_ expectation: Expectation) throws -> (held: Bool, String) {
        let sim = simulation
        switch expectation {
        case .leader(let id), .applied(let id, _), .data(let id, _, _): try sim.validate(id)
        case .committed, .invariants, .converged: break
        }
        switch expectation {
        case .leader(let id):
            let r = sim.replica(id)
            let higher = sim.replicas.filter { sim.isAlive($0.id) && $0.role == .leader && ($0.leaderBallot ?? .zero) > (r.leaderBallot ?? .zero) }
            let held = sim.isAlive(id) && r.role == .leader && higher.isEmpty
            let actual = sim.leader.map { "\($0) leads \(sim.replica($0).leaderBallot ?? .zero)" } ?? "no live leader"
            return (held, "expect leader \(id): \(actual)\(sim.isAlive(id) ? "" : ", \(id) is down")")
        case .committed(let index):
            let highest = sim.replicas.map(\.commitIndex).max() ?? 0
            return (highest == index, "expect committed \(index): the highest commit index is \(highest)")
        case .applied(let id, let index):
            let applied = sim.replica(id).appliedIndex
            return (applied == index, "expect applied \(id) \(index): \(id) applied \(applied)")
        case .data(let id, let key, let value):
            let actual = sim.replica(id).data[key]
            let shown = actual.map { "\(key)=\($0)" } ?? "\(key) is absent"
            return (actual == (value.isEmpty ? nil : value), "expect data \(id) \(key)=\(value): \(shown)")
        case .invariants:
            let violations = sim.violations
            guard !violations.isEmpty else { return (true, "expect invariants: invariants 1-5 hold") }
            let list = violations.map { "\($0.invariant) (\($0.name)\($0.index.map { " at \($0)" } ?? ""))" }
            return (false, "expect invariants: violated \(list.joined(separator: ", "))")
        case .converged:
            if let divergence = sim.divergence() { return (false, "expect converged: \(divergence)") }
            return (true, "expect converged: \(convergedSummary())")
        }
    }

    /// What a converged cluster looks like: `n1 leads 3.n1, n2 n3 follow it, every live replica applied 4`.
    func convergedSummary() -> String {
        let sim = simulation
        let live = sim.replicas.filter { sim.isAlive($0.id) }
        guard let leader = live.first(where: { $0.role == .leader }) else { return "no leader" }
        var parts = ["\(leader.id) leads \(leader.leaderBallot ?? leader.promised)"]
        let followers = live.filter { $0.id != leader.id }.map(\.id.description)
        if !followers.isEmpty {
            parts.append("\(followers.joined(separator: " ")) \(followers.count == 1 ? "follows" : "follow") it")
        }
        let down = sim.config.replicas.filter { !sim.isAlive($0) }.map(\.description)
        if !down.isEmpty {
            parts.append("\(down.joined(separator: " ")) \(down.count == 1 ? "is" : "are") down")
        }
        parts.append("every live replica applied \(live.map(\.appliedIndex).max() ?? 0)")
        return parts.joined(separator: ", ")
    }

    // MARK: - undo

    func undo(_ count: Int) throws {
        // The cut: where the `count`th action from the end (or the first, with fewer) is in the journal.
        var steps = 0, cut = journal.count, k = journal.count
        while steps < count, k > 0 {
            k -= 1
            if case .action = journal[k] { (steps, cut) = (steps + 1, k) }
        }
        guard steps > 0 else { throw CommandError("nothing to undo: no event since the cluster started") }
        // Settings are not events: those made among or after the events undone stay, in their order, as a
        // replay of the session without those events would have them.
        let settings = journal[cut...].filter { if case .setup = $0 { true } else { false } }
        guard goBack(to: cut) else {
            say("undo stopped by Ctrl-C while it replayed the session: nothing changed; undo \(count) goes on")
            (historyRewrite, wasInterrupted) = ([], true)
            return
        }
        _ = replay(Array(settings))
        let all = steps < count ? " (all there were since the cluster started, of \(count) asked)" : ""
        say("undid \(steps) event\(steps == 1 ? "" : "s")\(all): back at step \(simulation.step), tick \(simulation.tick)")
    }
}

extension Session {
    /// Makes the world what the first `cut` journal entries made: from the last checkpoint at or before
    /// `cut` (or from the start, with none), it replays the entries after it, fewer than
    /// ``Checkpoint/spacing``. Ctrl-C stops the replay: then nothing changed, and it returns false.
    func goBack(to cut: Int) -> Bool {
        let saved = (simulation, electionName, commitName)
        guard let last = checkpoints.lastIndex(where: { $0.journalCount <= cut }) else {
            let (savedTrace, savedJournal, savedCheckpoints) = (trace, journal, checkpoints)
            guard replay(Array(journal[..<cut]), interruptible: true) else {
                (simulation, electionName, commitName) = saved
                (trace, journal, checkpoints) = (savedTrace, savedJournal, savedCheckpoints)
                return false
            }
            return true
        }
        let base = checkpoints[last]
        // The tails taken off, to put back if Ctrl-C stops the replay; the journal, the trace and the
        // checkpoints before the base stay where they are, uncopied.
        let journalTail = Array(journal[base.journalCount...])
        let traceTail = Array(trace[base.traceCount...])
        let checkpointTail = Array(checkpoints[(last + 1)...])
        journal.removeSubrange(base.journalCount...)
        trace.removeSubrange(base.traceCount...)
        checkpoints.removeSubrange((last + 1)...)
        (simulation, electionName, commitName) = (base.simulation, base.electionName, base.commitName)
        worlds += 1
        guard replay(Array(journalTail[..<(cut - base.journalCount)]), interruptible: true) else {
            (simulation, electionName, commitName) = saved
            journal.removeSubrange(base.journalCount...)
            trace.removeSubrange(base.traceCount...)
            checkpoints.removeSubrange((last + 1)...)
            journal += journalTail
            trace += traceTail
            checkpoints += checkpointTail
            return false
        }
        return true
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
