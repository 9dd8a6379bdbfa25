import Foundation
import HubScoutCore
import HubScoutTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// hf's habits in the real binary: `cache rm`/`prune` ask first (and refuse without a terminal), `cache ls` filters,
/// sorts and limits, `models ls` is `search`, over fixture caches and the catalog snapshot built into the binary.
@Suite("CLI: cache and models as hf spells them")
struct CLICacheHabitsTests {
    /// The fixture cache of `InventoryTests.detachedCache`, written off the cooperative pool.
    static func cache() async throws -> (FixtureCache, FixtureRepo) {
        try await OffPool.run { try InventoryTests.detachedCache() }
    }

    static func exists(_ cache: FixtureCache, _ id: String) throws -> Bool {
        FileManager.default.fileExists(atPath: cache.root.appendingPathComponent(try RepoID(id).cacheFolderName).path)
    }

    static func snapshotExists(_ cache: FixtureCache, _ id: String, _ commit: String) throws -> Bool {
        let folder = cache.root.appendingPathComponent(try RepoID(id).cacheFolderName).appendingPathComponent("snapshots/\(commit)")
        return FileManager.default.fileExists(atPath: folder.path)
    }

    @Test("cache rm without a terminal and without -y deletes nothing and says to pass -y; --dry-run and -y work; model/ORG/NAME is accepted")
    func removeRefusesWithoutTerminal() async throws {
        let (cache, _) = try await Self.cache()
        defer { cache.remove() }
        let root = ["--cache-dir", cache.root.path]
        let refused = try await CLIRunner.run(["cache", "rm", "acme/other"] + root)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("not a terminal") && refused.stderr.contains("-y (--yes)"), "\(refused.stderr)")
        #expect(try Self.exists(cache, "acme/other"))

        let dry = try await CLIRunner.run(["cache", "rm", "acme/other", "--dry-run"] + root)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would delete") && dry.stdout.contains("acme/other"), "\(dry.stdout)")
        #expect(try Self.exists(cache, "acme/other"))

