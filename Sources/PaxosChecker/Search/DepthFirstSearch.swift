import Dispatch
import Foundation

/// Depth-first search over fingerprints: it holds only the current path, so it needs less memory than
/// breadth-first search, but its counterexample is the first found, not a shortest one.
///
/// No partial-order reduction here. Stateful sleep sets (each visited state keeping the steps it has not
/// taken, re-expanded when reached with fewer asleep) were tried: on SPIN's S5 bound they cut a fifth of
/// the transitions but made the search slower, the bookkeeping on every revisit costing more than it saved.
///
/// With a depth bound, a state first met deep in one run may lie shallower in another, with more of its
/// future within the bound: the visited set keeps the fewest steps each state was reached in, and a state
/// reached in fewer is explored again (counted once). That search runs on one thread.
///
/// Without one it runs on `threads` threads sharing the visited set. One starts from the start state; a
/// thread with nothing to do waits, and a busy one gives it the steps not yet taken at the bottom of its
/// stack. Each thread expands only the states it records first, every step of them taken (by it, or by the
/// thread it gave some to), so the states and transitions counted are a one-thread search's whatever the
/// timing; the depth reached is not. A violation found by several threads is searched for again on one, so
/// that the counterexample does not depend on timing.
struct DepthFirstSearch {
    let explorer: Explorer
    let configuration: CheckerConfiguration

    private struct Frame {
        var node: Node
        var steps: [Transition]
        var next = 0
        /// The step that led here.
        var via: Transition?

        /// The steps not yet taken, no longer this frame's to take.
        mutating func giveAway() -> [Transition] {
            defer { next = steps.count }
            return Array(steps[next...])
        }
    }

    func run(from start: Node, progress: (@Sendable (CheckProgress) -> Void)?) -> SearchOutcome {
        let workers = configuration.maxDepth == nil ? max(1, configuration.threads) : 1
        let outcome = search(from: start, workers: workers, progress: progress)
        guard workers > 1, outcome.verdict == .violated else { return outcome }
        // Which thread meets a violation first depends on timing: one thread finds the same one every time.
        return search(from: start, workers: 1, progress: progress)
    }

