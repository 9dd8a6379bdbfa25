import Foundation
import HubScoutCatalog
import HubScoutNetwork
import Testing

/// A copy of the built `hubscout`, alone in an empty folder (no `cache/models.jsonl` anywhere near it), with a
/// fresh HOME and no reachable Hub, answers from the snapshot compiled into it and names its version and commit.
@Suite("Installed binary: the snapshot and build info are compiled in", .serialized)
struct InstalledBinaryTests {
    /// An empty folder holding only a copy of the built binary, and a fresh HOME beside it.
    struct Install {
        var folder: URL
        var binary: URL
        var home: URL

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-installed-\(UUID().uuidString)")
            binary = folder.appendingPathComponent("bin/hubscout")
            home = folder.appendingPathComponent("home")
            try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: try CLIRunner.binary(), to: binary)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }

        /// Runs the copy from its own folder with only these variables: the fresh HOME, a bare PATH, and a Hub
        /// endpoint nothing listens on (port 9, discard), so every request fails at once.
        func run(_ arguments: [String], extra: [String: String] = [:]) async throws -> CLIRunner.Run {
            try await CLIRunner.run(arguments, environment: ["HOME": home.path, "HF_ENDPOINT": "http://127.0.0.1:9"].merging(extra) { _, new in new },
                                    executable: binary, directory: binary.deletingLastPathComponent())
        }
    }

    /// The ids in the shipped `cache/models.jsonl`.
    static func shippedIDs() throws -> Set<String> {
        let text = try String(contentsOf: CatalogTestHelpers.shippedSnapshot, encoding: .utf8)
        return Set(try text.split(separator: "\n").compactMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["id"] as? String
        })
    }

    @Test("search --task text-generation --fits 16GB --json answers from the embedded snapshot with no network and no files")
    func searchFromEmbeddedSnapshot() async throws {
        let install = try Install()
        defer { install.remove() }
        let run = try await install.run(["search", "--task", "text-generation", "--fits", "16GB", "--json"])
        #expect(!run.crashed)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("the Hub could not be reached"), "stderr: \(run.stderr)")
        let shipped = try Self.shippedIDs()
        #expect(run.stderr.contains("imported \(shipped.count) models"), "stderr: \(run.stderr)")
        let rows = try run.array()
        #expect(rows.count >= 10)
        let ids = rows.compactMap { $0["id"] as? String }
        #expect(ids.count == rows.count)
        #expect(Set(ids).isSubset(of: shipped), "ids not in cache/models.jsonl: \(Set(ids).subtracting(shipped))")
        #expect(rows.allSatisfy { $0["pipelineTag"] as? String == "text-generation" })
        let budget: Int64 = 16_000_000_000
        for row in rows {
            let fit = try #require(row["fit"] as? [String: Any], "\(row)")
            let total = try #require((fit["totalBytes"] as? NSNumber)?.int64Value)
            #expect(total <= budget, "\(row)")
        }
        let llama = try #require(rows.first { $0["id"] as? String == "meta-llama/Llama-3.1-8B-Instruct" }, "ids: \(ids)")
        let precision = (llama["fit"] as? [String: Any])?["precision"] as? String
        #expect(precision == "int8" || precision == "int4")
        #expect(!ids.contains { $0.contains("70B") || $0.contains("405B") })
        // The catalog went to the fresh HOME, and nothing was written beside the binary.
        #expect(FileManager.default.fileExists(atPath: install.home.appendingPathComponent(".cache/hubscout/catalog.sqlite").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: install.binary.deletingLastPathComponent().path) == ["hubscout"])
    }

    @Test("HUBSCOUT_SNAPSHOT still overrides the embedded copy")
    func snapshotOverride() async throws {
        let install = try Install()
        defer { install.remove() }
        let text = try String(contentsOf: CatalogTestHelpers.shippedSnapshot, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("\"id\": \"meta-llama/Llama-3.1-8B-Instruct\"") })
        let snapshot = install.folder.appendingPathComponent("one.jsonl")
        try Data((line + "\n").utf8).write(to: snapshot)
        let run = try await install.run(["search", "--offline", "--task", "text-generation", "--json"],
                                        extra: ["HUBSCOUT_SNAPSHOT": snapshot.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try run.array().compactMap { $0["id"] as? String } == ["meta-llama/Llama-3.1-8B-Instruct"])
    }

    @Test("--version prints the version and the commit it was built from (or unknown)")
    func version() async throws {
        let install = try Install()
        defer { install.remove() }
        let run = try await install.run(["--version"])
        #expect(run.status == 0)
        let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("hubscout \(HubScoutVersion.current) (commit "), "\(line)")
        let commit = String(line.dropFirst("hubscout \(HubScoutVersion.current) (commit ".count).dropLast())
        #expect(line.hasSuffix(")"))
        #expect(commit == "unknown" || (commit.count == 12 && commit.allSatisfy(\.isHexDigit)), "\(line)")
        // The binary and this test bundle were built from the same module.
        #expect(commit == HubScoutBuildInfo.shortCommit)
    }

    @Test("the embedded snapshot is byte for byte cache/models.jsonl")
    func embeddedMatchesFile() throws {
        let file = try Data(contentsOf: CatalogTestHelpers.shippedSnapshot)
        #expect(EmbeddedSnapshot.byteCount == file.count)
        #expect(EmbeddedSnapshot.data == file)
    }
}
