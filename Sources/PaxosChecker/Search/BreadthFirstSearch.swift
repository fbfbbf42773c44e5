import Dispatch
import Foundation
import PaxosSimulation

/// How one step was reached: the index of the state it came from (in the level before) and the step taken.
struct Trail: Sendable {
    var parent: UInt32
    var kind: Transition.Kind
    var argument: UInt32

    var transition: Transition { Transition(kind: kind, argument: Int(argument)) }
}

/// The outcome of a search, before the counterexample is replayed.
struct SearchOutcome: Sendable {
    var verdict: CheckReport.Verdict
    /// The steps to the violation.
    var path: [Transition]?
    var states: Int
    var transitions: Int
    var depth: Int
}

/// A level's states, freed one by one as they are expanded, so that a level being built and the one being
/// expanded do not both stay whole in memory. Each index is read and cleared by the one thread that
/// claimed its chunk.
private final class Frontier: @unchecked Sendable {
    let count: Int
    private let nodes: UnsafeMutablePointer<Node?>

    init(_ array: [Node]) {
        count = array.count
        nodes = .allocate(capacity: max(1, array.count))
        nodes.initialize(repeating: nil, count: max(1, array.count))
        for (index, node) in array.enumerated() { nodes[index] = node }
    }

    deinit {
        nodes.deinitialize(count: max(1, count))
        nodes.deallocate()
    }

    /// The state at `index`, which the frontier lets go of.
    func take(_ index: Int) -> Node? {
        let node = nodes[index]
        nodes[index] = nil
        return node
    }
}

/// A state of the next level, as one path reached it: kept if that path still holds it when the level is
/// done (no path of lower rank reached it).
private struct Candidate: Sendable {
    var rank: UInt64
    var node: Node
    var trail: Trail
}

/// What one chunk of a level produced.
private struct ChunkOutput: Sendable {
    var candidates: [Candidate] = []
    /// The first step of this chunk that broke an invariant: (parent index, step), and its rank.
    var violation: (Int, Transition)?
    var violationRank: UInt64 = .max
    var transitions = 0
}

/// The order a single thread meets paths in: the parent's place in its level, then the step's place among
/// the parent's steps. Threads may meet paths in any order; states and counts follow this one.
private func rank(parent: Int, step: Int) -> UInt64 {
    UInt64(parent) << 24 | UInt64(step)
}

private final class LevelOutputs: @unchecked Sendable {
    let lock = NSLock()
    var chunks: [ChunkOutput?]
    var nextChunk = 0

    init(count: Int) { chunks = Array(repeating: nil, count: count) }

    func claim() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let chunk = nextChunk
        nextChunk += 1
        return chunk
    }

    func store(_ output: ChunkOutput, at index: Int) {
        lock.lock()
        chunks[index] = output
        lock.unlock()
    }
}

/// The chunks of a progress pass, claimed in turn, and the least failing index found.
private final class FirstFound: @unchecked Sendable {
    private let lock = NSLock()
    private var nextChunk = 0
    private(set) var least: Int?

    func claim() -> Int {
        lock.lock()
        defer { lock.unlock() }
        nextChunk += 1
        return nextChunk - 1
    }

    func hasFound(before index: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return least.map { $0 < index } ?? false
    }

    func note(_ index: Int) {
        lock.lock()
        least = min(least ?? index, index)
        lock.unlock()
    }
}

/// Level-synchronous breadth-first search over fingerprints, on several threads.
///
/// Each level's states are split into chunks that the threads claim in turn; every successor is
/// fingerprinted and inserted in the shared ``VisitedSet``. A new state joins the next level with a trail
/// (parent index, step), so a counterexample is rebuilt by walking the trails back: it is a shortest one.
///
/// With the partial-order reduction, each state carries a sleep set (steps already covered by an
/// equivalent reordering), and a state reached at the same level by several paths keeps the intersection
/// of their sleep sets. Sleep sets prune transitions, never states: the states counted are the same.
///
/// Several threads give what one thread gives: a state reached by several paths of one level keeps the
/// copy of the path a single thread would meet first (the least ``rank(parent:step:)``; the copy decides
/// its message ids, so the order of its steps and what sleeps after them), the next level is ordered by
/// rank, and a violation is the first in that order, counted as one thread counts it. So the
/// counterexample, the states and the transitions are the same whatever the threads.
struct BreadthFirstSearch {
    let explorer: Explorer
    let configuration: CheckerConfiguration
    let partialOrder: Bool

