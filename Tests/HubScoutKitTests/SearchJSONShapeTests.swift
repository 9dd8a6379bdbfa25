import Foundation
import HubScoutTestSupport
import Testing

/// `search --json` has one shape whether the Hub or the local catalog answered, and a fact the
/// source did not give is `null` (or `?` on screen), never "no".
@Suite("search --json: one shape online and offline; unknown is null")
struct SearchJSONShapeTests {
    static let keys: Set<String> = ["id", "author", "pipelineTag", "libraryName", "license", "gated", "downloads", "likes",
                                    "parameters", "lastModified", "createdAt", "tags"]

    @Test("offline rows carry the online keys; gated is false, a mode, or null when the snapshot does not say")
    func offlineShape() async throws {
        let run = try await CLIRunner.run(["search", "--offline", "--task", "text-generation", "--limit", "200", "--json"],
                                          environment: ["HF_ENDPOINT": "http://127.0.0.1:9"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try run.array()
        #expect(rows.count > 20)
        for row in rows { #expect(Set(row.keys) == Self.keys, "\(row["id"] ?? "?")") }
        // Most snapshot records carry no gating fact: unknown, not "no" (the Hub gates some of them).
        let unknown = rows.filter { $0["gated"] is NSNull }.compactMap { $0["id"] as? String }
        #expect(!unknown.isEmpty)
        #expect(rows.contains { ($0["gated"] as? Bool) == false })
        #expect(rows.contains { ($0["gated"] as? String) == "manual" })
        #expect(!rows.contains { ($0["gated"] as? String) == "false" })

        let id = try #require(unknown.first)
        let table = try await CLIRunner.run(["search", "--offline", id, "--limit", "1"], environment: ["HF_ENDPOINT": "http://127.0.0.1:9"])
        let line = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix(id + " ") })
        #expect(line.contains(" ? "), "\(line)")
        #expect(!line.contains(" no "), "\(line)")
    }

    @Test("online rows have the same keys as offline rows")
    func onlineShape() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let run = try await CLIRunner.run(["search", "--task", "text-generation", "--limit", "5", "--json"],
                                              environment: ["HF_ENDPOINT": server.apiURL])
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try run.array()
            #expect(!rows.isEmpty)
            for row in rows { #expect(Set(row.keys) == Self.keys, "\(row["id"] ?? "?")") }
        }
    }
}