    private func search(from start: Node, workers: Int, progress: (@Sendable (CheckProgress) -> Void)?) -> SearchOutcome {
        let shared = SearchProgress(states: 1, start: monotonicSeconds(), configuration: configuration, progress: progress)
        let visited = VisitedSet(shardCount: workers == 1 ? 1 : 64, initialCapacityPerShard: workers == 1 ? 1 << 16 : 1 << 12)
        _ = visited.insert(start.fingerprint)
        if start.hasViolation || (configuration.progress && !ProgressOracle().holds(from: start.sim)) {
            return SearchOutcome(verdict: .violated, path: [], states: 1, transitions: 0, depth: 0)
        }
        let pool = WorkPool(first: Work(node: start, steps: explorer.transitions(of: start), path: []))
        if workers == 1 {
            explore(pool: pool, visited: visited, shared: shared)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                explore(pool: pool, visited: visited, shared: shared)
            }
        }
        if shared.violationFound {
            return SearchOutcome(verdict: .violated, path: shared.violationPath, states: shared.states,
                                 transitions: shared.transitions, depth: shared.deepest)
        }
        let verdict: CheckReport.Verdict = if let reason = shared.stopReason {
            .incomplete(reason)
        } else if shared.depthCut, let maxDepth = configuration.maxDepth {
            .verifiedToDepth(maxDepth)
        } else {
            .verified
        }
        return SearchOutcome(verdict: verdict, path: nil, states: shared.states, transitions: shared.transitions,
                             depth: shared.deepest)
    }

    /// One thread's search: the work it takes from the pool, one piece after another, until none is left.
    private func explore(pool: WorkPool, visited: VisitedSet, shared: SearchProgress) {
        var counts = Counts(recorded: shared.recordedStates)
        let oracle = configuration.progress ? ProgressOracle() : nil
        while let work = pool.take() {
            let finished = explore(work, pool: pool, visited: visited, shared: shared, oracle: oracle, counts: &counts)
            pool.done()
            guard finished else {
                pool.stop()
                break
            }
        }
        shared.add(states: counts.states, transitions: counts.transitions, depth: counts.deepest)
    }

    /// A thread's counts since it last added them to the shared ones.
    private struct Counts {
        var states = 0, transitions = 0, deepest = 0
        /// The states every thread had recorded at this thread's last report.
        var recorded: Int
    }

    /// Searches below `work`'s state, through the states this thread records, giving the bottom of its
    /// stack to the pool when another thread is idle. False when the search must stop.
    private func explore(_ work: Work, pool: WorkPool, visited: VisitedSet, shared: SearchProgress,
                         oracle: ProgressOracle?, counts: inout Counts) -> Bool {
        let bounded = configuration.maxDepth != nil
        let base = work.path.count
        var stack = [Frame(node: work.node, steps: work.steps)]

        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].steps.count else {
                stack.removeLast()
                continue
            }
            if let maxDepth = configuration.maxDepth, base + top >= maxDepth {
                // Steps left at the depth bound: runs longer than it go unexplored.
                if !shared.depthCut { shared.noteDepthCut() }
                stack.removeLast()
                continue
            }
            let step = stack[top].steps[stack[top].next]
            stack[top].next += 1
            guard let successor = explorer.successor(of: stack[top].node, by: step) else { continue }
            counts.transitions += 1
            if !successor.sim.monitor.violations.isEmpty {
                let path = work.path + stack.compactMap(\.via) + [step]
                shared.add(states: counts.states, transitions: counts.transitions, depth: max(counts.deepest, path.count))
                counts = Counts(recorded: 0)
                shared.reportViolation(path: path)
                return false
            }
            if bounded {
                let seen = visited.insert(successor.fingerprint, fewestSteps: base + stack.count)
                guard seen != .notFewer else { continue }
                if seen == .new { counts.states += 1 }
            } else {
                guard visited.insert(successor.fingerprint) else { continue }
                counts.states += 1
            }
            if let oracle, !oracle.holds(from: successor.sim) {
                let path = work.path + stack.compactMap(\.via) + [step]
                shared.add(states: counts.states, transitions: counts.transitions, depth: max(counts.deepest, path.count))
                counts = Counts(recorded: 0)
                shared.reportViolation(path: path)
                return false
            }
            let child = explorer.node(successor, after: stack[top].node)
            stack.append(Frame(node: child, steps: explorer.transitions(of: child), via: step))
            counts.deepest = max(counts.deepest, base + stack.count - 1)

            // The state limit is met exactly on one thread; several may pass it by up to a chunk each.
            if let limit = configuration.stateLimit, counts.recorded + counts.states >= limit {
                shared.add(states: counts.states, transitions: counts.transitions, depth: counts.deepest)
                counts = Counts(recorded: 0)
                return false
            }
            if counts.states & 0x3F == 0, pool.isHungry,
               let bottom = stack.firstIndex(where: { $0.next < $0.steps.count }) {
                pool.give(Work(node: stack[bottom].node, steps: stack[bottom].giveAway(),
                               path: work.path + stack[...bottom].compactMap(\.via)))
            }
            if counts.states & 0x3FF == 0 {
                counts.recorded = shared.add(states: counts.states, transitions: counts.transitions, depth: counts.deepest)
                counts.states = 0
                counts.transitions = 0
                if shared.shouldStop { return false }
            }
        }
        return true
    }
}

/// A state to search below, and the steps of it to take there.
private struct Work {
    let node: Node
    let steps: [Transition]
    /// The steps from the start to `node`.
    let path: [Transition]
}

/// The work the threads of a depth-first search share: a thread with nothing to do waits here, and a busy
/// one gives away the bottom of its stack when it sees one waiting. Done when no thread is busy and no
/// work is left (however many threads run at once), or when a thread stops the search.
private final class WorkPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Work]
    private var waiting = 0
    private var busy = 0
    private var finished = false

    init(first: Work) {
        items = [first]
    }

    /// Whether a thread is waiting for work and none is there.
    var isHungry: Bool {
        condition.lock()
        defer { condition.unlock() }
        return waiting > 0 && items.isEmpty
    }

    func give(_ work: Work) {
        condition.lock()
        items.append(work)
        condition.signal()
        condition.unlock()
    }

    /// The next piece of work, waiting for one; nil when the search is done. The caller is busy until it
    /// calls ``done()``.
    func take() -> Work? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty, !finished {
            if busy == 0 {
                finished = true
                condition.broadcast()
                break
            }
            waiting += 1
            condition.wait()
            waiting -= 1
        }
        guard !finished else { return nil }
        busy += 1
        return items.removeLast()
    }

    /// The caller is done with the work it took.
    func done() {
        condition.lock()
        busy -= 1
        if busy == 0, items.isEmpty {
            finished = true
            condition.broadcast()
        }
        condition.unlock()
    }

    func stop() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
