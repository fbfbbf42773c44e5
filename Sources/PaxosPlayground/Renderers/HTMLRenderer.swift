import PaxosCore
import PaxosSimulation

/// Renders a run as one self-contained HTML page (`export html FILE`): the space-time diagram template
/// `Resources/spacetime.html` (embedded in the code by SwiftPM), with the run's data in place of its
/// marker line.
///
/// The data is `const PLAYGROUND = {"title", "replicas", "events", "snapshots"};`:
/// - `events`: every trace event but the leader's proposal to itself and its own vote
///   (``TraceEvent/isLeadersOwnMessage``), as its JSON Lines form (``TraceEvent/json``): the same objects
///   as `export jsonl`;
/// - `snapshots`: the cluster at step 0 and after every step, as differences (`"snapshot_encoding":
///   "delta"`), so the page grows with the run, not with its square. The first is whole: per replica its id,
///   role, ballot (the promise), alive, commit, applied, log_start, log entries `{index, ballot, status,
///   redo}` and data, plus the partition groups (or null) and the one-way cuts `[from, to]`. Each next one
///   has its step and tick, `partition` and `cuts` only when they changed, and in `replicas` only the
///   replicas that changed, each with its id and the fields that changed; its log as `log_set` (entries new
///   or changed), `log_del` (indexes gone, other than those below a new `log_start`); its data as `data_set`
///   (keys set) and `data_del` (keys removed). The page rebuilds each snapshot from the one before.
///
/// The JSON is written with every `<` as `\u003c`, so no text of the run can close the script block.
/// The page loads nothing from the network: the template has its CSS and JavaScript inline.
package enum HTMLRenderer {
    /// The line of the template that the data replaces.
    package static let marker = "/*__PLAYGROUND_DATA__*/"

    /// The page template, as SwiftPM embedded it.
    package static var template: String {
        String(decoding: PackageResources.spacetime_html, as: UTF8.self)
    }

    /// The page with `data` in place of the marker line; nil when the template has no marker line.
    package static func page(data: JSONValue, template: String = HTMLRenderer.template) -> String? {
        var lines = template.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let line = lines.firstIndex(where: { $0.trimmingSpaces == marker }) else { return nil }
        var json: [UInt8] = []
        data.write(to: &json, scriptSafe: true)
        lines[line] = "const PLAYGROUND = \(String(decoding: json, as: UTF8.self));"
        return lines.joined(separator: "\n")
    }

    /// The page's data object; `snapshots` as ``SnapshotEncoder`` writes them.
    package static func data(title: String, replicaCount: Int, events: [TraceEvent], snapshots: [JSONValue]) -> JSONValue {
        .object([
            ("title", .string(title)),
            ("replicas", .array((1...max(1, replicaCount)).map { .string(ReplicaID($0).description) })),
            ("events", .array(events.filter { !$0.isLeadersOwnMessage }.map(\.json))),
            ("snapshot_encoding", "delta"),
            ("snapshots", .array(snapshots)),
        ])
    }
}

