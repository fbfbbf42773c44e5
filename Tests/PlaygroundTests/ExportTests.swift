import Foundation
import RegexBuilder
import Testing
import PaxosCore
import PaxosSimulation
@testable import PaxosPlayground

/// `export mermaid|html|jsonl FILE`: the trace is data, and these are views of it. The Mermaid diagram
/// follows the sequence-diagram grammar; the HTML page embeds exactly the trace and loads nothing from
/// the network; the JSON Lines are the `--trace-jsonl` bytes.
@Suite struct ExportTests {
    final class Transcript {
        var lines: [String] = []
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var exampleNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Examples").path)) ?? []
        return names.filter { $0.hasSuffix(".pxs") }.sorted()
    }

    static func session(_ script: String) -> (Session, Transcript) {
        let transcript = Transcript()
        let session = Session(write: { transcript.lines.append($0) })
        for line in script.split(separator: "\n") { session.execute(String(line)) }
        transcript.lines = []
        return (session, transcript)
    }

    static func example(_ name: String) throws -> Session {
        let script = try String(contentsOf: root.appendingPathComponent("Examples/\(name)"), encoding: .utf8)
        let session = Session(write: { _ in })
        _ = ScriptRunner.run(script, name: name, in: session)
        return session
    }

    /// A fresh path in a fresh temporary directory.
    static func temporaryFile(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("export-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    // MARK: - Mermaid

    /// The exact diagram of a tiny run: a delivered propose, one still in flight, a vote in flight.
    @Test func mermaidOfATinyRunIsExact() {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep 2")
        let text = MermaidRenderer(replicaCount: 3).render(session.trace)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
            "sequenceDiagram",
            "    participant client",
            "    participant n1",
            "    participant n2",
            "    participant n3",
            #"    client->>n1: [1] §2(1) transaction №1 {"type": "transaction", "redo_log": ["x=1"]}"#,
            "    Note over client,n1: client sends t1 to n1: n1 leads with the highest ballot (1.n1)",
            #"    n1->>n2: [2] §2(2) propose №2 {"proposal_id": 1, "ballot": "1.n1", "redo_log": ["x=1"]}"#,
            #"    n1-)n3: [2] §2(2) propose №3 {"proposal_id": 1, "ballot": "1.n1", "redo_log": ["x=1"]} (in flight)"#,
            "    Note over n1,n3: n1 executes t1, appends it at index 1 and proposes it under ballot 1.n1 to every replica, itself included",
            #"    n2-)n1: [3] §2(3) vote №4 {"vote": "accept", "proposal_id": 1, "ballot": "1.n1"} (in flight)"#,
            "    Note over n1,n2: n2 accepts proposal 1: ballot 1.n1 is not below its promise 1.n1, index 1 follows its log",
            "",
        ])
    }

