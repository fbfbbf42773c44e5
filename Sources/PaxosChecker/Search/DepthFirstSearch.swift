import Foundation

/// Depth-first search over fingerprints, on one thread: it holds only the current path, so it needs less
/// memory than breadth-first search, but its counterexample is the first found, not a shortest one.
///
/// No partial-order reduction here: sleep sets with a visited set need each state's sleep set kept, which
/// is what this search saves memory on.
///
/// With a depth bound, a state first met deep in one run may lie shallower in another, with more of its
/// future within the bound: the visited set keeps the fewest steps each state was reached in, and a state
/// reached in fewer is explored again (counted once).
struct DepthFirstSearch {
    let explorer: Explorer
    let configuration: CheckerConfiguration

    private struct Frame {
        var node: Node
        var steps: [Transition]
        var next = 0
        /// The step that led here.
        var via: Transition?
    }

    func run(from start: Node, progress: (@Sendable (CheckProgress) -> Void)?) -> SearchOutcome {
        let began = monotonicSeconds()
        var lastReport = began
        let deadline = configuration.timeLimitSeconds.map { began + $0 }
        let visited = VisitedSet(shardCount: 1, initialCapacityPerShard: 1 << 16)
        let bounded = configuration.maxDepth != nil
        _ = visited.insert(start.fingerprint, level: 0)
        var states = 1, transitions = 0, deepest = 0
        if start.hasViolation { return SearchOutcome(verdict: .violated, path: [], states: 1, transitions: 0, depth: 0) }
        var stack = [Frame(node: start, steps: explorer.transitions(of: start))]

        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].steps.count,
                  configuration.maxDepth.map({ top < $0 }) ?? true else {
                stack.removeLast()
                continue
            }
            let step = stack[top].steps[stack[top].next]
            stack[top].next += 1
            guard let successor = explorer.successor(of: stack[top].node, by: step) else { continue }
            transitions += 1
            if !successor.sim.monitor.violations.isEmpty {
                let path = stack.compactMap(\.via) + [step]
                return SearchOutcome(verdict: .violated, path: path, states: states, transitions: transitions,
                                     depth: max(deepest, path.count))
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
            stack.append(Frame(node: child, steps: explorer.transitions(of: child), via: step))
            deepest = max(deepest, stack.count - 1)

            if let limit = configuration.stateLimit, states >= limit {
                return SearchOutcome(verdict: .incomplete("the state limit of \(CheckReport.grouped(limit)) was reached"),
                                     path: nil, states: states, transitions: transitions, depth: deepest)
            }
            if states & 0x3FF == 0 {
                let now = monotonicSeconds()
                if let limit = configuration.memoryLimitBytes, states & 0xFFFF == 0, currentResidentMemoryBytes() > limit {
                    return SearchOutcome(verdict: .incomplete("the memory limit of \(CheckReport.megabytes(limit)) was reached"),
                                         path: nil, states: states, transitions: transitions, depth: deepest)
                }
                if let deadline, now >= deadline {
                    return SearchOutcome(verdict: .incomplete(String(format: "the time limit of %.0f s was reached", deadline - began)),
                                         path: nil, states: states, transitions: transitions, depth: deepest)
                }
                if let progress, now - lastReport >= 0.5 {
                    lastReport = now
                    progress(CheckProgress(states: states, transitions: transitions, depth: stack.count - 1, frontier: 0,
                                           seconds: now - began, residentMemoryBytes: currentResidentMemoryBytes()))
                }
            }
        }
        return SearchOutcome(verdict: .verified, path: nil, states: states, transitions: transitions, depth: deepest)
    }
}