/// Writes the page's snapshots: the first in full, each next one as its difference from the one before
/// (see ``HTMLRenderer``). A step changes a few fields of a few replicas, so each difference is small
/// whatever the length of the run.
package struct SnapshotEncoder {
    private var previous: Simulation?

    package init() {}

    /// The snapshot of `sim`: whole for the first, else what changed since the last one encoded.
    package mutating func encode(_ sim: Simulation) -> JSONValue {
        defer { previous = sim }
        guard let previous else { return Self.whole(sim) }
        var fields: [(String, JSONValue)] = [("step", .int(sim.step)), ("tick", .int(sim.tick))]
        if sim.partition != previous.partition { fields.append(("partition", Self.partition(sim))) }
        if sim.cuts != previous.cuts { fields.append(("cuts", Self.cuts(sim))) }
        let changed = sim.replicas.indices.compactMap { k in
            Self.difference(sim.replicas[k], alive: sim.alive[k], from: previous.replicas[k], alive: previous.alive[k])
        }
        if !changed.isEmpty { fields.append(("replicas", .array(changed))) }
        return .object(fields)
    }

    /// The cluster in full, as the page's slots view and lanes read it: the first snapshot.
    static func whole(_ sim: Simulation) -> JSONValue {
        let replicas: [JSONValue] = sim.replicas.map { r in
            .object([
                ("id", .string(r.id.description)), ("role", .string(r.role.rawValue)), ("ballot", r.promised.json),
                ("alive", .bool(sim.isAlive(r.id))), ("commit", .int(r.commitIndex)), ("applied", .int(r.appliedIndex)),
                ("log_start", .int(r.log.start)), ("log", .array(r.log.entries.map(entry))),
                ("data", .object(r.data.pairs.map { ($0.key, .string($0.value)) })),
            ])
        }
        return .object([("step", .int(sim.step)), ("tick", .int(sim.tick)), ("partition", partition(sim)),
                        ("cuts", cuts(sim)), ("replicas", .array(replicas))])
    }

    /// The fields of `r` that differ from `p`, with its id; nil when nothing differs.
    private static func difference(_ r: Replica, alive: Bool, from p: Replica, alive wasAlive: Bool) -> JSONValue? {
        var fields: [(String, JSONValue)] = []
        if r.role != p.role { fields.append(("role", .string(r.role.rawValue))) }
        if r.promised != p.promised { fields.append(("ballot", r.promised.json)) }
        if alive != wasAlive { fields.append(("alive", .bool(alive))) }
        if r.commitIndex != p.commitIndex { fields.append(("commit", .int(r.commitIndex))) }
        if r.appliedIndex != p.appliedIndex { fields.append(("applied", .int(r.appliedIndex))) }
        if r.log.start != p.log.start { fields.append(("log_start", .int(r.log.start))) }
        // A log the step did not write shares its entries' storage with the one before, and the two compare
        // equal at once: only a written log is compared entry by entry.
        if r.log.entries != p.log.entries {
            let set = r.log.entries.filter { $0 != p.log[$0.index] }
            if !set.isEmpty { fields.append(("log_set", .array(set.map(entry)))) }
            let gone = p.log.entries.filter { $0.index >= r.log.start && r.log[$0.index] == nil }
            if !gone.isEmpty { fields.append(("log_del", .array(gone.map { .int($0.index) }))) }
        }
        // The data changes only when the replica applies, which moves its applied index.
        if r.appliedIndex != p.appliedIndex || r.data.count != p.data.count {
            let keys = appliedKeys(r, since: p) ?? (r.data.pairs.map(\.key) + p.data.pairs.map(\.key))
            let sorted = Array(Set(keys)).sorted()
            let setData = sorted.compactMap { key in r.data[key].flatMap { $0 == p.data[key] ? nil : (key, JSONValue.string($0)) } }
            if !setData.isEmpty { fields.append(("data_set", .object(setData))) }
            let removed = sorted.filter { r.data[$0] == nil && p.data[$0] != nil }
            if !removed.isEmpty { fields.append(("data_del", .array(removed.map { .string($0) }))) }
        }
        guard !fields.isEmpty else { return nil }
        return .object([("id", .string(r.id.description))] + fields)
    }

    /// The keys of the records `r` applied since `p`, read from its log; nil when they are not all there
    /// (cleaned up in the same step, or an applied index that went down), and then every key is compared.
    private static func appliedKeys(_ r: Replica, since p: Replica) -> [String]? {
        guard r.appliedIndex > p.appliedIndex, p.appliedIndex + 1 >= r.log.start else { return nil }
        var keys: [String] = []
        for index in stride(from: p.appliedIndex + 1, through: r.appliedIndex, by: 1) {
            guard let held = r.log[index] else { return nil }
            keys += held.redo.map(\.key)
        }
        return keys
    }

    private static func entry(_ e: LogEntry) -> JSONValue {
        .object([("index", .int(e.index)), ("ballot", e.ballot.json), ("status", .string(e.status.description)),
                 ("redo", e.redo.json)])
    }

    private static func partition(_ sim: Simulation) -> JSONValue {
        sim.partition.map { groups in .array(groups.map { .array($0.map { .string($0.description) }) }) } ?? .null
    }

    private static func cuts(_ sim: Simulation) -> JSONValue {
        .array(sim.cuts.map { .array([.string($0.from.description), .string($0.to.description)]) })
    }
}