    /// Lost messages are crossed arrows, and faults are notes over the replicas they concern.
    @Test func mermaidShowsLostMessagesAndFaultsAsNotes() {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep\nduplicate 3\ndrop 3\ncrash n2\nstep\npartition n1 | n2 n3\nheal\nrestart n2")
        let lines = MermaidRenderer(replicaCount: 3).render(session.trace).split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(#"    n1-xn3: [2] §2(2) propose №3 "#) })
        #expect(lines.contains { $0.hasPrefix(#"    n1-xn2: [2] §2(2) propose №2 "#) })
        #expect(lines.contains(#"    n1--)n3: [3] fault duplicate №4 (in flight)"#))
        #expect(lines.contains(#"    Note over n1,n3: message №3 (propose n1 → n3) is duplicated as №4"#))
        #expect(lines.contains(#"    Note over n1,n3: [4] ✗ lost №3<br/>message №3 (propose n1 → n3) is lost"#))
        #expect(lines.contains(#"    Note over n2: [5] ✗ crash<br/>n2 crashes: its log, ballot and data survive — its role, timers and queues are lost"#))
        #expect(lines.contains(#"    Note over n1,n2: [6] ✗ lost №2<br/>propose n1 → n2 is lost: n2 is down"#))
        #expect(lines.contains(#"    Note over n1,n3: [7] fault partition {"groups": [["n1"], ["n2", "n3"]]}<br/>the network splits into n1 | n2 n3: messages between groups are lost"#))
        #expect(lines.contains("    Note over n1,n3: [8] fault heal<br/>the network is whole again"))
        #expect(lines.contains("    Note over n2: [9] ↻ restart<br/>n2 restarts as a follower with its log and ballot (1.n1)"))
        #expect(Self.mermaidProblems(lines.joined(separator: "\n") + "\n", replicas: 3).isEmpty)
    }

    /// Every example's diagram follows the sequence-diagram grammar: header, declared participants,
    /// arrows and notes between declared participants, balanced `rect … end`, and no raw character that
    /// Mermaid reads as syntax in a label. The unsafe example's violations are red rects.
    @Test(arguments: exampleNames)
    func mermaidOfEveryExampleIsValid(_ name: String) throws {
        let session = try Self.example(name)
        let text = MermaidRenderer(replicaCount: session.simulation.config.replicaCount).render(session.trace)
        let problems = Self.mermaidProblems(text, replicas: session.simulation.config.replicaCount)
        #expect(problems.isEmpty, "\(name): \(problems.prefix(5).joined(separator: "\n"))")
        let statements = text.split(separator: "\n").count - 1 - (session.simulation.config.replicaCount + 1)
        #expect(statements >= session.trace.count, "every event is an arrow or a note")
        if name.contains("unsafe") {
            #expect(text.contains("    rect rgb(255, 221, 221)\n    Note over "))
        }
    }

    @Test func mermaidEscapesWhatItsGrammarReads() {
        #expect(MermaidRenderer.escape(#"a; b#c"d%e%%f<g>h&i"#) == "a — b№c\"d%e%\u{200B}%f‹g›h＆i")
        #expect(MermaidRenderer.escape("line\nbreak") == "line break")
    }

    /// The sequence-diagram grammar (mermaid's sequenceDiagram.jison) for the statements the renderer
    /// writes; returns one line per problem.
    static func mermaidProblems(_ text: String, replicas: Int) -> [String] {
        var problems: [String] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.last == "" else { return ["the text does not end with a newline"] }
        lines.removeLast()
        guard lines.first == "sequenceDiagram" else { return ["the first line is not sequenceDiagram"] }
        let expected = ["client"] + (1...replicas).map { "n\($0)" }
        let declared = lines.dropFirst().prefix { $0.hasPrefix("    participant ") }.map { String($0.dropFirst("    participant ".count)) }
        if declared != expected { problems.append("participants \(declared), expected \(expected)") }
        let actor = /[A-Za-z0-9_]+/
        let arrow = Regex {
            "    "; Capture(actor); Capture(ChoiceOf { "-->>"; "->>"; "--x"; "-x"; "--)"; "-)" }); Capture(actor); ": "
            Capture(OneOrMore(.any))
        }
        let note = Regex {
            "    Note over "; Capture(actor); Optionally { ","; Capture(actor) }; ": "; Capture(OneOrMore(.any))
        }
        let rect = /[ ]{4}rect rgb\(\d{1,3}, \d{1,3}, \d{1,3}\)/
        var depth = 0
        for (number, line) in lines.enumerated().dropFirst(1 + declared.count) {
            let label: Substring
            if let m = line.wholeMatch(of: arrow) {
                for name in [m.output.1, m.output.3] where !declared.contains(String(name)) {
                    problems.append("line \(number + 1): undeclared participant \(name)")
                }
                label = m.output.4
            } else if let m = line.wholeMatch(of: note) {
                for name in [m.output.1] + [m.output.2].compactMap({ $0 }) where !declared.contains(String(name)) {
                    problems.append("line \(number + 1): undeclared participant \(name)")
                }
                label = m.output.3
            } else if line.wholeMatch(of: rect) != nil {
                depth += 1
                continue
            } else if line == "    end" {
                depth -= 1
                if depth < 0 { problems.append("line \(number + 1): end without rect") }
                continue
            } else {
                problems.append("line \(number + 1): not a statement: \(line)")
                continue
            }
            // Line breaks (<br/>) are the only markup; nothing else the grammar reads as syntax.
            let bare = String(label).replacing("<br/>", with: "")
            if let bad = bare.unicodeScalars.first(where: { "#;<>&\n".unicodeScalars.contains($0) }) ?? (bare.contains("%%") ? "%" : nil) {
                problems.append("line \(number + 1): raw '\(bad)' in a label: \(line)")
            }
            if label.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("line \(number + 1): empty label") }
        }
        if depth != 0 { problems.append("\(depth) rect without end") }
        return problems
    }

    // MARK: - HTML

