import Dispatch
import Foundation

/// Depth-first search over fingerprints: it holds only the current path, so it needs less memory than
/// breadth-first search, but its counterexample is the first found, not a shortest one.
///
/// No partial-order reduction here: sleep sets with a visited set need each state's sleep set kept, which
/// is what this search saves memory on.
///
/// With a depth bound, a state first met deep in one run may lie shallower in another, with more of its
/// future within the bound: the visited set keeps the fewest steps each state was reached in, and a state
/// reached in fewer is explored again (counted once). That search runs on one thread.
///
/// Without one it runs on `threads` threads sharing the visited set: each searches from the start, the
/// steps of every state taken in its own rotation, and expands only the states it was first to record. Every
/// recorded state is expanded once by one thread, every step of it taken, so the states and transitions
/// counted are a one-thread search's whatever the timing; the depth reached is not. A violation found by
/// several threads is searched for again on one, so that the counterexample does not depend on timing.
struct DepthFirstSearch {
    let explorer: Explorer
    let configuration: CheckerConfiguration

    private struct Frame {
        var node: Node
        var steps: [Transition]
        var next = 0
        /// Where this thread starts among `steps` (its rotation).
        var offset = 0
        /// The step that led here.
        var via: Transition?

        init(node: Node, steps: [Transition], via: Transition? = nil, worker: Int, workers: Int) {
            self.node = node
            self.steps = steps
            self.via = via
            offset = steps.count * worker / workers
        }

        /// Takes the next step in this thread's rotation.
        mutating func take() -> Transition {
            let index = next + offset
            next += 1
            return steps[index < steps.count ? index : index - steps.count]
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
        _ = visited.insert(start.fingerprint, level: 0)
        if start.hasViolation { return SearchOutcome(verdict: .violated, path: [], states: 1, transitions: 0, depth: 0) }
        if workers == 1 {
            explore(from: start, worker: 0, workers: 1, visited: visited, shared: shared)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                explore(from: start, worker: worker, workers: workers, visited: visited, shared: shared)
            }
        }
        if shared.violationFound {
            return SearchOutcome(verdict: .violated, path: shared.violationPath, states: shared.states,
                                 transitions: shared.transitions, depth: shared.deepest)
        }
        return SearchOutcome(verdict: shared.stopReason.map { .incomplete($0) } ?? .verified, path: nil,
                             states: shared.states, transitions: shared.transitions, depth: shared.deepest)
    }

    /// One thread's search: from the start, through the states this thread records first.
    private func explore(from start: Node, worker: Int, workers: Int, visited: VisitedSet, shared: SearchProgress) {
        let bounded = configuration.maxDepth != nil
        var states = 0, transitions = 0, deepest = 0
        /// The states every thread had recorded at this thread's last report.
        var recorded = shared.recordedStates
        var stack = [Frame(node: start, steps: explorer.transitions(of: start), worker: worker, workers: workers)]

        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].steps.count,
                  configuration.maxDepth.map({ top < $0 }) ?? true else {
                stack.removeLast()
                continue
            }
            let step = stack[top].take()
            guard let successor = explorer.successor(of: stack[top].node, by: step) else { continue }
            // Every thread expands the start; its steps count once.
            if top > 0 || worker == 0 { transitions += 1 }
            if !successor.sim.monitor.violations.isEmpty {
                let path = stack.compactMap(\.via) + [step]
                shared.add(states: states, transitions: transitions, depth: max(deepest, path.count))
                shared.reportViolation(path: path)
                return
            }
            if bounded {
                let seen = visited.insert(successor.fingerprint, fewestSteps: stack.count)
                guard seen != .notFewer else { continue }
                if seen == .new { states += 1 }
            } else {
                guard visited.insert(successor.fingerprint, level: 0) == .new else { continue }
                states += 1
            }
            let child = explorer.node(successor, after: stack[top].node)
            stack.append(Frame(node: child, steps: explorer.transitions(of: child), via: step, worker: worker,
                               workers: workers))
            deepest = max(deepest, stack.count - 1)

            // The state limit is met exactly on one thread; several may pass it by up to a chunk each.
            if let limit = configuration.stateLimit, recorded + states >= limit {
                shared.add(states: states, transitions: transitions, depth: deepest)
                return
            }
            if states & 0x3FF == 0 {
                recorded = shared.add(states: states, transitions: transitions, depth: deepest)
                states = 0
                transitions = 0
                if shared.shouldStop { return }
            }
        }
        shared.add(states: states, transitions: transitions, depth: deepest)
    }
}