    func run(from start: Node, progress: (@Sendable (CheckProgress) -> Void)?) -> SearchOutcome {
        let began = monotonicSeconds()
        let visited = VisitedSet()
        _ = visited.insert(start.fingerprint, level: 0)
        let shared = SearchProgress(states: 1, start: began, configuration: configuration, progress: progress)
        if start.hasViolation {
            return SearchOutcome(verdict: .violated, path: [], states: 1, transitions: 0, depth: 0)
        }
        var frontier = [start]
        var trails: [[Trail]] = [[Trail(parent: .max, kind: .tick, argument: 0)]]
        var level = 0
        let threads = max(1, configuration.threads)
        // What the completed levels counted: the same whatever the threads.
        var statesBefore = 1, transitionsBefore = 0
        let oracles = configuration.progress ? (0..<threads).map { _ in ProgressOracle() } : []

        while !frontier.isEmpty {
            // Progress from every state of this level (the first that fails, in rank order), then its steps.
            let failing = oracles.isEmpty ? nil
                : Self.firstProgressFailure(in: frontier, oracles: oracles, shared: shared, level: level)
            // A limit or Ctrl-C stops the pass between chunks (a level's pass can take seconds): what it found
            // may not be the first failure in rank order, so it proves nothing either way.
            if let reason = shared.stopReason {
                return SearchOutcome(verdict: .incomplete(reason), path: nil, states: shared.states,
                                     transitions: shared.transitions, depth: level)
            }
            if let failing {
                var path: [Transition] = []
                var index = failing
                for depth in stride(from: level, to: 0, by: -1) {
                    let trail = trails[depth][index]
                    path.append(trail.transition)
                    index = Int(trail.parent)
                }
                return SearchOutcome(verdict: .violated, path: path.reversed(), states: statesBefore,
                                     transitions: transitionsBefore, depth: level)
            }
            if let maxDepth = configuration.maxDepth, level >= maxDepth {
                // A state at the depth bound with a step left: runs longer than the bound go unexplored.
                guard frontier.allSatisfy({ explorer.transitions(of: $0).isEmpty }) else {
                    return SearchOutcome(verdict: .verifiedToDepth(maxDepth), path: nil,
                                         states: shared.states, transitions: shared.transitions, depth: level)
                }
                break
            }
            let chunkSize = max(1, min(256, frontier.count / (threads * 8)))
            let chunkCount = (frontier.count + chunkSize - 1) / chunkSize
            let outputs = LevelOutputs(count: chunkCount)
            let current = Frontier(frontier)
            frontier = []
            let nextLevel = level + 1
            let work: @Sendable (Int) -> Void = { _ in
                while !shared.shouldStop {
                    let chunk = outputs.claim()
                    guard chunk < chunkCount else { return }
                    let range = (chunk * chunkSize)..<min(current.count, (chunk + 1) * chunkSize)
                    var output = ChunkOutput()
                    var newStates = 0
                    for parent in range {
                        guard let node = current.take(parent) else { continue }
                        expand(node, parentIndex: parent, level: nextLevel, visited: visited,
                               into: &output, newStates: &newStates)
                        if output.violation != nil { break }
                    }
                    outputs.store(output, at: chunk)
                    if output.violation != nil {
                        shared.reportViolation()
                    }
                    shared.add(states: newStates, transitions: output.transitions, depth: nextLevel, frontier: current.count)
                }
            }
            if threads == 1 {
                work(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: threads, execute: work)
            }

            // The first violation in chunk order, which is rank order: with one thread, the first the search
            // met. Every chunk before it is done; it counts what one thread would have counted by then.
            if let chunk = outputs.chunks.firstIndex(where: { $0?.violation != nil }),
               let output = outputs.chunks[chunk], let (parent, step) = output.violation {
                var path = [step]
                var index = parent
                for depth in stride(from: level, to: 0, by: -1) {
                    let trail = trails[depth][index]
                    path.append(trail.transition)
                    index = Int(trail.parent)
                }
                let before = outputs.chunks[...chunk].compactMap { $0 }
                let states = before.reduce(0) { total, output in
                    total + output.candidates.count { candidate in
                        candidate.rank < output.violationRank
                            && visited.holds(candidate.node.fingerprint, level: nextLevel, rank: candidate.rank)
                    }
                }
                return SearchOutcome(verdict: .violated, path: path.reversed(), states: statesBefore + states,
                                     transitions: transitionsBefore + before.reduce(0) { $0 + $1.transitions },
                                     depth: nextLevel)
            }
            if let reason = shared.stopReason {
                // The state limit stops a level part-way, at a point that depends on the threads: the report
                // gives the levels completed before it, the same on any number of threads. Whether the limit
                // falls within this level does not depend on them (the level's new states are the same), as
                // long as no violation in it stops the level first: one that lies in the level where the
                // limit falls may be found on some numbers of threads and not on others. A level the limit
                // reaches at its very end is not counted either: whether every chunk was claimed before the
                // limit was seen depends on the threads.
                if let limit = configuration.stateLimit, shared.states >= limit {
                    let note = "\(reason) while level \(nextLevel) was searched: the counts are those of levels 0 to \(level), each searched in full"
                    return SearchOutcome(verdict: .incomplete(note), path: nil, states: statesBefore,
                                         transitions: transitionsBefore, depth: level)
                }
                return SearchOutcome(verdict: .incomplete(reason), path: nil, states: shared.states,
                                     transitions: shared.transitions, depth: level)
            }

            // The next level: the states whose path still holds them, in rank order.
            var held: [Candidate] = []
            for chunk in outputs.chunks {
                guard let chunk else { continue }
                held += chunk.candidates.filter { visited.holds($0.node.fingerprint, level: nextLevel, rank: $0.rank) }
            }
            if threads > 1 { held.sort { $0.rank < $1.rank } }  // one thread meets them in rank order
            if partialOrder { visited.endLevel() }
            frontier = held.map(\.node)
            statesBefore += held.count
            transitionsBefore = shared.transitions
            if !held.isEmpty {
                trails.append(held.map(\.trail))
                level = nextLevel
            }
        }
        return SearchOutcome(verdict: .verified, path: nil, states: shared.states, transitions: shared.transitions,
                             depth: level)
    }