        let removed = try await CLIRunner.run(["cache", "rm", "model/acme/other", "-y", "--json"] + root)
        #expect(removed.status == 0, "\(removed.stderr)")
        let json = try removed.object()
        #expect(json["dryRun"] as? Bool == false)
        #expect((json["removed"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["repository"])
        #expect(try !Self.exists(cache, "acme/other"))
        #expect(try Self.exists(cache, "acme/moved") && Self.exists(cache, "acme/orphan"))
    }

    @Test("cache rm in a terminal lists what goes and asks: n keeps everything, y deletes")
    func removeAsksOnTerminal() async throws {
        let (cache, _) = try await Self.cache()
        defer { cache.remove() }
        let arguments = ["cache", "rm", "acme/orphan", "--cache-dir", cache.root.path]
        let declined = try await Self.runOnTerminal(arguments, typing: "n\n")
        #expect(declined.status == 1, "\(declined.stderr)")
        #expect(declined.stderr.contains("will delete") && declined.stderr.contains("[y/N]"), "\(declined.stderr)")
        #expect(declined.stderr.contains("nothing was deleted"))
        #expect(try Self.exists(cache, "acme/orphan"))

        let accepted = try await Self.runOnTerminal(arguments, typing: "y\n")
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("deleted"), "\(accepted.stdout)")
        #expect(try !Self.exists(cache, "acme/orphan"))
    }

    @Test("cache ls --filter (text, glob, hf expression), --sort and --limit choose and order the rows")
    func listFilterSortLimit() async throws {
        let (cache, _) = try await Self.cache()
        defer { cache.remove() }
        let root = ["--cache-dir", cache.root.path]
        func ids(_ arguments: [String]) async throws -> [String] {
            let run = try await CLIRunner.run(["cache", "ls", "--json"] + arguments + root)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            return (try run.object()["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try await ids([]) == ["acme/moved", "acme/orphan", "acme/other"])
        #expect(try await ids(["--filter", "OTH"]) == ["acme/other"])
        #expect(try await ids(["-f", "acme/o*", "--sort", "size:asc", "--limit", "1"]) == ["acme/orphan"])
        #expect(try await ids(["--filter", "size>5.5KB", "--sort", "size"]) == ["acme/moved", "acme/other"])
        #expect(try await ids(["--sort", "name:desc", "--limit", "2"]) == ["acme/other", "acme/orphan"])
        #expect(try await ids(["--revisions", "--filter", "refs=v1"]) == ["acme/moved"])

        let table = try await CLIRunner.run(["cache", "ls", "--sort", "size"] + root)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) } == ["acme/moved", "acme/other", "acme/orphan"])
        #expect(table.stderr.contains("3 repositories"), "\(table.stderr)")

        let badFilter = try await CLIRunner.run(["cache", "ls", "--filter", "colour=red"] + root)
        #expect(badFilter.status != 0 && badFilter.stderr.contains("not a filter key"), "\(badFilter.stderr)")
        let badSort = try await CLIRunner.run(["cache", "ls", "--sort", "biggest"] + root)
        #expect(badSort.status != 0 && badSort.stderr.contains("size"), "\(badSort.stderr)")
    }

    @Test("cache prune removes only detached revisions (and an all-detached repository), keeps shared blobs, and needs -y without a terminal")
    func prune() async throws {
        let (cache, repo) = try await Self.cache()
        defer { cache.remove() }
        let root = ["--cache-dir", cache.root.path]
        let blobs = cache.root.appendingPathComponent(try RepoID("acme/moved").cacheFolderName).appendingPathComponent("blobs").path
        let blobsBefore = Set(try FileManager.default.contentsOfDirectory(atPath: blobs))

        let refused = try await CLIRunner.run(["cache", "prune"] + root)
        #expect(refused.status == 2 && refused.stderr.contains("-y"), "\(refused.stderr)")
        let dry = try await CLIRunner.run(["cache", "prune", "--dry-run", "--json"] + root)
        #expect(dry.status == 0, "\(dry.stderr)")
        let planned = try dry.object()["removed"] as? [[String: Any]] ?? []
        #expect(planned.filter { $0["kind"] as? String == "revision" }.compactMap { $0["commit"] as? String } == [repo.commits[0]])
        #expect(planned.filter { $0["kind"] as? String == "repository" }.compactMap { $0["repo"] as? String } == ["acme/orphan"])
        #expect(try Self.snapshotExists(cache, "acme/moved", repo.commits[0]) && Self.exists(cache, "acme/orphan"))

        let pruned = try await CLIRunner.run(["cache", "prune", "-y"] + root)
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(try !Self.snapshotExists(cache, "acme/moved", repo.commits[0]))
        #expect(try Self.snapshotExists(cache, "acme/moved", repo.commits[1]) && Self.snapshotExists(cache, "acme/moved", repo.commits[2]))
        #expect(try !Self.exists(cache, "acme/orphan") && Self.exists(cache, "acme/other"))
        // Only old.safetensors' blob went; the blob all three shared is still there for main and v1.
        let blobsAfter = Set(try FileManager.default.contentsOfDirectory(atPath: blobs))
        #expect(blobsBefore.subtracting(blobsAfter).count == 1)
        let shared = try #require(repo.files[2].first { $0.path == "shared.safetensors" }).etag
        #expect(blobsAfter.contains(shared))
        let verify = try await CLIRunner.run(["cache", "verify", "models/acme/moved"] + root)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test("models ls gives the rows search gives, offline and through the fallback when the Hub is unreachable, with hf's option names")
    func modelsListIsSearch() async throws {
        // HOME is fresh for each run, so each imports the catalog snapshot built into the binary; port 9 refuses.
        let unreachable = ["HF_ENDPOINT": "http://127.0.0.1:9"]
        let search = try await CLIRunner.run(["search", "--offline", "--author", "Qwen", "--limit", "5", "--json"], environment: unreachable)
        let models = try await CLIRunner.run(["models", "ls", "--offline", "--author", "Qwen", "--limit", "5", "--json"], environment: unreachable)
        #expect(search.status == 0 && models.status == 0, "\(search.stderr) \(models.stderr)")
        #expect(try !search.array().isEmpty)
        #expect(models.stdout == search.stdout)

        let searchTable = try await CLIRunner.run(["search", "qwen", "--task", "text-generation", "--limit", "4"], environment: unreachable)
        let hfSpelling = try await CLIRunner.run(["models", "list", "--search", "qwen", "--pipeline-tag", "text-generation", "--limit", "4"],
                                                 environment: unreachable)
        #expect(searchTable.status == 0 && hfSpelling.status == 0, "\(searchTable.stderr) \(hfSpelling.stderr)")
        #expect(searchTable.stdout.split(separator: "\n").count > 2, "\(searchTable.stdout)")
        #expect(hfSpelling.stdout == searchTable.stdout)

        let twice = try await CLIRunner.run(["models", "ls", "llama", "--search", "qwen"], environment: unreachable)
        #expect(twice.status != 0 && twice.stderr.contains("not both"), "\(twice.stderr)")
        let help = try await CLIRunner.run(["models", "ls", "--help"])
        #expect(help.stdout.contains("USAGE: hubscout models ls"), "\(help.stdout)")
    }

    /// Runs the built binary with stdin on a pseudo-terminal (so it is a tty to the child) and `input` typed into it.
    static func runOnTerminal(_ arguments: [String], typing input: String) async throws -> CLIRunner.Run {
        let binary = try CLIRunner.binary()
        return try await OffPool.run {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-tty-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let pty = try PseudoTerminal(columns: 80)
            let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.environment = ["HOME": dir.path, "PATH": "/usr/bin:/bin", "HUBSCOUT_NO_CATALOG": "1"]
            process.standardInput = pty.slaveHandle
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
            pty.closeSlave()
            // The terminal holds the line until the child reads it, whenever that is.
            pty.type(input)
            let deadline = Date().addingTimeInterval(TestTimeouts.child)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            return CLIRunner.Run(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                                 stderr: try String(contentsOf: err, encoding: .utf8))
        }
    }
}

