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
/// - `snapshots`: the cluster at step 0 and after every step: per replica its id, role, ballot (the
///   promise), alive, commit, applied, log_start, log entries `{index, ballot, status, redo}` and data,
///   plus the partition groups (or null) and the one-way cuts `[from, to]`.
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
        lines[line] = "const PLAYGROUND = \(scriptSafe(data.rendered));"
        return lines.joined(separator: "\n")
    }

    /// The page's data object.
    package static func data(title: String, replicaCount: Int, events: [TraceEvent], snapshots: [JSONValue]) -> JSONValue {
        .object([
            ("title", .string(title)),
            ("replicas", .array((1...max(1, replicaCount)).map { .string(ReplicaID($0).description) })),
            ("events", .array(events.filter { !$0.isLeadersOwnMessage }.map(\.json))),
            ("snapshots", .array(snapshots)),
        ])
    }

    /// The cluster as the page's slots view and lanes read it.
    package static func snapshot(_ sim: Simulation) -> JSONValue {
        let replicas: [JSONValue] = sim.replicas.map { r in
            let log: [JSONValue] = r.log.entries.map { e in
                .object([("index", .int(e.index)), ("ballot", e.ballot.json), ("status", .string(e.status.description)),
                         ("redo", e.redo.json)])
            }
            let data: [(String, JSONValue)] = r.data.pairs.map { ($0.key, .string($0.value)) }
            return .object([
                ("id", .string(r.id.description)), ("role", .string(r.role.rawValue)), ("ballot", r.promised.json),
                ("alive", .bool(sim.isAlive(r.id))), ("commit", .int(r.commitIndex)), ("applied", .int(r.appliedIndex)),
                ("log_start", .int(r.log.start)), ("log", .array(log)), ("data", .object(data)),
            ])
        }
        let partition: JSONValue = sim.partition.map { groups in
            .array(groups.map { .array($0.map { .string($0.description) }) })
        } ?? .null
        let cuts: [JSONValue] = sim.cuts.map { .array([.string($0.from.description), .string($0.to.description)]) }
        return .object([("step", .int(sim.step)), ("tick", .int(sim.tick)), ("partition", partition),
                        ("cuts", .array(cuts)), ("replicas", .array(replicas))])
    }

    /// JSON that is safe inside `<script>`: `<` as `\u003c` (no `</script>`, no `<!--`), and the two
    /// line separators JavaScript once refused in string literals escaped too.
    static func scriptSafe(_ json: String) -> String {
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
