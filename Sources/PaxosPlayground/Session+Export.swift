import Foundation
import PaxosCore
import PaxosSimulation

extension Session {
    /// `export mermaid|html|jsonl FILE`: writes the run so far (since the last `cluster`) as a Mermaid
    /// sequence diagram, a self-contained HTML space-time diagram, or the trace as JSON Lines (the same
    /// bytes as `--trace-jsonl`). The session is unchanged.
    func export(_ format: ExportFormat, to typed: String) throws {
        let path = OutputFile.expandingHome(typed)
        try checkWritable(path)
        let text: String
        let what: String
        // The diagrams leave out the leader's proposal to itself and its own vote, as the flow does.
        let drawn = { [trace] in trace.count { !$0.isLeadersOwnMessage } }
        switch format {
        case .jsonl:
            text = traceJSONLines
            what = "the trace (\(count(trace.count, "event"))) as JSON Lines"
        case .mermaid:
            text = MermaidRenderer(replicaCount: simulation.config.replicaCount).render(trace)
            what = "a Mermaid sequence diagram of \(count(drawn(), "event"))"
                + (text.utf16.count > MermaidRenderer.defaultMaxTextSize
                    ? " (\(text.utf16.count) characters: above Mermaid's default maxTextSize of \(MermaidRenderer.defaultMaxTextSize); raise it, or export a shorter run)"
                    : "")
        case .html:
            let shots = snapshots()
            guard !interrupted() else {
                say("export stopped by Ctrl-C while it replayed the session: nothing written; export html \(typed) goes on")
                (historyRewrite, wasInterrupted) = ([], true)
                return
            }
            guard let page = HTMLRenderer.page(data: HTMLRenderer.data(
                title: htmlTitle(for: path), replicaCount: simulation.config.replicaCount, events: trace, snapshots: shots))
            else {
                throw CommandError("the space-time template has no \(HTMLRenderer.marker) line: this build is broken")
            }
            text = page
            what = "a space-time diagram of \(count(drawn(), "event")) and \(count(shots.count, "snapshot")) (open it in a browser)"
        }
        do {
            try writeFile(text, to: path)
        } catch {
            throw CommandError(error.description)
        }
        say("wrote \(what) to \(path)")
    }

    /// The live page's data (``HTMLRenderer/data(title:replicaCount:events:snapshots:)``), as `export html`
    /// writes it, titled `live · election …, commit …, seed …`.
    package func pageData() -> JSONValue {
        HTMLRenderer.data(title: htmlTitle(for: "live"), replicaCount: simulation.config.replicaCount, events: trace,
                          snapshots: snapshots())
    }

    /// Checks, before any work, that `path` can be written (``OutputFile/check(_:)``).
    func checkWritable(_ path: String) throws(CommandError) {
        do {
            try OutputFile.check(path)
        } catch {
            throw CommandError(error.description)
        }
    }

    /// Writes `text` to `path` through the one writer of files (``OutputFile``); with `writesFiles` off,
    /// only checks the path.
    func writeFile(_ text: String, to path: String) throws(OutputFile.Problem) {
        if writesFiles {
            try OutputFile.write(text, to: path)
        } else {
            try OutputFile.check(path)
        }
    }

    /// Writes a script the user did not name (`explore.pxs`, `counterexample.pxs`) without replacing a file
    /// of theirs (``OutputFile/writeUnclaimed(_:marker:checkOnly:text:)``), and says where it went:
    /// `wrote WHAT: PATH`, what it did about a file already there, then `then`. `text` gets the path chosen.
    /// A write that fails is said, not thrown: the result was printed already.
    func writeScript(to path: String, marker: String, what: String, text: (String) -> String,
                     then: (String) -> String = { _ in "" }) {
        do {
            let written = try OutputFile.writeUnclaimed(path, marker: marker, checkOnly: !writesFiles, text: text)
            say("wrote \(what): \(written.path)\(written.note)\(then(written.path))")
        } catch {
            say(InputText.escaped(error.description))
        }
    }

    /// The cluster at step 0 and after every step since the last `cluster`, as the HTML page reads it: the
    /// first whole, the others as differences (``SnapshotEncoder``).
    ///
    /// Built on demand by replaying the journal in a scratch session, so a normal run keeps no copies: its
    /// actions as quiet steps (``Simulation/performQuietly(_:effects:)``, the same step building no trace
    /// events, which the snapshots do not read). Ctrl-C stops it between two steps, with the snapshots so
    /// far (``Session/interrupted`` stays true).
    func snapshots() -> [JSONValue] {
        let scratch = Session(options: options, write: { _ in })
        var shots: [JSONValue] = []
        var encoder = SnapshotEncoder()
        var effects: [Effect] = []
        for (done, entry) in journal.enumerated() {
            if interrupted() { break }
            showProgress(done, "export html: \(done) of \(counted(journal.count, "step")) replayed")
            switch entry {
            case .start:
                scratch.replay([entry])
                encoder = SnapshotEncoder()
                shots = [encoder.encode(scratch.simulation)]
            case .setup: scratch.replay([entry])
            case .action(let action):
                _ = try? scratch.simulation.performQuietly(action, effects: &effects)
                shots.append(encoder.encode(scratch.simulation))
            }
        }
        return shots
    }

    /// `04-leader-failure · election priority, commit sync, seed 1`, from the file's name.
    func htmlTitle(for path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return "\(name) · election \(electionName), commit \(commitName), seed \(options.seed)"
    }

    private func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
