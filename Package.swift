// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "paxos-playground",
    platforms: [.macOS(.v13)],
    products: [
        // The core replica and the policy protocols: what a third-party policy package depends on.
        .library(name: "PaxosCore", targets: ["PaxosCore"]),
        // The simulation and the command interpreter, for embedding the playground.
        .library(name: "PaxosPlayground", targets: ["PaxosPlayground"]),
        // The command line (REPL on readline, run, check, bench): a plugin package starts it with its policies.
        .library(name: "PlaygroundCLI", targets: ["PlaygroundCLI"]),
        .executable(name: "paxos-playground", targets: ["paxos-playground"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The live page's HTTP and WebSocket server (PlaygroundWeb): no NIO, so it builds fast.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // `Deque`: the in-flight queue (FIFO take at the front, delivery by id anywhere) and the bench's
        // bare baseline, which pushes the same messages through a `Deque` of its own.
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // MARK: - The protocol
        // The pure core: replica, messages, ballots, policies. No I/O, clock or global randomness.
        .target(name: "PaxosCore"),

        // MARK: - Around the core
        // Network, faults, logical clock, seed, invariants and the trace.
        .target(
            name: "PaxosSimulation",
            dependencies: ["PaxosCore", .product(name: "DequeModule", package: "swift-collections")]
        ),
        // One command interpreter for the REPL, scripts and tests, with its text renderers.
        .target(
            name: "PaxosPlayground",
            dependencies: ["PaxosCore", "PaxosSimulation", "PaxosChecker"],
            resources: [.embedInCode("Resources/spacetime.html")]
        ),
        // The exhaustive model checker: drives the same core and simulation through every interleaving.
        .target(name: "PaxosChecker", dependencies: ["PaxosCore", "PaxosSimulation"]),

        // MARK: - The command line
        // GNU readline, linked only into the command line, never into the libraries above.
        // (No pkgConfig: readline.pc adds -D flags that SwiftPM warns about; the modulemap links it.)
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        // The live page (`--web`, `web on`): an HTTP and WebSocket server on FlyingFox, linked only into the
        // command line, never into the libraries above.
        .target(
            name: "PlaygroundWeb",
            dependencies: ["PaxosPlayground", .product(name: "FlyingFox", package: "FlyingFox")]
        ),
        .target(
            name: "PlaygroundCLI",
            dependencies: [
                "PaxosPlayground", "PaxosChecker", "CReadline", "PlaygroundWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "paxos-playground", dependencies: ["PlaygroundCLI"]),
        // `check-mutant NAME ...` = `paxos-playground check --break NAME ...`: Scripts/compare-spin.sh times
        // SPIN's broken variants against it. Not a product.
        .executableTarget(name: "check-mutant", dependencies: ["PlaygroundCLI", "PaxosCore"]),

        // MARK: - Tests
        .testTarget(name: "PaxosCoreTests", dependencies: ["PaxosCore", "PaxosSimulation", "PaxosPlayground"]),
        .testTarget(
            name: "PlaygroundTests",
            dependencies: ["PaxosPlayground"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "CheckerTests", dependencies: ["PaxosChecker", "PaxosPlayground"]),
        .testTarget(name: "PlaygroundCLITests", dependencies: ["PlaygroundCLI", .product(name: "FlyingFox", package: "FlyingFox")]),
    ],
    swiftLanguageModes: [.v6]
)
