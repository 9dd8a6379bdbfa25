import Foundation
import HubScoutTestSupport
import Testing

/// What `search` tells a person besides its rows: which models `--fits` skipped, an offline answer that has nothing
/// to search, and errors spelled one way.
@Suite("hubscout search: skipped models, empty catalog, error messages", .serialized)
struct CLISearchOutputTests {
    @Test("--fits counts skipped models; --verbose names each with its reason")
    func skippedModels() async throws {
        try await TestHubServer.withPopulation { server, population in
            try FitSearchFixtures.add(to: population.cache)
            let env = ["HF_ENDPOINT": server.apiURL, "HUBSCOUT_SYSROOT": try CLIRunner.sysroot("cgroup-v2-container")]
            let arguments = ["search", "--task", "text-generation", "--fits", "16GB", "--json"]

            let plain = try await CLIRunner.run(arguments, environment: env)
            #expect(plain.status == 0, "\(plain.stderr)")
            let count = try Self.skippedCount(plain.stderr)
            #expect(count > 0, "the population has text-generation models without a usable config: \(plain.stderr)")
            #expect(plain.stderr.contains("--verbose names them"))
            #expect(!plain.stderr.contains("\n  skipped "))

            let verbose = try await CLIRunner.run(arguments + ["--verbose"], environment: env)
            #expect(verbose.status == 0, "\(verbose.stderr)")
            #expect(try Self.skippedCount(verbose.stderr) == count)
            let listed = verbose.stderr.split(separator: "\n").filter { $0.hasPrefix("  skipped ") }
            #expect(listed.count == count, "\(verbose.stderr)")
            let fitting = try verbose.array().compactMap { $0["id"] as? String }
            for line in listed {
                // `  skipped org/name: reason`, naming a model of the listing that is not among the results.
                let body = line.dropFirst("  skipped ".count)
                let parts = body.split(separator: ":", maxSplits: 1)
                #expect(parts.count == 2 && !parts[1].trimmingCharacters(in: .whitespaces).isEmpty, "no reason: \(line)")
                let id = String(parts[0])
                #expect(population.repos[id] != nil, "\(id) is not a repo of the listing")
                #expect(!fitting.contains(id))
            }
            #expect(listed.contains { $0.contains("HuggingFaceH4/zephyr-7b-beta") }, "\(verbose.stderr)")
            // The rows on stdout are the same with or without the list.
            #expect(verbose.stdout == plain.stdout)

            let contradictory = try await CLIRunner.run(arguments + ["--verbose", "-q"], environment: env)
            #expect(contradictory.status == 64)
        }
    }

    /// `N` of "N skipped" in the summary line.
    static func skippedCount(_ stderr: String) throws -> Int {
        let match = try #require(stderr.firstMatch(of: /(\d+) skipped/), "\(stderr)")
        return try #require(Int(match.1))
    }

    @Test("an offline answer from an empty catalog exits 27 and says how to fill it; an empty match is still exit 0")
    func emptyCatalog() async throws {
        let unreachable = ["HF_ENDPOINT": "http://127.0.0.1:9"]
        // HUBSCOUT_SNAPSHOT naming no file: nothing is imported, so the catalog stays empty.
        let empty = unreachable.merging(["HUBSCOUT_SNAPSHOT": "/nonexistent/models.jsonl"]) { _, new in new }
        for arguments in [["search", "llama"], ["search", "--offline", "llama"], ["search", "--fits", "16GB", "--limit", "3"],
                          ["catalog", "search", "llama"], ["search", "--offline", "--json"]] {
            let run = try await CLIRunner.run(arguments, environment: empty)
            #expect(run.status == 27, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments): \(run.stdout)")
            #expect(run.stderr.contains("Error: the local catalog"), "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("is empty"))
            #expect(run.stderr.contains("unset HUBSCOUT_SNAPSHOT (/nonexistent/models.jsonl)"))
            #expect(run.stderr.contains("hubscout catalog sync"))
        }

        // The same searches over the built-in snapshot answer; one that matches nothing is an answer too.
        let filled = try await CLIRunner.run(["search", "llama"], environment: unreachable)
        #expect(filled.status == 0, "\(filled.stderr)")
        #expect(filled.stdout.contains("llama"))
        let none = try await CLIRunner.run(["search", "--offline", "no-such-model-anywhere-xyz"], environment: unreachable)
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.stdout.isEmpty)
        #expect(none.stderr.contains("no models match these filters"))
    }

    @Test("our errors and ArgumentParser's start the same way: Error:")
    func oneErrorPrefix() async throws {
        let usage = try await CLIRunner.run(["search", "--no-such-option"])
        #expect(usage.status == 64)
        #expect(usage.stderr.hasPrefix("Error: "), "\(usage.stderr)")
        let ours = try await CLIRunner.run(["search", "--offline", "llama"],
                                           environment: ["HUBSCOUT_SNAPSHOT": "/nonexistent/models.jsonl"])
        #expect(ours.status == 27)
        let errorLine = try #require(ours.stderr.split(separator: "\n").last)
        #expect(errorLine.hasPrefix("Error: "), "\(ours.stderr)")
        #expect(!ours.stderr.contains("error: "))
    }
}
