import Testing
import PaxosCore
import PaxosSimulation
@testable import PaxosPlayground

/// Interactive speed without a change of behaviour: `undo` from a checkpoint leaves exactly the world a
/// replay from the start makes, and the output after it is the same; `compare` acts on the message each
/// line named as the replay of the session did; the exports' byte-level writers give the bytes the
/// character-level ones gave.
@Suite struct CheckpointTests {
    final class Transcript {
        var lines: [String] = []
    }

    /// Seeded random command lines, each made for the world as it is (messages in flight, replicas up or
    /// down); some fail, as typed lines do, and change nothing.
    struct Lines {
        var random: SplitMix64
        var undos = true

        init(seed: UInt64) { random = SplitMix64(seed: seed) }

        mutating func next(for session: Session) -> String {
            let sim = session.simulation
            let n = sim.config.replicaCount
            let replica = ReplicaID(1 + random.next(below: n))
            let other = ReplicaID(1 + (replica.number % n))
            let flying = sim.inFlight
            let message = flying.isEmpty ? 99 : flying[random.next(below: flying.count)].id
            switch random.next(below: 100) {
            case 0..<22: return "submit k\(random.next(below: 9))=v\(random.next(below: 1000))"
            case 22..<45: return "step \(1 + random.next(below: 12))"
            case 45..<57: return "tick \(1 + random.next(below: 3))"
            case 57..<63: return "deliver \(message)"
            case 63..<66: return "drop \(message)"
            case 66..<68: return "duplicate \(message)"
            case 68..<71: return sim.isAlive(replica) ? "crash \(replica)" : "restart \(replica)"
            case 71..<73: return sim.partition == nil ? "partition \(replica) | \(other)" : "heal"
            case 73..<75: return "cut \(replica) \(other)"
            case 75..<76: return "uncut \(replica) \(other)"
            case 76..<78: return "timeout \(replica)"
            case 78..<82: return "run until quiet"
            case 82..<85: return "run for \(1 + random.next(below: 4))"
            case 85..<88: return undos ? "undo \(1 + random.next(below: 4))" : "tick"
            case 88..<90: return ["election priority", "election longest-term", "election randomized"][random.next(below: 3)]
            case 90..<92: return ["commit sync", "commit async"][random.next(below: 2)]
            case 92..<93: return "priority \(replica) \(random.next(below: 5))"
            case 93..<95: return "set batch \(1 + random.next(below: 3))"
            case 95..<96: return "set timeout \(3 + random.next(below: 5))"
            case 96..<97: return "apply \(replica)"
            default: return "show"
            }
        }
    }

    static func session(_ transcript: Transcript) -> Session {
        let session = Session(write: { transcript.lines.append($0) })
        session.execute("cluster 3 leader n1")
        return session
    }

    /// A session of random lines without `undo`, until its journal holds `entries` entries.
    static func session(_ transcript: Transcript, undoFree entries: Int, seed: UInt64) -> Session {
        let session = Self.session(transcript)
        var lines = Lines(seed: seed)
        lines.undos = false
        while session.journal.count < entries { session.execute(lines.next(for: session)) }
        return session
    }

    /// The world a replay of `session`'s journal from the start makes, in a fresh session.
    static func replayedFromTheStart(_ session: Session, _ transcript: Transcript) -> Session {
        let fresh = Session(write: { transcript.lines.append($0) })
        fresh.replay(session.journal)
        return fresh
    }