    /// The index of the first state of `frontier` (rank order) from which progress fails, or nil: each
    /// thread checks the chunks it claims with its own oracle, and skips a chunk past a failure found.
    /// Between chunks it checks the search's limits (time, memory, Ctrl-C) and stops when one is reached.
    private static func firstProgressFailure(in frontier: [Node], oracles: [ProgressOracle], shared: SearchProgress,
                                             level: Int) -> Int? {
        let chunkSize = max(1, min(64, frontier.count / (oracles.count * 8)))
        let chunkCount = (frontier.count + chunkSize - 1) / chunkSize
        let found = FirstFound()
        let work: @Sendable (Int) -> Void = { thread in
            while true {
                shared.add(states: 0, transitions: 0, depth: level, frontier: frontier.count)
                let chunk = found.claim()
                guard chunk < chunkCount, !found.hasFound(before: chunk * chunkSize), !shared.shouldStop else { return }
                for index in (chunk * chunkSize)..<min(frontier.count, (chunk + 1) * chunkSize)
                where !oracles[thread].holds(from: frontier[index].sim) {
                    found.note(index)
                    break
                }
            }
        }
        if oracles.count == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: oracles.count, execute: work)
        }
        return found.least
    }

    /// Computes every successor of `node`, records the ones its paths hold, and notes a violation.
    private func expand(_ node: Node, parentIndex: Int, level: Int, visited: VisitedSet, into output: inout ChunkOutput,
                        newStates: inout Int) {
        let steps = explorer.transitions(of: node)
        var done: [SleepEntry] = []
        if partialOrder { done.reserveCapacity(steps.count) }
        for (stepIndex, step) in steps.enumerated() {
            if partialOrder, node.sleep.contains(where: { $0.identity == step.identity }) { continue }
            guard let successor = explorer.successor(of: node, by: step) else { continue }
            output.transitions += 1
            let rank = rank(parent: parentIndex, step: stepIndex)
            if !successor.sim.monitor.violations.isEmpty {
                output.violation = (parentIndex, step)
                output.violationRank = rank
                return
            }
            let entry = successor.entry
            let insertion: VisitedSet.Insertion
            var held: Node?
            if partialOrder {
                // Asleep in the successor: what was asleep here or done here before, and commutes with this step.
                let sleep = { [done] () -> [SleepEntry] in
                    var sleep: [SleepEntry] = []
                    sleep.reserveCapacity(node.sleep.count + done.count)
                    for asleep in node.sleep where !asleep.conflicts(with: entry) { sleep.append(asleep) }
                    for earlier in done where !earlier.conflicts(with: entry) { sleep.append(earlier) }
                    return sleep
                }
                done.append(entry)
                (insertion, held) = visited.insert(successor.fingerprint, concrete: successor.concrete, level: level,
                                                   rank: rank, sleep: sleep) { sleep in
                    let child = explorer.node(successor, after: node)
                    child.sleep = sleep
                    return child
                }
            } else {
                let holds: Bool
                (insertion, holds) = visited.insert(successor.fingerprint, level: level, rank: rank)
                if holds { held = explorer.node(successor, after: node) }
            }
            if insertion == .new { newStates += 1 }
            if let held {
                output.candidates.append(Candidate(
                    rank: rank, node: held,
                    trail: Trail(parent: UInt32(parentIndex), kind: step.kind, argument: UInt32(step.argument))))
            }
        }
    }
}

func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}
