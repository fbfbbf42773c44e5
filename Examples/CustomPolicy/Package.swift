// swift-tools-version: 6.0
// A third-party policy package: two policies of its own, and the playground started with them registered.
// It depends on the playground by path and changes nothing in it.
import PackageDescription

let package = Package(
    name: "CustomPolicy",
    products: [
        .library(name: "CustomPolicies", targets: ["CustomPolicies"]),
        .executable(name: "custom-playground", targets: ["custom-playground"]),
    ],
    dependencies: [
        .package(name: "paxos-playground", path: "../.."),
    ],
    targets: [
        // The policies: depend only on the core's policy protocols.
        .target(name: "CustomPolicies", dependencies: [.product(name: "PaxosCore", package: "paxos-playground")]),
        // The playground's REPL and script runner, with these policies registered beside the built-ins.
        .executableTarget(
            name: "custom-playground",
            dependencies: ["CustomPolicies", .product(name: "PlaygroundCLI", package: "paxos-playground")]
        ),
        .testTarget(
            name: "CustomPoliciesTests",
            dependencies: [
                "CustomPolicies",
                .product(name: "PaxosCore", package: "paxos-playground"),
                .product(name: "PaxosPlayground", package: "paxos-playground"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