    /// Every part of the world, compared: the simulation field by field (its policies by name), the trace,
    /// the journal and the policies' names.
    static func differences(_ a: Session, _ b: Session) -> [String] {
        let (x, y) = (a.simulation, b.simulation)
        let checks: [(String, Bool)] = [
            ("replicas", x.replicas == y.replicas), ("alive", x.alive == y.alive), ("network", x.network == y.network),
            ("step", x.step == y.step), ("tick", x.tick == y.tick), ("monitor", x.monitor == y.monitor),
            ("client", x.client == y.client), ("forgotten", x.forgottenThrough == y.forgottenThrough),
            ("config", x.config == y.config), ("seed", x.seed == y.seed),
            ("election policy", type(of: x.policies.election).name == type(of: y.policies.election).name),
            ("commit policy", type(of: x.policies.commit).name == type(of: y.policies.commit).name),
            ("trace", a.trace == b.trace), ("journal", a.journal == b.journal),
            ("names", a.electionName == b.electionName && a.commitName == b.commitName),
        ]
        return checks.filter { !$0.1 }.map(\.0)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func undoFromACheckpointMakesTheWorldAReplayFromTheStartMakes(seed: UInt64) {
        let (mine, theirs) = (Transcript(), Transcript())
        let session = Self.session(mine)
        var lines = Lines(seed: seed)
        var random = SplitMix64(seed: seed &+ 100)
        var checked = 0
        for round in 0..<12 {
            // Enough lines that the journal holds two checkpoints or more before the undo.
            for _ in 0..<50 { session.execute(lines.next(for: session)) }
            let length = 2 * Session.Checkpoint.spacing + random.next(below: 400)
            while session.journal.count < length { session.execute(lines.next(for: session)) }
            let before = session.checkpoints.count
            #expect(before >= 2)
            let count = [1, 5, 63, 64, 65, 256, 257, 600][random.next(below: 8)]
            #expect(session.execute("undo \(count)") == .ok, "round \(round): undo \(count)")
            #expect(session.checkpoints.count <= before)
            let positions = session.checkpoints.map(\.journalCount)
            #expect(positions == positions.sorted() && Set(positions).count == positions.count)
            #expect(positions.allSatisfy { $0 % Session.Checkpoint.spacing == 0 && $0 <= session.journal.count })
            let fresh = Self.replayedFromTheStart(session, theirs)
            #expect(Self.differences(session, fresh) == [], "seed \(seed), round \(round): after undo \(count)")
            // The same lines after it print the same, and leave the same world.
            mine.lines = []
            theirs.lines = []
            for _ in 0..<40 {
                let line = lines.next(for: session)
                #expect(session.execute(line) == fresh.execute(line), "seed \(seed), round \(round): \(line)")
            }
            #expect(mine.lines == theirs.lines, "seed \(seed), round \(round): the output after undo \(count)")
            #expect(Self.differences(session, fresh) == [], "seed \(seed), round \(round): 40 lines after undo \(count)")
            checked += 1
        }
        #expect(checked == 12)
    }

    @Test func aCheckpointIsTheWorldTheJournalBeforeItMakes() {
        let session = Self.session(Transcript(), undoFree: 3 * Session.Checkpoint.spacing + 10, seed: 7)
        #expect(session.checkpoints.count == 3)
        for checkpoint in session.checkpoints {
            let fresh = Session(write: { _ in })
            fresh.replay(Array(session.journal[..<checkpoint.journalCount]))
            let copy = Session(write: { _ in })
            copy.replay(Array(session.journal[..<checkpoint.journalCount]))
            copy.simulation = checkpoint.simulation
            (copy.electionName, copy.commitName) = (checkpoint.electionName, checkpoint.commitName)
            #expect(Self.differences(copy, fresh) == [])
            #expect(checkpoint.traceCount == fresh.trace.count)
        }
        session.execute("cluster 3")
        #expect(session.checkpoints.isEmpty, "a new cluster starts a new journal, and its checkpoints")
    }

    /// A replica down for good: the others' logs are never cleaned and the world grows with the session.
    /// The older checkpoints are thinned so that they hold at most ``Session/Checkpoint/elementsPerEntry``
    /// elements per journal entry; the recent ones stay; `undo` still makes the world of a replay.
    @Test func aGrowingWorldKeepsFewerOlderCheckpoints() {
        let session = Self.session(Transcript())
        session.execute("crash n3")
        var k = 0
        while session.journal.count < (Session.Checkpoint.recent + 8) * Session.Checkpoint.spacing {
            session.execute("submit k\(k % 50)=v\(k)")
            session.execute("run until quiet")
            k += 1
        }
        let checkpoints = session.checkpoints
        let spacing = Session.Checkpoint.spacing
        let last = session.journal.count / spacing * spacing
        let recent = (0..<Session.Checkpoint.recent).map { last - $0 * spacing }.reversed()
        #expect(checkpoints.suffix(Session.Checkpoint.recent).map(\.journalCount) == Array(recent))
        let older = checkpoints.dropLast(Session.Checkpoint.recent)
        #expect(older.count < 8, "the world outgrew 4 elements an entry: some were dropped")
        var before = 0
        for checkpoint in older {
            #expect(checkpoint.size <= Session.Checkpoint.elementsPerEntry * (checkpoint.journalCount - before))
            before = checkpoint.journalCount
        }
        #expect(session.execute("undo 2000") == .ok)
        #expect(Self.differences(session, Self.replayedFromTheStart(session, Transcript())) == [])
    }

    /// A world that outgrows ``Session/Checkpoint/elementsCopiedPerEntry`` elements per spacing is copied
    /// further apart: every checkpoint copied at most that many elements per journal entry since the one
    /// before it, so copying the world stays in proportion to the session; `undo` still makes the world of
    /// a replay.
    @Test func aLargeWorldIsCopiedFurtherApart() {
        let session = Self.session(Transcript())
        session.execute("crash n3")
        let (spacing, perEntry) = (Session.Checkpoint.spacing, Session.Checkpoint.elementsCopiedPerEntry)
        var k = 0
        while Session.Checkpoint.size(of: session.simulation) < 3 * perEntry * spacing {
            session.execute("submit k\(k)=v\(k)")
            session.execute("run until quiet")
            k += 1
        }
        let positions = session.checkpoints.map(\.journalCount)
        let gaps = zip([0] + positions, positions).map { $1 - $0 }
        #expect(gaps.contains { $0 > spacing }, "the world outgrew \(perEntry) elements an entry: some spacings were skipped")
        for (gap, checkpoint) in zip(gaps, session.checkpoints) {
            #expect(checkpoint.journalCount % spacing == 0)
            #expect(checkpoint.size <= perEntry * gap, "at entry \(checkpoint.journalCount)")
        }
        #expect(session.execute("undo 500") == .ok)
        #expect(Self.differences(session, Self.replayedFromTheStart(session, Transcript())) == [])
    }

    @Test func undoFromACheckpointStoppedByCtrlCChangesNothing() {
        let transcript = Transcript()
        let session = Self.session(transcript, undoFree: 2 * Session.Checkpoint.spacing + 100, seed: 11)
        let (simulation, trace, journal) = (session.simulation, session.trace, session.journal)
        let checkpoints = session.checkpoints.map(\.journalCount)
        let reference = Self.replayedFromTheStart(session, Transcript())
        session.interrupted = { true }
        transcript.lines = []
        #expect(session.execute("undo 3") == .interrupted)
        #expect(transcript.lines == ["undo stopped by Ctrl-C while it replayed the session: nothing changed; undo 3 goes on"])
        #expect(session.trace == trace)
        #expect(session.journal == journal)
        #expect(session.simulation.replicas == simulation.replicas && session.simulation.network == simulation.network)
        #expect(session.checkpoints.map(\.journalCount) == checkpoints)
        #expect(Self.differences(session, reference) == [])
        session.interrupted = { false }
        #expect(session.execute("undo 3") == .ok)
        #expect(Self.differences(session, Self.replayedFromTheStart(session, Transcript())) == [])
    }

    /// `compare` no longer replays the session to learn which message a `deliver`, `drop` or `duplicate`
    /// line named: the session noted it. What it noted is what such a replay finds.
    @Test(arguments: [4, 5] as [UInt64])
    func theMessageALineNamedIsTheOneAReplayOfTheHistoryFinds(seed: UInt64) {
        let session = Self.session(Transcript())
        var lines = Lines(seed: seed)
        for _ in 0..<600 { session.execute(lines.next(for: session)) }
        let shadow = Session(write: { _ in })
        shadow.replaying = true
        var named = 0
        for (k, line) in session.history.enumerated() {
            guard let command = try? CommandParser.parse(line) else { continue }
            switch command {
            case .deliver(let id), .drop(let id), .duplicate(let id):
                #expect(session.namedMessages[k] == shadow.simulation.inFlight(id), "line \(k + 1): \(line)")
                named += 1
            default:
                #expect(session.namedMessages[k] == nil, "line \(k + 1): \(line)")
            }
            if command.changesWorld { _ = try? shadow.run(command) }
        }
        #expect(named > 20)
    }

    // MARK: - The same bytes

    /// A random text over the characters the writers treat apart, ASCII and not, with combining marks, a
    /// prepended mark, CR LF and controls.
    static func text(_ random: inout SplitMix64) -> String {
        let pieces = ["#", ";", "%", "%%", "&", "<", ">", "\n", "\r", "\r\n", "\"", "\\", "\t", "\u{1}", "\u{1F}",
                      "a", "7", " ", "§", "→", "—", "é", "e\u{301}", "\u{301}", "\u{600}", "\u{200D}", "\u{2028}",
                      "\u{2029}", "👍🏽", "n1 → n2", "{\"id\": 12}"]
        return (0..<random.next(below: 12)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
    }

    @Test func mermaidEscapesByteByByteAsCharacterByCharacter() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<20_000 {
            let text = Self.text(&random)
            #expect(MermaidRenderer.escape(text) == MermaidRenderer.escapeByCharacter(text), "\(Array(text.unicodeScalars))")
        }
        #expect(MermaidRenderer.escape("[3] §2(3) vote #12; 50%% <a> & b\r\nc") == "[3] §2(3) vote №12 — 50%\u{200B}% ‹a› ＆ b\r\nc")
        #expect(MermaidRenderer.escape("#\u{301}x\n#") == "#\u{301}x №")
    }

    /// `text` a scalar at a time, each scalar as `replaced` says, or as it is: the writers as they were.
    static func byScalar(_ text: String, _ replaced: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if let replacement = replaced(scalar) { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// The JSON string writer as it was.
    static func quotedByScalar(_ text: String) -> String {
        let escapes: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"]
        return "\"" + byScalar(text) { scalar in
            if let escape = escapes[scalar] { return escape }
            guard scalar.value < 0x20 else { return nil }
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } + "\""
    }

    /// The `<script>` escape as it was, over the rendered JSON.
    static func scriptSafeByScalar(_ json: String) -> String {
        byScalar(json) { ["<": "\\u003c", "\u{2028}": "\\u2028", "\u{2029}": "\\u2029"][$0] }
    }

    @Test func jsonAndItsScriptSafeFormWriteTheBytesTheScalarWritersWrote() {
        var random = SplitMix64(seed: 5)
        for _ in 0..<20_000 {
            let text = Self.text(&random)
            #expect(JSONValue.string(text).rendered == Self.quotedByScalar(text), "\(Array(text.unicodeScalars))")
            let value = JSONValue.object([(text, .array([.string(text), .int(-3), .null, .bool(true)]))])
            var safe: [UInt8] = []
            value.write(to: &safe, scriptSafe: true)
            #expect(String(decoding: safe, as: UTF8.self) == Self.scriptSafeByScalar(value.rendered), "\(Array(text.unicodeScalars))")
        }
        #expect(JSONValue.string("a\u{1}\u{1F}\"\\\n").rendered == #""a\u0001\u001f\"\\\n""#)
    }

    @Test func integersAreWrittenAsStringWritesThem() {
        var random = SplitMix64(seed: 6)
        let edges = [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.min + 1]
        for value in edges + (0..<2_000).map({ _ in Int(bitPattern: UInt(random.next())) >> Int(random.next() % 64) }) {
            #expect(JSONValue.int(value).rendered == String(value))
        }
    }
}
