import PaxosSimulation

// Long commands (`tick`, `step`, `run`, `undo`, `explore`, `check`, `compare`, `export html`) stop before
// their end at Ctrl-C or at the session's budget of events, always between whole events: the world is
// one that a whole number of steps made. They say what they did and how to go on, and history keeps what
// ran (`tick 3127`, not the `tick 100000` typed), so that `compare` and `history` replay exactly that.

extension Session {
    /// Why a long command stops before its end.
    enum Stop: Hashable {
        /// Ctrl-C: ``Session/interrupted`` said so.
        case interrupted
        /// The session holds ``Session/eventsMax`` events.
        case full
    }

    /// Whether a long command must stop before its next step.
    func stopBeforeNextStep() -> Stop? {
        if interrupted() { return .interrupted }
        if trace.count >= eventsMax { return .full }
        return nil
    }

    /// Why the session takes no more events, and what to do about it.
    var fullReason: String {
        "the session holds \(trace.count) events, the most it keeps is \(eventsMax) (cluster N starts afresh, undo steps back)"
    }

    /// Ends a long command that stopped before its end: one line with what it `did`, where the world is,
    /// what history keeps of it (`ran`), and the command that would go on; Ctrl-C makes the outcome
    /// ``Outcome/interrupted``.
    func stopped(_ stop: Stop, _ command: String, did: String, ran: WhatRan, goOn: String?) {
        // A long run stopped late is thousands of lines (`step 17`, `tick 1`, ...): the line names the first and
        // the last, and how many.
        let lines = ran.lines
        let kept = switch lines.count {
        case 0: "history keeps nothing of it"
        case 1...4: "history keeps it as \(lines.joined(separator: ", "))"
        default: "history keeps it as \(lines.count) lines that replay it (\(lines.prefix(2).joined(separator: ", ")), …, \(lines[lines.count - 1]))"
        }
        switch stop {
        case .interrupted:
            say("\(command) stopped by Ctrl-C after \(did), at step \(simulation.step), tick \(simulation.tick): \(kept)"
                + (goOn.map { "; \($0) goes on" } ?? ""))
            wasInterrupted = true
        case .full:
            say("\(command) stopped after \(did), at step \(simulation.step), tick \(simulation.tick): \(fullReason); \(kept)")
        }
        historyRewrite = ran.lines
    }

    /// Shows where a long command stands, on a terminal (``Session/progress``), every 256th call with
    /// `count`: cheap enough to ask at every step.
    func showProgress(_ count: Int, _ text: @autoclosure () -> String) {
        guard let progress, count & 0xFF == 0 else { return }
        progress("\(text()) · Ctrl-C stops")
    }
}

/// What a long command did before it stopped, as the commands that do exactly that: `step 12`, `tick 3`,
/// `step 28` (a `run` delivers the first item in flight, as `step` does, and ticks as `tick` does).
struct WhatRan {
    private var runs: [(command: String, count: Int)] = []

    var lines: [String] { runs.map { "\($0.command) \($0.count)" } }

    mutating func delivered() { add("step") }
    mutating func ticked() { add("tick") }

    private mutating func add(_ command: String) {
        if let last = runs.indices.last, runs[last].command == command {
            runs[last].count += 1
        } else {
            runs.append((command, 1))
        }
    }
}

