// swift-tools-version: 6.1
// An app's view of hubscout: depend on the HubScoutKit product, then search, size and download.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder. An app that checks out the repository as `hubscout`
// writes `package: "hubscout"`; this example lives inside whatever folder the repository was cloned to.
let hubscout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../..").standardizedFileURL.lastPathComponent

let package = Package(
    name: "FindSizeDownload",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        .executableTarget(name: "FindSizeDownload", dependencies: [
            .product(name: "HubScoutKit", package: hubscout),
        ]),
    ]
)
