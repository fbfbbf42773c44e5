import Testing
import Foundation
@testable import PaxosCore
@testable import PaxosSimulation

// TEMPORARY exploration helpers (removed before hand-off).

@Test func debugReplay() {
    guard let text = ProcessInfo.processInfo.environment["REPLAY"] else { return }
    let parts = text.split(separator: ",").map(String.init)
    let run = FaultRun(seed: UInt64(parts[0]) ?? 0, election: parts[1], commit: parts[2], actions: Int(parts[3]) ?? 100)
    let (outcome, world) = run.run()
    let tail = Int(ProcessInfo.processInfo.environment["TAIL"] ?? "200") ?? 200
    let from = Int(ProcessInfo.processInfo.environment["FROM"] ?? "0") ?? 0
    for event in world.trace.filter({ $0.step >= from }).prefix(tail) {
        print("[\(event.step) t\(event.tick)] \(event.kind) \(event.from)→\(event.to) \(event.payload.rendered) | \(event.note)")
    }
    print(outcome.weights)
    print(outcome.violations)
    print(world.summary)
}

@Test func debugHunt() {
    guard let text = ProcessInfo.processInfo.environment["HUNT"] else { return }
    let parts = text.split(separator: ",").map(String.init)
    let count = Int(parts[0]) ?? 100, actions = Int(parts[1]) ?? 100
    var failing: [UInt64] = []
    var elections = 0, commits = 0, zero = 0, steps = 0
    for seed in UInt64(1)...UInt64(count) {
        let run = FaultRun(seed: seed, election: parts[2], commit: parts.count > 3 ? parts[3] : "sync", actions: actions + Int(seed % 91))
        let (outcome, world) = run.run()
        elections += world.events("elected").count
        let c = world.replicas.map(\.commitIndex).max() ?? 0
        commits += c
        steps += world.sim.step
        if c == 0 { zero += 1 }
        if !outcome.violations.isEmpty || outcome.convergence != nil { failing.append(seed) }
    }
    print("HUNT failing \(failing.count): \(failing.prefix(10)) elections/run \(Double(elections) / Double(count)) commits/run \(Double(commits) / Double(count)) zero \(zero) steps/run \(steps / count)")
}

@Test func debugWeights() {
    guard ProcessInfo.processInfo.environment["WEIGHTS"] != nil else { return }
    for seed in UInt64(1)...20 {
        let run = FaultRun(seed: seed, actions: 100 + Int(seed % 91))
        var outcome = FaultRun.Outcome()
        let world = run.faultPhase(&outcome)
        let kinds = ["elected", "timeout", "crash", "partition", "transaction"].map { k in "\(k) \(world.events(k).count)" }
        print("seed \(seed) ticks \(world.sim.tick) \(kinds.joined(separator: " ")) | \(outcome.weights)")
    }
}

@Test func debugWinners() {
    guard ProcessInfo.processInfo.environment["WINNERS"] != nil else { return }
    for seed in UInt64(1)...30 {
        let run = ElectionPolicyTests.randomizedRun(seed: seed)
        print("WIN seed \(seed) winner \(run.winner.map(\.description) ?? "-") ballot \(run.ballot.map(\.description) ?? "-")")
    }
}

@Test func debugSeed1() {
    guard ProcessInfo.processInfo.environment["SEED1"] != nil else { return }
    var world = World(replicas: 5, seed: 1, election: "randomized")
    world.crash(1)
    world.runUntilLeader()
    for e in world.trace where ["timeout", "candidacy", "promise", "elected"].contains(e.kind) {
        print("S1 [\(e.step) t\(e.tick)] \(e.kind) \(e.from)→\(e.to) \(e.payload.rendered) | \(e.note)")
    }
}

@Test func debugPartition() {
    guard ProcessInfo.processInfo.environment["PART"] != nil else { return }
    var world = World(replicas: 5, election: "randomized")
    world.submit("a=1")
    world.runUntilQuiet(maxTicks: 0)
    world.perform(.partition([[n(1), n(2)], [n(3), n(4), n(5)]]))
    world.submit("lost=1")
    world.deliverAll()
    world.tick(3)
    world.deliverAll()
    for e in world.trace where e.kind != "heartbeat" {
        print("P [\(e.step) t\(e.tick)] \(e.kind) \(e.from)→\(e.to) \(e.payload.rendered) | \(e.note)")
    }
}

@Test func debugOutcome() {
    guard let text = ProcessInfo.processInfo.environment["OUTCOME"] else { return }
    let parts = text.split(separator: ",").map(String.init)
    let run = FaultRun(seed: UInt64(parts[0]) ?? 0, election: parts[1], commit: parts[2], actions: Int(parts[3]) ?? 100)
    let (outcome, world) = run.run()
    print("OUT \(outcome.convergence ?? "converged") | \(world.summary)")
    let from = Int(ProcessInfo.processInfo.environment["FROM"] ?? "0") ?? 0
    for event in world.trace.filter({ $0.step >= from && $0.kind != "heartbeat" }).prefix(300) {
        print("[\(event.step) t\(event.tick)] \(event.kind) \(event.from)→\(event.to) \(event.payload.rendered) | \(event.note)")
    }
}