    /// The page's data, parsed back out of its one `const PLAYGROUND = …;` line.
    static func embeddedData(_ page: String) throws -> [String: Any] {
        let lines = page.split(separator: "\n").filter { $0.hasPrefix("const PLAYGROUND = ") }
        try #require(lines.count == 1)
        let json = try #require(lines.first).dropFirst("const PLAYGROUND = ".count).dropLast()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return try #require(object as? [String: Any])
    }

    /// One JSON value in a canonical form (sorted keys), to compare parsed values.
    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    @Test(arguments: ["04-leader-failure-priority.pxs", "08-partition-and-heal.pxs", "09-unsafe-recovery-off.pxs"])
    func htmlEmbedsExactlyTheTrace(_ name: String) throws {
        let session = try Self.example(name)
        let path = try Self.temporaryFile("run.html")
        session.execute("export html \(path)")
        let page = try String(contentsOfFile: path, encoding: .utf8)
        let data = try Self.embeddedData(page)

        let events = try #require(data["events"] as? [Any])
        // Every event but the leader's own proposal and vote, which no view draws.
        let shown = session.trace.filter { !$0.isLeadersOwnMessage }
        #expect(shown.count < session.trace.count)
        let trace = try shown.map { try JSONSerialization.jsonObject(with: Data($0.jsonLine.utf8)) }
        #expect(events.count == shown.count)
        #expect(try events.map(Self.canonical) == trace.map(Self.canonical))
        #expect(data["title"] as? String == "run · election \(session.simulation.policies.electionName), commit \(session.simulation.policies.commitName), seed 1")
        #expect(data["replicas"] as? [String] == ["n1", "n2", "n3"])

        // One snapshot at step 0, then one after every step, as differences; the last is the cluster as it is now.
        #expect(data["snapshot_encoding"] as? String == "delta")
        let snapshots = try Self.expand(try #require(data["snapshots"] as? [[String: Any]]))
        #expect(snapshots.map { $0["step"] as? Int } == (0...session.simulation.step).map { $0 })
        #expect(try Self.canonical(try #require(snapshots.last)) == Self.canonical(Self.parsed(SnapshotEncoder.whole(session.simulation))))
        let last = try #require(snapshots.last?["replicas"] as? [[String: Any]])
        #expect(last.map { $0["commit"] as? Int } == session.simulation.replicas.map(\.commitIndex))
        #expect(last.map { $0["applied"] as? Int } == session.simulation.replicas.map(\.appliedIndex))
        #expect(last.map { $0["alive"] as? Bool } == session.simulation.replicas.map { session.simulation.isAlive($0.id) })
        #expect(last.map { $0["ballot"] as? String } == session.simulation.replicas.map(\.promised.description))
        #expect(last.map { ($0["log"] as? [Any])?.count } == session.simulation.replicas.map(\.log.entries.count))
    }

    @Test func htmlSnapshotsShowPartitionsCutsAndLogs() throws {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun\npartition n1 | n2 n3\ncut n2 n3")
        let shots = session.snapshots()
        #expect(shots.count == session.simulation.step + 1)
        #expect(SnapshotEncoder.whole(session.simulation).rendered == #"{"step": 12, "tick": 0, "partition": [["n1"], ["n2", "n3"]], "cuts": [["n2", "n3"]], "replicas": [{"id": "n1", "role": "leader", "ballot": "1.n1", "alive": true, "commit": 1, "applied": 1, "log_start": 2, "log": [], "data": {"x": "1"}}, {"id": "n2", "role": "follower", "ballot": "1.n1", "alive": true, "commit": 1, "applied": 1, "log_start": 1, "log": [{"index": 1, "ballot": "1.n1", "status": "applied", "redo": ["x=1"]}], "data": {"x": "1"}}, {"id": "n3", "role": "follower", "ballot": "1.n1", "alive": true, "commit": 1, "applied": 1, "log_start": 1, "log": [{"index": 1, "ballot": "1.n1", "status": "applied", "redo": ["x=1"]}], "data": {"x": "1"}}]}"#)
        #expect(shots.first?.rendered.hasPrefix(#"{"step": 0, "tick": 0, "partition": null, "cuts": [], "replicas": [{"id": "n1", "role": "leader""#) == true)
        // The partition and the cut are differences of their own steps; the last step (the cut) names only it.
        #expect(shots[11].rendered == #"{"step": 11, "tick": 0, "partition": [["n1"], ["n2", "n3"]]}"#)
        #expect(shots[12].rendered == #"{"step": 12, "tick": 0, "cuts": [["n2", "n3"]]}"#)
        // Step 4: n3 accepts the proposal; nothing else changed.
        #expect(shots[4].rendered == #"{"step": 4, "tick": 0, "replicas": [{"id": "n3", "log_set": [{"index": 1, "ballot": "1.n1", "status": "accepted", "redo": ["x=1"]}]}]}"#)
    }

    /// The differences rebuild every state exactly, however many steps apart (here a command's worth:
    /// `run`, a crash, a recovery, an overwrite, a cleanup), in every example.
    @Test(arguments: exampleNames)
    func snapshotDifferencesRebuildEveryState(_ name: String) throws {
        let script = try String(contentsOf: Self.root.appendingPathComponent("Examples/\(name)"), encoding: .utf8)
        let session = Session(write: { _ in })
        var encoder = SnapshotEncoder()
        var encoded: [[String: Any]] = []
        var wholes: [String] = []
        for line in script.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("cluster") {
            _ = session.execute(String(line))
            encoded.append(try Self.parsed(encoder.encode(session.simulation)))
            wholes.append(try Self.canonical(Self.parsed(SnapshotEncoder.whole(session.simulation))))
        }
        let rebuilt = try Self.expand(encoded).map(Self.canonical)
        #expect(rebuilt.count == wholes.count)
        for (k, (a, b)) in zip(rebuilt, wholes).enumerated() where a != b {
            Issue.record("\(name): snapshot \(k) rebuilt as \(a), is \(b)")
            break
        }
    }

    /// 1,000 transactions: the page is a few MB, and each difference after the first is a few hundred bytes.
    @Test func htmlGrowsWithTheRunNotItsSquare() throws {
        let script = "cluster 3 leader n1\n" + (1...1_000).map { "submit k\($0)=\($0)\nrun" }.joined(separator: "\n")
        let (session, _) = Self.session(script)
        let shots = session.snapshots()
        #expect(shots.count == 10_001)
        let sizes = shots.dropFirst().map { $0.rendered.utf8.count }
        #expect(sizes.max() ?? 0 < 400, "the largest difference: \(sizes.max() ?? 0) bytes")
        let path = try Self.temporaryFile("big.html")
        session.execute("export html \(path)")
        let bytes = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(bytes < 6_000_000, "\(bytes) bytes")
    }

    static func parsed(_ value: JSONValue) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(value.rendered.utf8)) as? [String: Any])
    }

    /// The snapshots in full, rebuilt from the differences as the page does (`expandSnapshots` in
    /// `spacetime.html`).
    static func expand(_ raw: [[String: Any]]) throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        for delta in raw {
            guard var snap = out.last else { out.append(delta); continue }
            snap["step"] = delta["step"]
            snap["tick"] = delta["tick"]
            for field in ["partition", "cuts"] where delta.keys.contains(field) { snap[field] = delta[field] }
            var replicas = try #require(snap["replicas"] as? [[String: Any]])
            for change in delta["replicas"] as? [[String: Any]] ?? [] {
                let k = try #require(replicas.firstIndex { $0["id"] as? String == change["id"] as? String })
                var r = replicas[k]
                for field in ["role", "ballot", "alive", "commit", "applied", "log_start"] where change.keys.contains(field) {
                    r[field] = change[field]
                }
                var log = Dictionary(uniqueKeysWithValues: (r["log"] as? [[String: Any]] ?? []).map { ($0["index"] as? Int ?? 0, $0) })
                for index in change["log_del"] as? [Int] ?? [] { log[index] = nil }
                for entry in change["log_set"] as? [[String: Any]] ?? [] { log[entry["index"] as? Int ?? 0] = entry }
                let start = r["log_start"] as? Int ?? 1
                r["log"] = log.keys.filter { $0 >= start }.sorted().compactMap { log[$0] }
                var data = r["data"] as? [String: Any] ?? [:]
                for key in change["data_del"] as? [String] ?? [] { data[key] = nil }
                for (key, value) in change["data_set"] as? [String: Any] ?? [:] { data[key] = value }
                r["data"] = data
                replicas[k] = r
            }
            snap["replicas"] = replicas
            out.append(snap)
        }
        return out
    }

    /// Self-contained: no script, style, font or image from the network, and no `</script>` inside the data.
    @Test func htmlLoadsNothingFromTheNetwork() throws {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit k=</script><script>alert(1)</script>\nrun")
        let path = try Self.temporaryFile("x.html")
        session.execute("export html \(path)")
        let page = try String(contentsOfFile: path, encoding: .utf8)
        for pattern in ["src=\"http", "src='http", "href=\"http", "href='http", "@import", "url(http", "url(\"http", "url('http", "//cdn"] {
            #expect(!page.contains(pattern), "the page loads \(pattern)…")
        }
        #expect(!page.contains(HTMLRenderer.marker))
        let data = try #require(page.split(separator: "\n").first { $0.hasPrefix("const PLAYGROUND = ") })
        #expect(!data.contains("<"))
        #expect(data.contains(#"k=\u003c/script>\u003cscript>alert(1)\u003c/script>"#))
        #expect(page.components(separatedBy: "</script>").count == HTMLRenderer.template.components(separatedBy: "</script>").count)
        let embedded = try Self.embeddedData(page)
        #expect((embedded["events"] as? [Any])?.count == session.trace.count - 2)
    }

    @Test func htmlReplacesOnlyTheMarkerLine() throws {
        let template = HTMLRenderer.template
        let page = try #require(HTMLRenderer.page(data: .object([("events", .array([]))])))
        let (t, p) = (template.split(separator: "\n", omittingEmptySubsequences: false), page.split(separator: "\n", omittingEmptySubsequences: false))
        #expect(t.count == p.count)
        #expect(zip(t, p).filter { $0 != $1 }.map { String($0.1) } == [#"const PLAYGROUND = {"events": []};"#])
        #expect(HTMLRenderer.page(data: .null, template: "<html></html>") == nil)
    }

    // MARK: - JSON Lines and the command

    @Test func jsonlIsTheTraceJSONLinesBytes() throws {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1 y=2\nrun\ncrash n2")
        let path = try Self.temporaryFile("trace.jsonl")
        #expect(session.execute("export jsonl \(path)") == .ok)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(session.traceJSONLines.utf8))
        #expect(transcript.lines == ["wrote the trace (\(session.trace.count) events) as JSON Lines to \(path)"])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == session.trace.count)
        #expect(lines.first == #"{"step": 1, "tick": 0, "phase": "transaction", "kind": "transaction", "from": "client", "to": "n1", "payload": {"type": "transaction", "redo_log": ["x=1", "y=2"]}, "note": "client sends t1 to n1: n1 leads with the highest ballot (1.n1)", "id": 1}"#)
    }

    /// Under `async` a delivered commit queues an apply event: the trace names it as `queued` (not `id`,
    /// which is a message's: the page and the diagrams draw no arrow for it), and the apply names it as cause.
    @Test func aQueuedApplyIsNamedWhereItIsQueued() throws {
        let (session, _) = Self.session("cluster 3 leader n1\ncommit async\nsubmit x=1\nrun until committed 1\ndeliver 6")
        let lines = session.traceJSONLines.split(separator: "\n").map(String.init)
        let queuing = try #require(lines.first { $0.contains("\"queued\"") })
        #expect(queuing.hasSuffix(#""note": "n2 knows 1 is committed; applying 1 is an event of its own (apply n2)", "queued": 8, "cause": 6}"#))
        #expect(!queuing.contains("\"id\""))
        #expect(session.execute("apply n2") == .ok)
        #expect(session.traceJSONLines.split(separator: "\n").last?.hasSuffix("\"cause\": 8}") == true)
        #expect(FlowRenderer(color: false).render(session.trace).contains { $0.hasSuffix("→ #8  (#6 delivered)") })
        let page = HTMLRenderer.data(title: "t", replicaCount: 3, events: session.trace, snapshots: []).rendered
        #expect(page.contains(#""queued": 8, "cause": 6}"#), "the page's card names the apply event the commit queued")
        let mermaid = MermaidRenderer(replicaCount: 3).render(session.trace).split(separator: "\n")
        #expect(mermaid.filter { $0.contains("№8") } == ["    Note over n2: [7] §2(4) apply (on №8) {\"proposal_id\": 1, \"redo_log\": [\"x=1\"]}<br/>n2 applies 1 in its own apply event (async), the next committed entry in index order"])
    }

    /// §2(2) and §2(3): the leader's proposal to itself and its own vote are in the trace, as events from
    /// the leader to itself with no message id, and in no view: not the flow, the Mermaid diagram or the page.
    @Test func theLeadersOwnProposalAndVoteAreInTheTraceOnly() throws {
        let (session, _) = Self.session("cluster 3 leader n1\nsubmit x=1\nstep")
        let own = session.trace.filter(\.isLeadersOwnMessage)
        #expect(own.map(\.jsonLine) == [
            #"{"step": 2, "tick": 0, "phase": "propose", "kind": "propose", "from": "n1", "to": "n1", "payload": {"proposal_id": 1, "ballot": "1.n1", "redo_log": ["x=1"]}, "note": "n1 is one of the acceptors: its proposal 1 under 1.n1 reaches itself without the network", "cause": 1}"#,
            #"{"step": 2, "tick": 0, "phase": "vote", "kind": "vote", "from": "n1", "to": "n1", "payload": {"vote": "accept", "proposal_id": 1, "ballot": "1.n1"}, "note": "n1 accepts its own proposal 1 under 1.n1: its vote counts toward the majority", "cause": 1}"#,
        ])
        #expect(session.traceJSONLines.split(separator: "\n").filter { $0.contains("\"to\": \"n1\", \"payload\": {\"") && $0.contains("\"from\": \"n1\"") }.count == 2)
        let flow = FlowRenderer(color: false).render(session.trace)
        #expect(flow.count == 4 && !flow.joined().contains("itself without") && !flow.joined().contains("its own proposal"))
        #expect(!MermaidRenderer(replicaCount: 3).render(session.trace).contains("its own proposal"))
        let page = HTMLRenderer.data(title: "t", replicaCount: 3, events: session.trace, snapshots: []).rendered
        #expect(!page.contains("its own proposal") && !page.contains("reaches itself"))
    }

    @Test func exportSaysWhatItWroteAndChangesNothing() throws {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1\nrun")
        let before = (session.trace, session.simulation.step, session.journal)
        let mermaid = try Self.temporaryFile("run.mmd")
        let html = try Self.temporaryFile("run.html")
        session.execute("export mermaid \(mermaid)")
        session.execute("export html \(html)")
        // 17 events in the trace; the diagrams leave out the leader's proposal to itself and its own vote, and
        // say how many they draw (outside audit, round 4: they said 17).
        #expect(before.0.count == 17 && before.0.filter(\.isLeadersOwnMessage).count == 2)
        #expect(transcript.lines == [
            "wrote a Mermaid sequence diagram of 15 events to \(mermaid)",
            "wrote a space-time diagram of 15 events and \(before.1 + 1) snapshots (open it in a browser) to \(html)",
        ])
        #expect(session.trace == before.0 && session.simulation.step == before.1 && session.journal == before.2)
        #expect(try String(contentsOfFile: mermaid, encoding: .utf8) == MermaidRenderer(replicaCount: 3).render(session.trace))
    }

    @Test func exportToAMissingDirectoryIsAnError() {
        let (session, transcript) = Self.session("cluster 3 leader n1\nsubmit x=1")
        let outcome = session.execute("export jsonl /no/such/dir/trace.jsonl")
        #expect(outcome == .error("cannot write /no/such/dir/trace.jsonl: there is no directory /no/such/dir; create it first or choose another path"))
        #expect(transcript.lines == ["error: cannot write /no/such/dir/trace.jsonl: there is no directory /no/such/dir; create it first or choose another path"])
    }

    /// The trace and the model's state are typed facts: after every example, no String is found in any trace
    /// event or in the simulation (replicas, network, monitor), except the user's own keys and values
    /// (redo records, data) and an election policy's own words for a refusal. The words are rendered in the
    /// playground (`Annotations.swift`, `Payloads.swift`).
    @Test(arguments: exampleNames)
    func traceAndStateHoldNoText(_ name: String) throws {
        let session = try Self.example(name)
        #expect(!session.trace.isEmpty)
        var found: [String] = []
        for event in session.trace { Self.strings(in: event, path: "step \(event.step) \(event.kind)", into: &found) }
        Self.strings(in: session.simulation, path: "simulation", into: &found)
        #expect(found.isEmpty, "\(name): \(found.prefix(3))")
    }

    /// Every String reachable from `value`, with where it was found; user data and policy words are skipped.
    static func strings(in value: Any, path: String, into found: inout [String]) {
        switch value {
        case let text as String: found.append("\(path) = \(text)")
        case is RedoRecord, is KeyValueData, is Policies: return
        case let refusal as Refusal:
            if case .policy = refusal { return }
            fallthrough
        default:
            for child in Mirror(reflecting: value).children {
                strings(in: child.value, path: path + "." + (child.label ?? "_"), into: &found)
            }
        }
    }
}
