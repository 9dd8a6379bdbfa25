// swift-tools-version: 6.1
// The catalog benchmark, kept out of the main package so `swift test` never builds it.
// Build and run (release):
//   cd Benchmarks && swift build -c release --scratch-path ../.build-bench
//   ../.build-bench/release/catalog-bench [--models 1000000] [--runs 200] [--keep PATH]
import PackageDescription

let package = Package(
    name: "hubscout-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "hubscout", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "catalog-bench",
            dependencies: [.product(name: "HubScoutKit", package: "hubscout")],
            path: "Sources/catalog-bench"
        ),
    ]
)
