import PaxosChecker
/// The help text of every command: the single source for `help`, tab completion and Docs/REPL.md.
package enum Help {
    package struct Entry: Sendable {
        package let name: String
        package let usage: String
        package let summary: String
    }

    package static let entries: [Entry] = [
        Entry(name: "cluster", usage: "cluster N [leader nK]",
              summary: "start a fresh cluster of N replicas (default 3); with leader, nK leads ballot 1, else the first election plays out"),
        Entry(name: "election", usage: "election NAME", summary: "switch the election policy (priority, longest-term, randomized, or a plugin)"),
        Entry(name: "commit", usage: "commit NAME", summary: "switch the commit policy (sync, async, or a plugin)"),
        Entry(name: "policies", usage: "policies", summary: "list the registered policies with one-line descriptions"),
        Entry(name: "priority", usage: "priority nK P", summary: "set a replica's priority"),
        Entry(name: "set", usage: "set batch N | window N | heartbeat T | timeout T | recovery on|off | break [NAME|off|list]",
              summary: "transactions per proposal, proposals in flight, timers in ticks, the (unsafe when off) recovery step, and deliberate protocol bugs for a break-it exercise"),
        Entry(name: "submit", usage: "submit K=V [K=V ...]",
              summary: "a client transaction; the client sends it to the live replica leading with the highest ballot"),
        Entry(name: "pending", usage: "pending", summary: "what is in flight: each message (id, sender, receiver, phase tag and payload) and each queued apply event (async)"),
        Entry(name: "step", usage: "step [N]", summary: "deliver the next N in-flight items in FIFO order"),
        Entry(name: "deliver", usage: "deliver ID", summary: "deliver one chosen in-flight message (out of order allowed)"),
        Entry(name: "drop", usage: "drop ID", summary: "lose one in-flight message"),
        Entry(name: "duplicate", usage: "duplicate ID", summary: "copy one in-flight message"),
        Entry(name: "apply", usage: "apply nK", summary: "under async commit, let nK apply its next committed entry"),
        Entry(name: "tick", usage: "tick [N]", summary: "advance logical time N ticks: heartbeats and timeouts fire"),
        Entry(name: "timeout", usage: "timeout nK",
              summary: "nK's election timer fires now (its own clock runs ahead), as the model checker's abstract time does"),
        Entry(name: "run", usage: "run [for T | until leader | committed I | applied nK I | converged | quiet]",
              summary: "deliver in order until the condition holds, ticking when nothing is in flight (at most 1,000 ticks, or twice the convergence bound K when long timeouts make K above 500); for T: T ticks, every due message delivered between them"),
        Entry(name: "crash", usage: "crash nK", summary: "stop a replica: its log, ballot and data survive, volatile state is lost"),
        Entry(name: "restart", usage: "restart nK", summary: "bring a crashed replica back"),
        Entry(name: "partition", usage: "partition nA nB | nC ...", summary: "split the replicas into groups that cannot talk"),
        Entry(name: "heal", usage: "heal", summary: "restore the network: no partition, no cuts (on a whole network: says so, no step)"),
        Entry(name: "cut", usage: "cut nA nB", summary: "one-way loss: messages from nA to nB are lost until uncut or heal"),
        Entry(name: "uncut", usage: "uncut nA nB", summary: "restore messages from nA to nB"),
        Entry(name: "show", usage: "show", summary: "the cluster table: role, ballot, indexes, log length, liveness, priority"),
        Entry(name: "log", usage: "log nK", summary: "one replica's redo log, entry by entry"),
        Entry(name: "data", usage: "data nK", summary: "one replica's key/value data"),
        Entry(name: "slots", usage: "slots", summary: "the redo log slot by slot across all replicas, with each replica's watermarks"),
        Entry(name: "explore", usage: "explore K",
              summary: "search every way the next K events could go; report whether an invariant can break, as a script"),
        Entry(name: "check", usage: "check [tiny|classroom|thorough] [committed N] [transactions N] [elections N] [ticks N|timeouts N] [drops N] [duplicates N] [crashes N] [restarts N] [window N] [suspicion any|leader-down]",
              summary: "paxos-playground check for this cluster, its policies, settings and protocol breaks: invariants and progress, a counterexample as a script. Alone: classroom; budgets alone fill in from tiny. " + CheckPreset.listing),
        Entry(name: "quiz", usage: "quiz on|off", summary: "predict each event's outcome before it is revealed"),
        Entry(name: "compare", usage: "compare POLICY POLICY",
              summary: "replay this session under two policies of one kind and show where the runs diverge"),
        Entry(name: "undo", usage: "undo [N]", summary: "step back N events, by deterministic replay"),
        Entry(name: "history", usage: "history", summary: "the commands so far"),
        Entry(name: "explain", usage: "explain", summary: "what the last event did and why, with its Docs/Protocol.md section"),
        Entry(name: "expect", usage: "expect leader nK | committed I | applied nK I | data nK K=V | invariants | converged",
              summary: "check the state; in a script, a failed expect makes the run exit 1"),
        Entry(name: "view", usage: "view full | compact | phases P,P,...",
              summary: "how events print: full (payload and rule), compact (one short line each, quiet heartbeat rounds folded into one), or only the named phases (transaction, propose, vote, commit, apply, ack, cleanup, heartbeat, timeout, election, recovery, fault, invariant)"),
        Entry(name: "lanes", usage: "lanes [N]",
              summary: "the last N events (default 20) as a space-time diagram: a column per replica and the client, an arrow per message, drops, crashes, restarts and partitions marked"),
        Entry(name: "export", usage: "export mermaid|html|jsonl FILE",
              summary: "the run so far as a sequence diagram, an HTML space-time view, or the JSON Lines trace"),
        Entry(name: "help", usage: "help [COMMAND]", summary: "this list, or one command"),
        Entry(name: "web", usage: "web [on [PORT] | off]",
              summary: "serve this session live in the browser (REPL only): a read-only page for the class, a control page with a token for the teacher; web alone says where"),
        Entry(name: "quit", usage: "quit", summary: "leave (exit and Ctrl-D too)"),
    ]

    package static var commandNames: [String] { entries.map(\.name) }

    /// The entry of command `name`; `exit` is `quit` by another name.
    package static func entry(_ name: String) -> Entry? {
        let name = name == "exit" ? "quit" : name
        return entries.first { $0.name == name }
    }

    /// The columns help fits in.
    package static let width = 80
    /// Where summaries start in the overview; a longer usage takes a line of its own.
    static let summaryColumn = 25

    /// The whole list: each usage with its summary beside it (under it when the usage is long), wrapped at
    /// word boundaries to ``width`` columns.
    package static var overview: String {
        var lines = TextWrap.wrap("Commands (a word that starts with # starts a comment; after a command, #12 is message 12):", width: width, indent: 2)
        let pad = String(repeating: " ", count: summaryColumn)
        for e in entries {
            if e.usage.count + 2 <= summaryColumn - 2 {
                let first = "  " + e.usage + String(repeating: " ", count: summaryColumn - 2 - e.usage.count) + e.summary
                lines += TextWrap.wrap(first, width: width, indent: summaryColumn)
            } else {
                lines += TextWrap.wrap("  " + e.usage, width: width, indent: 6)
                lines += TextWrap.wrap(pad + e.summary, width: width, indent: summaryColumn)
            }
        }
        lines += TextWrap.wrap("Ctrl-C stops a long command between two events (history keeps what ran); Ctrl-D leaves.",
                               width: width, indent: 0)
        return lines.joined(separator: "\n")
    }

    /// `help NAME`: the usage, then the summary, wrapped to ``width`` columns.
    package static func detail(_ e: Entry) -> String {
        (TextWrap.wrap(e.usage, width: width, indent: 4) + TextWrap.wrap("  " + e.summary, width: width, indent: 2))
            .joined(separator: "\n")
    }

    /// The command name nearest to a mistyped one, if it is close.
    package static func closest(to word: String) -> String? {
        closest(to: word, among: commandNames)
    }

    /// The name among `names` nearest to a mistyped one, if it is close, or the one it begins.
    ///
    /// Close means at most a third of the word's characters (at least one) away. Two words are at least
    /// their difference in length apart, so only names of about the word's length are measured: a word of
    /// 300,000 characters costs no edit distance at all (it took 17 s, issue 17).
    package static func closest(to word: String, among names: [String]) -> String? {
        // Names are lowercase: `STEP` is `step` in the wrong case, not four letters away from it.
        let word = word.lowercased()
        if names.contains(word) { return word }
        let length = word.count
        let tolerance = max(1, length / 3)
        let near = names.filter { abs($0.count - length) <= tolerance }
        let best = near.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= tolerance { return best.0 }
        let extended = names.filter { length >= 3 && $0.hasPrefix(word) }
        return extended.count == 1 ? extended[0] : nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
