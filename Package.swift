// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "paxos-playground",
    platforms: [.macOS(.v13)],
    products: [
        // The core replica and the policy protocols: what a third-party policy package depends on.
        .library(name: "PaxosCore", targets: ["PaxosCore"]),
        // The simulation, the command interpreter and the checker, for embedding the playground.
        .library(name: "PaxosPlayground", targets: ["PaxosPlayground"]),
        .executable(name: "paxos-playground", targets: ["paxos-playground"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - The protocol
        // The pure core: replica, messages, ballots, policies. No I/O, clock or global randomness.
        .target(name: "PaxosCore"),

        // MARK: - Around the core
        // Network, faults, logical clock, seed, invariants and the trace.
        .target(name: "PaxosSimulation", dependencies: ["PaxosCore"]),
        // One command interpreter for the REPL, scripts and tests, with its text renderers.
        .target(
            name: "PaxosPlayground",
            dependencies: ["PaxosCore", "PaxosSimulation"],
            resources: [.embedInCode("Resources/spacetime.html")]
        ),

        // MARK: - The executable
        // GNU readline, linked only into the executable.
        // (No pkgConfig: readline.pc adds -D flags that SwiftPM warns about; the modulemap links it.)
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .executableTarget(
            name: "paxos-playground",
            dependencies: [
                "PaxosPlayground", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "PaxosCoreTests", dependencies: ["PaxosCore", "PaxosSimulation"]),
        .testTarget(
            name: "PlaygroundTests",
            dependencies: ["PaxosPlayground"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
