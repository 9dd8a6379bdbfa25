import Foundation
import HubScoutTestSupport
import Testing

/// How much a download says on stderr: a live display on a capable terminal, plain lines on `TERM=dumb`, no progress
/// with `HF_HUB_DISABLE_PROGRESS_BARS=1`, nothing but results and errors with `-q`.
@Suite("hubscout quiet modes: -q, HF_HUB_DISABLE_PROGRESS_BARS, TERM=dumb", .serialized)
struct CLIQuietTests {
    static let repo = "hubscout-test/quiet"
    static let escape = "\u{1B}["

    /// Serves one repo: a card, a config and a 4 MiB LFS file (enough bytes for progress events).
    static func withServer(_ body: (TestHubServer) async throws -> Void) async throws {
        let cache = try await OffPool.run { () -> FixtureCache in
            let cache = try FixtureCache()
            try cache.addRepo(repo, commits: [[
                .readme(frontMatter: "license: mit"),
                FixtureFile("config.json", text: #"{"model_type":"llama"}"#),
                FixtureFile("model.safetensors", generatedSize: 4 << 20, seed: 3, lfs: true),
            ]])
            return cache
        }
        defer { cache.remove() }
        try await TestHubServer.with(root: cache.root) { try await body($0) }
    }

    @Test("TERM=dumb gets plain progress lines without escapes; a capable terminal gets the redrawn display")
    func dumbTerminal() async throws {
        try await Self.withServer { server in
            let capable = try await PTYRunner.run(["download", Self.repo], columns: 80, environment: ["HF_ENDPOINT": server.apiURL],
                                                  stdoutOnTerminal: false)
            #expect(capable.status == 0, "\(capable.terminal)")
            #expect(capable.terminal.contains(Self.escape), "the control run drew no live display: \(capable.terminal)")

            let dumb = try await PTYRunner.run(["download", Self.repo], columns: 80,
                                               environment: ["HF_ENDPOINT": server.apiURL, "TERM": "dumb"], stdoutOnTerminal: false)
            #expect(dumb.status == 0, "\(dumb.terminal)")
            #expect(!dumb.terminal.contains(Self.escape), "\(dumb.terminal)")
            #expect(dumb.terminal.contains("fetching model.safetensors (4.00 MiB)"))
            #expect(dumb.terminal.contains("✓ model.safetensors"))
            #expect(dumb.terminal.contains("done: 3 files"))
            #expect(dumb.stdout.contains("/snapshots/"))
        }
    }

    @Test("HF_HUB_DISABLE_PROGRESS_BARS=1: no progress on a terminal, the summary and the result still printed")
    func progressBarsDisabled() async throws {
        try await Self.withServer { server in
            let run = try await PTYRunner.run(["download", Self.repo], columns: 80,
                                              environment: ["HF_ENDPOINT": server.apiURL, "HF_HUB_DISABLE_PROGRESS_BARS": "1"],
                                              stdoutOnTerminal: false)
            #expect(run.status == 0, "\(run.terminal)")
            #expect(!run.terminal.contains(Self.escape), "\(run.terminal)")
            for progress in ["fetching", "✓", "progress:", "[#"] { #expect(!run.terminal.contains(progress), "\(progress) in \(run.terminal)") }
            #expect(run.terminal.contains("done: 3 files"), "\(run.terminal)")
            #expect(run.stdout.contains("/snapshots/"))
        }
    }

    @Test("-q: a download prints only its result; an error is still printed, with its exit code")
    func quietDownload() async throws {
        try await Self.withServer { server in
            let run = try await PTYRunner.run(["download", Self.repo, "-q"], columns: 80, environment: ["HF_ENDPOINT": server.apiURL],
                                              stdoutOnTerminal: false)
            #expect(run.status == 0, "\(run.terminal)")
            #expect(run.terminal.isEmpty, "stderr: \(run.terminal)")
            #expect(run.stdout.hasSuffix("\n") && run.stdout.split(separator: "\n").count == 1)
            #expect(run.stdout.contains("/snapshots/"))

            let missing = try await CLIRunner.run(["download", "hubscout-test/not-there", "--quiet"], environment: ["HF_ENDPOINT": server.apiURL])
            #expect(missing.status == 10)
            #expect(missing.stderr.hasPrefix("Error: "), "\(missing.stderr)")
            #expect(missing.stdout.isEmpty)
        }
    }

    @Test("-q: a search prints its rows and no notes, also when it falls back to the catalog")
    func quietSearch() async throws {
        let env = ["HF_ENDPOINT": "http://127.0.0.1:9"]
        let loud = try await CLIRunner.run(["search", "--limit", "3"], environment: env)
        #expect(loud.status == 0, "\(loud.stderr)")
        #expect(loud.stderr.contains("answering from the local catalog"))
        #expect(loud.stderr.contains("showing 3 models"))

        let quiet = try await CLIRunner.run(["search", "--limit", "3", "-q"], environment: env)
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(quiet.stdout == loud.stdout)
        #expect(quiet.stdout.split(separator: "\n").count == 4)
    }

    @Test("counts read as English: 1 file, 3 files")
    func pluralized() async throws {
        try await Self.withServer { server in
            let env = ["HF_ENDPOINT": server.apiURL]
            let one = try await CLIRunner.run(["download", Self.repo, "config.json", "--dry-run"], environment: env)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.contains("total: 1 file, "), "\(one.stdout)")
            let fetched = try await CLIRunner.run(["download", Self.repo, "config.json"], environment: env)
            #expect(fetched.status == 0, "\(fetched.stderr)")
            #expect(fetched.stderr.contains(": 1 file, "), "\(fetched.stderr)")   // the plan line
            #expect(fetched.stderr.contains("done: 1 file, "), "\(fetched.stderr)")
            #expect(!fetched.stderr.contains("1 files"))
            let all = try await CLIRunner.run(["download", Self.repo, "--dry-run"], environment: env)
            #expect(all.stdout.contains("total: 3 files, "), "\(all.stdout)")
        }
    }
}
