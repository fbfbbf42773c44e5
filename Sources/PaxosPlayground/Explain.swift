import PaxosCore
import PaxosSimulation

/// `explain`: the full rule behind the last step's events, with its Docs/Protocol.md section.
enum Explain {
    /// The rule of each phase, as Docs/Protocol.md states it.
    static func rule(_ phase: Phase) -> String {
        switch phase {
        case .transaction:
            "§2(1) Transaction. The client sends {\"type\": \"transaction\", \"redo_log\": [...]} to the leader. The leader executes the reads and writes and appends the redo records to its log at the next index: it is the proposer. A follower that receives a transaction answers with a redirect naming the leader it knows."
        case .propose:
            "§2(2) Propose. The leader sends {\"proposal_id\": i, \"ballot\": b, \"redo_log\": [...]} to every replica, itself included. The proposal id is the entry's log index: it increases within a ballot, and (ballot, proposal id) is unique. With batch N, one proposal carries up to N transactions; with window W, up to W proposals are in flight."
        case .vote:
            "§2(3) Vote. An acceptor accepts proposal i only if (a) legality: the ballot is not below the one it promised, and the proposal is newer than what it accepted at i; and (b) log compatibility: i directly follows its log, no gap. A reject carries the reason; on a gap it says where the acceptor's log ends, and the leader re-sends the missing entries, once per heartbeat interval."
        case .commit:
            "§2(4) Commit. The leader commits entry i only after accept votes from a majority (more than N/2, its own counted) for i's ballot, then sends {\"commit\": {\"proposal_id\": i, \"ballot\": b}} to all. A follower marks i committed only if it holds i under that ballot."
        case .apply:
            "§2(4) Apply. The leader applies a committed entry at once. Followers apply per the commit policy: sync applies while handling the commit message; async makes applying an event of its own, so the applied index lags the commit index. Every replica applies in index order, without gaps."
        case .ack:
            "§2(5) Ack. A follower sends {\"ack\": {\"proposal_id\": i}} to the leader after it applied entry i."
        case .cleanup:
            "§2(5) Cleanup. Once every replica has acked i, the leader deletes the redo entries up to i from its log (the data stays), so memory stays bounded however long the run. While a replica has not acked (it may be down), cleanup waits for it."
        case .heartbeat:
            "§3(1) Heartbeat. Every heartbeat interval the leader sends {\"heartbeat\": {\"ballot\": b, \"commit_index\": c, \"cleanup_index\": k}} to the followers, and re-sends what each has not confirmed. A follower that hears a leader restarts its election timer."
        case .timeout:
            "§3(1) Timeout. A follower that hears no heartbeat for its election timeout reports \"Leader heartbeat timeout\" to the monitor, and failure recovery starts."
        case .election:
            "§3(2) Election. A candidate asks every replica to let it lead under a ballot above every round it has seen. The election policy decides who stands and whom a voter prefers; the core enforces one vote per round and a majority (the candidate's own vote counted). The vote is a Paxos promise: the voter will accept nothing below that ballot."
        case .recovery:
            "§3(3) Recovery. The new leader sends request_log_range(from, to) to the replicas that promised (a majority, itself included) and, for each index, keeps the entry with the highest ballot among the replies; it re-proposes those under its new ballot and commits them. Only then does it propose new transactions. This is what makes every election policy safe."
        case .fault:
            "Faults. The network may deliver in any order, drop, duplicate and delay; replicas crash (log and ballot survive, volatile state is lost) and restart; partitions and one-way cuts lose messages between replicas. Safety must hold under all of them; progress resumes once a majority can talk."
        case .invariant:
            "Invariants, checked after every event: 1 agreement (no two replicas commit different records at an index); 2 durability (a committed entry is in every later leader's log); 3 one leader per ballot; 4 applied order (in index order, no gaps; data equals the replay); 5 commit needs a majority of accepts for the entry's ballot."
        }
    }

    static func lastStep(_ trace: [TraceEvent], simulation: Simulation) -> String {
        // A tick at which nothing fell due leaves no event: the last step is then not the last event's.
        guard let last = trace.last, last.step == simulation.step else {
            guard simulation.step > 0 else { return "nothing has happened yet: step, tick or submit first" }
            return "step \(simulation.step) at tick \(simulation.tick): a tick at which nothing happened (no timer fell due, nothing was sent)"
        }
        let events = trace.filter { $0.step == last.step }
        var lines = ["step \(last.step) at tick \(last.tick):"]
        var phases: [Phase] = []
        for event in events {
            let route = event.from == event.to ? event.from.description : "\(event.from) → \(event.to)"
            lines.append("  • \(event.phase.rawValue) \(route): \(event.note)")
            if !phases.contains(event.phase) { phases.append(event.phase) }
        }
        lines.append("")
        lines += phases.map { "  " + rule($0) }
        return lines.joined(separator: "\n")
    }
}
