import Foundation
import HubScoutTestSupport
import Testing

/// `search --local`: the models `ls --all` found on this machine, answered from the catalog.
@Suite("search --local lists the models recorded by ls --all", .serialized)
struct CLILocalSearchTests {
    /// The cross-tool fixture (one GGUF in every tool's layout, a different one in --path) with a private catalog.
    static func stores() throws -> (LocalInventoryTests.Stores, [String: String]) {
        let stores = try LocalInventoryTests.makeStores()
        var environment = stores.environment
        environment["HUBSCOUT_HOME"] = stores.home + "/hubscout-home"
        return (stores, environment)
    }

    static func names(_ rows: [[String: Any]]) -> [String] { rows.compactMap { "\($0["tool"] ?? "?") \($0["name"] ?? "?")" }.sorted() }

    @Test("before any scan it is an error (exit 27) that says to run ls --all; after one, it prints the same objects ls --all --json printed")
    func recordsAndSearches() async throws {
        let (stores, environment) = try Self.stores()
        defer { stores.remove() }

        let before = try await CLIRunner.run(["search", "--offline", "--local", "tiny", "--json"], environment: environment)
        #expect(before.status == 27, "\(before.stderr)")
        #expect(before.stderr.contains("hubscout ls --all"))
        #expect(before.stdout.isEmpty)

        let listing = try await CLIRunner.run(["ls", "--all", "--path", stores.extra, "--json"], environment: environment)
        #expect(listing.status == 0, "\(listing.stderr)")
        let listed = try listing.array()
        #expect(listed.count == 5)

        let found = try await CLIRunner.run(["search", "--offline", "--local", "TINY", "--json"], environment: environment)
        #expect(found.status == 0, "\(found.stderr)")
        let rows = try found.array()
        let expected = listed.filter { "\($0["name"] ?? "") \($0["repo"] ?? "")".lowercased().contains("tiny") }
        #expect(rows.count == 4)
        #expect(Self.names(rows) == Self.names(expected))
        for row in rows {
            let same = expected.first { $0["tool"] as? String == row["tool"] as? String && $0["name"] as? String == row["name"] as? String }
            #expect((same as NSDictionary?) == (row as NSDictionary), "\(row)")
            #expect(Set(row.keys) == Set(try #require(same).keys))
        }

        // --local answers from the catalog without --offline too; author, format and tool filters.
        let filtered = try await CLIRunner.run(["search", "--local", "--author", "ACME", "--library", "gguf", "--tool", "ollama", "--json"],
                                               environment: environment)
        #expect(filtered.status == 0, "\(filtered.stderr)")
        #expect(Self.names(try filtered.array()) == ["ollama hf.co/acme/tiny-GGUF:Q4_K_M"])
        let none = try await CLIRunner.run(["search", "--local", "--library", "safetensors", "--json"], environment: environment)
        #expect(none.status == 0, "\(none.stderr)")
        #expect(try none.array().isEmpty)

        // The table has the ls --all columns, without DUP.
        let table = try await CLIRunner.run(["search", "--local", "other"], environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        let header = try #require(table.stdout.split(separator: "\n").first)
        #expect(header.split(separator: " ", omittingEmptySubsequences: true) == ["TOOL", "MODEL", "FORMAT", "QUANT", "SIZE", "PARAMS", "FIT"])
        #expect(table.stdout.contains("other-Q4_K_M.gguf"))

        // A later scan is the truth: without --path, the folder's model is no longer listed.
        let again = try await CLIRunner.run(["ls", "--all", "--json"], environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        let gone = try await CLIRunner.run(["search", "--local", "other", "--json"], environment: environment)
        #expect(gone.status == 0, "\(gone.stderr)")
        #expect(try gone.array().isEmpty)
    }

    @Test("dedupe records its scan too, and filters that cannot apply to local models are refused")
    func dedupeRecordsAndRefusals() async throws {
        let (stores, environment) = try Self.stores()
        defer { stores.remove() }
        let dry = try await CLIRunner.run(["dedupe", "--dry-run", "--json"], environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        let found = try await CLIRunner.run(["search", "--local", "--tool", "lmstudio", "--json"], environment: environment)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(Self.names(try found.array()) == ["lmstudio acme/tiny-GGUF/tiny-Q4_K_M.gguf"])

        for arguments in [["--task", "text-generation"], ["--library", "transformers"], ["--tool", "docker"]] {
            let refused = try await CLIRunner.run(["search", "--local"] + arguments, environment: environment)
            #expect(refused.status == 64, "\(arguments): \(refused.status) \(refused.stderr)")
        }
        let stray = try await CLIRunner.run(["search", "--offline", "--tool", "ollama"], environment: environment)
        #expect(stray.status == 64, "\(stray.stderr)")
    }
}
