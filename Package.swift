// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "hubscout",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hubscout", targets: ["HubScoutCLI"]),
        // Search, inspect, size and download: links libcurl and Foundation (plus pure-Swift Yams, Crypto, Logging).
        .library(name: "HubScoutKit", targets: ["HubScoutKit"]),
        // The offline catalog (SQLite through GRDB) and what fills it from the Hub and the cache.
        .library(name: "HubScoutCatalog", targets: ["HubScoutCatalog", "HubScoutCatalogSync"]),
        // The Hub-compatible server (Hummingbird on SwiftNIO).
        .library(name: "HubScoutServer", targets: ["HubScoutServer"]),
        // Air-gapped transfer: model bundles (pax tar through libarchive) written from and imported into the cache.
        .library(name: "HubScoutBundle", targets: ["HubScoutBundle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]),

        // Pure values and parsers: knows nothing of HTTP, SQL or the CLI.
        .target(name: "HubScoutCore", dependencies: [
            .product(name: "Yams", package: "Yams"),
        ]),
        // The Hugging Face cache layout, read and written in one place: blobs, snapshots, refs, locks,
        // local-dir metadata, the inventory scanner, verifier and cleaner.
        .target(name: "HubScoutCache", dependencies: [
            "HubScoutCore",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // HTTP transport on libcurl.
        .target(name: "HubScoutNetwork", dependencies: [
            "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Hub API client, inspection, downloads, fit, hardware detection, and the facade apps use.
        .target(name: "HubScoutKit", dependencies: [
            "HubScoutCore", "HubScoutCache", "HubScoutNetwork",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Local SQLite catalog. The EmbedSnapshot plugin compiles cache/models.jsonl and the git commit into it.
        .target(name: "HubScoutCatalog", dependencies: [
            "HubScoutCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], plugins: ["EmbedSnapshot"]),
        // Fills the catalog: Hub sync, recording what commands see and download, first-run snapshot import,
        // offline search with fit.
        .target(name: "HubScoutCatalogSync", dependencies: ["HubScoutKit", "HubScoutCatalog", "HubScoutCore"]),
        // Model bundles: a pax tar (libarchive) with a manifest first, written from the cache and imported into it.
        .target(name: "HubScoutBundle", dependencies: [
            "HubScoutCore", "HubScoutCache", "CArchive",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Hub-compatible HTTP server over a storage (an HF cache directory).
        .target(name: "HubScoutServer", dependencies: [
            "HubScoutCore", "HubScoutCache",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ], exclude: ["README.md"]),
        .executableTarget(name: "HubScoutCLI", dependencies: [
            "HubScoutKit", "HubScoutCore", "HubScoutCache", "HubScoutCatalog", "HubScoutCatalogSync", "HubScoutServer",
            "HubScoutBundle",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Build-time embedding: the plugin runs the tool to write Swift sources holding the snapshot and build info.
        .executableTarget(name: "EmbedSnapshotTool"),
        .plugin(name: "EmbedSnapshot", capability: .buildTool(), dependencies: ["EmbedSnapshotTool"]),

        // Test support: fixture caches, a running test server, fault injection.
        .target(name: "HubScoutTestSupport", dependencies: [
            "HubScoutServer", "HubScoutCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Tests/HubScoutTestSupport"),
        .testTarget(name: "HubScoutCoreTests", dependencies: ["HubScoutCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HubScoutKitTests", dependencies: [
            "HubScoutKit", "HubScoutCache", "HubScoutCatalog", "HubScoutCatalogSync", "HubScoutTestSupport", "HubScoutServer",
            "HubScoutNetwork", "HubScoutCore",
            "HubScoutBundle",
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.copy("Fixtures")]),
        .testTarget(name: "HubScoutCatalogTests", dependencies: ["HubScoutCatalog", "HubScoutCatalogSync", "HubScoutKit", "HubScoutTestSupport"]),
    ]
)
