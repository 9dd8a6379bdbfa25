import Crypto
import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `hubscout` binary as child processes against the test server: SIGKILL mid-download
/// and resume, two processes on one blob, and the `--json` / `--dry-run` output.
@Suite("hubscout download as a child process", .serialized)
struct DownloadProcessTests {
    /// `.build/debug/hubscout`, next to the test bundle.
    static func binary() throws -> String {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundleFolder.appendingPathComponent("hubscout").path]
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/hubscout").path)
        // swift test's bundle may sit deeper (…/debug/hubscoutPackageTests.xctest/…).
        candidates.append(bundleFolder.deletingLastPathComponent().appendingPathComponent("hubscout").path)
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                            "build the hubscout product first (swift build)")
    }

    /// A child process with stdout/stderr captured to files.
    final class Child: @unchecked Sendable {
        let process = Process()
        let stdoutPath: String
        let stderrPath: String

        init(_ binary: String, arguments: [String], environment: [String: String], logs: String) throws {
            stdoutPath = logs + ".out"
            stderrPath = logs + ".err"
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.environment = environment
            process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        func wait(timeout: Double = 180) async -> Int32 {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return process.terminationStatus
        }

        var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    }

    static func environment(_ harness: DownloadHarness) -> [String: String] {
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HF_") && !$0.key.hasPrefix("HUGGING") }
        variables["HF_ENDPOINT"] = harness.server.apiURL
        variables["HF_HOME"] = harness.workspace.path + "/hf-home"
        variables["HF_HUB_CACHE"] = harness.cacheRoot
        variables["HF_HUB_DOWNLOAD_TIMEOUT"] = String(TestTimeouts.stall)
        return variables
    }

    /// Bytes the file host was asked for by `requests` (a Range's length, or the whole file).
    static func requestedBytes(_ requests: some Sequence<RecordedRequest>, size: Int64) -> Int64 {
        requests.reduce(0) { total, request in
            guard let range = request.range, range.hasPrefix("bytes=") else { return total + size }
            let bounds = range.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
            let first = Int64(bounds.first ?? "") ?? 0
            let last = bounds.count > 1 ? Int64(bounds[1]) ?? (size - 1) : size - 1
            return total + (last - first + 1)
        }
    }

    static func sha256(ofFile path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    @Test("a ~200 MB download killed with SIGKILL resumes in a new process, fetching under 60 % again, and verifies")
    func sigkillAndResume() async throws {
        let binary = try Self.binary()
        let size: Int64 = 200_000_000
        let file = FixtureFile("big.bin", generatedSize: size, seed: 41, lfs: true)
        let harness = try await DownloadHarness { cache in try cache.addRepo("acme/big", commits: [[file]]) }
        try await harness.run {
            let repo = "acme/big"
            // One of the four ranges stalls after 30 MB, so the kill lands mid-file deterministically.
            harness.faults.add(FaultRule(method: "GET", path: .prefix("/lfs/"), times: 1, action: .stall(afterBytes: 30_000_000, seconds: 120)))
            let arguments = ["download", repo, "--connections", "4"]
            let first = try Child(binary, arguments: arguments, environment: Self.environment(harness), logs: harness.workspace.path + "/run1")
            let blobs = harness.repoFolder(repo) + "/blobs"
            var recorded: Int64 = 0
            let deadline = Date().addingTimeInterval(150)
            while Date() < deadline, first.process.isRunning {
                try await Task.sleep(nanoseconds: 50_000_000)
                let names = (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []
                guard let sidecar = names.first(where: { $0.hasSuffix(".incomplete.json") }),
                      let data = FileManager.default.contents(atPath: blobs + "/" + sidecar),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let parts = object["parts"] as? [[String: Any]] else { continue }
                recorded = parts.reduce(Int64(0)) { $0 + ((($1["done"] as? NSNumber)?.int64Value) ?? 0) }
                let incomplete = blobs + "/" + String(sidecar.dropLast(".json".count))
                if recorded >= 170_000_000, PartialFileSize.of(incomplete) > 0 { break }
            }
            #expect(first.process.isRunning, "the first run ended before it could be killed: \(first.stderr)")
            kill(first.process.processIdentifier, SIGKILL)
            _ = await first.wait()
            #expect(recorded >= 170_000_000)
            let before = harness.fileHostGets.count

            let second = try Child(binary, arguments: arguments, environment: Self.environment(harness), logs: harness.workspace.path + "/run2")
            let status = await second.wait()
            #expect(status == 0, "second run failed: \(second.stderr)")
            let again = Self.requestedBytes(harness.fileHostGets.dropFirst(before), size: size)
            #expect(again > 0)
            #expect(Double(again) < 0.6 * Double(size), "re-fetched \(again) of \(size) bytes")
            // The fixture names its blob by the sha256 it computed while writing it.
            let fixtureBlobs = harness.fixtures.root.path + "/models--acme--big/blobs"
            let etag = try #require(try FileManager.default.contentsOfDirectory(atPath: fixtureBlobs).first { $0.count == 64 })
            #expect(Self.sha256(ofFile: blobs + "/" + etag) == etag)
            #expect(second.stderr.contains("resuming"))
            // Nothing partial is left, not even a sidecar copy the killed process was writing when it died.
            let left = ((try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []).filter { $0.contains("incomplete") }
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test("two hubscout processes downloading the same blob at once fetch it once and both succeed; --json prints the summary")
    func twoProcessesOneBlob() async throws {
        let binary = try Self.binary()
        let file = FixtureFile("mid.bin", generatedSize: 6_000_000, seed: 43, lfs: true)
        let harness = try await DownloadHarness { cache in
            try cache.addRepo("acme/mid", commits: [[file, FixtureFile("config.json", text: "{}")]])
        }
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: .prefix("/lfs/"), times: 1, action: .stall(afterBytes: 1_000_000, seconds: 2)))
            let environment = Self.environment(harness)
            let a = try Child(binary, arguments: ["download", "acme/mid", "--json"], environment: environment, logs: harness.workspace.path + "/a")
            try await Task.sleep(nanoseconds: 300_000_000)
            let b = try Child(binary, arguments: ["download", "acme/mid", "--json"], environment: environment, logs: harness.workspace.path + "/b")
            let statusA = await a.wait(), statusB = await b.wait()
            #expect(statusA == 0, "\(a.stderr)")
            #expect(statusB == 0, "\(b.stderr)")
            #expect(Self.requestedBytes(harness.fileHostGets, size: file.size) == file.size)
            let waitedNotice = (a.stdout + b.stdout).contains("another download of this file is running")
            #expect(waitedNotice)
            // The last line of --json is the summary.
            let last = try #require(a.stdout.split(separator: "\n").last)
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
            #expect(summary["event"] as? String == "summary")
            #expect((summary["snapshotPath"] as? String)?.hasPrefix(harness.cacheRoot) == true)
            #expect(summary["revision"] as? String == "main")
            #expect(summary["bytesDownloaded"] != nil && summary["bytesReused"] != nil)
            let files = try #require(summary["files"] as? [[String: Any]])
            let mid = try #require(files.first { $0["path"] as? String == "mid.bin" })
            #expect(mid["size"] as? Int == 6_000_000)
            #expect(mid["sha256"] as? String == sha256Hex(file.bytes()))
            #expect(mid["verified"] != nil)
            let snapshot = try #require(summary["snapshotPath"] as? String)
            #expect(Self.sha256(ofFile: snapshot + "/mid.bin") == sha256Hex(file.bytes()))
        }
    }

    @Test("--dry-run prints the plan and fetches nothing")
    func dryRun() async throws {
        let binary = try Self.binary()
        let harness = try await DownloadHarness { cache in
            try cache.addRepo("acme/plan", commits: [[FixtureFile("a.bin", generatedSize: 10_000, seed: 2, lfs: true),
                                                      FixtureFile("config.json", text: "{}")]])
        }
        try await harness.run {
            let child = try Child(binary, arguments: ["download", "acme/plan", "--dry-run", "--json"], environment: Self.environment(harness),
                                  logs: harness.workspace.path + "/plan")
            #expect(await child.wait() == 0, "\(child.stderr)")
            let plan = try JSONDecoder().decode(DownloadPlan.self, from: Data(child.stdout.utf8))
            #expect(plan.files.count == 2)
            #expect(plan.bytesToFetch == 10_002)
            #expect(plan.freeBytes != nil)
            #expect(harness.fileHostGets.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: harness.cacheRoot))
        }
    }

    @Test("download takes a model reference: ORG/NAME:QUANT picks that quantization's GGUF files, a blob URL picks its file, @REV its revision")
    func modelReferences() async throws {
        let binary = try Self.binary()
        let harness = try await DownloadHarness { cache in
            try cache.addRepo("acme/gguf", commits: [[FixtureFile("m-Q4_K_M.gguf", generatedSize: 1_000, seed: 3, lfs: true),
                                                      FixtureFile("m-Q4_K_S.gguf", generatedSize: 900, seed: 5, lfs: true),
                                                      FixtureFile("m-q8_0.gguf", generatedSize: 2_000, seed: 4, lfs: true),
                                                      FixtureFile("Q6_K/m-Q6_K-00001-of-00002.gguf", generatedSize: 700, seed: 6, lfs: true),
                                                      FixtureFile("Q6_K/m-Q6_K-00002-of-00002.gguf", generatedSize: 600, seed: 7, lfs: true),
                                                      FixtureFile("mmproj-m-F16.gguf", generatedSize: 300, seed: 8, lfs: true),
                                                      FixtureFile("README.md", text: "hi")]])
        }
        try await harness.run {
            func plan(_ arguments: [String], _ name: String) async throws -> DownloadPlan {
                let child = try Child(binary, arguments: ["download"] + arguments + ["--dry-run", "--json"], environment: Self.environment(harness),
                                      logs: harness.workspace.path + "/" + name)
                #expect(await child.wait() == 0, "\(child.stderr)")
                return try JSONDecoder().decode(DownloadPlan.self, from: Data(child.stdout.utf8))
            }
            #expect(try await plan(["acme/gguf:q4_k_m"], "quant").files.map(\.path.value) == ["m-Q4_K_M.gguf"])
            #expect(try await plan(["hf.co/acme/gguf:Q8_0"], "hfco").files.map(\.path.value) == ["m-q8_0.gguf"])
            // A split quant is every part and nothing else (no projector, no other quant).
            #expect(try await plan(["acme/gguf:Q6_K"], "split").files.map(\.path.value).sorted()
                    == ["Q6_K/m-Q6_K-00001-of-00002.gguf", "Q6_K/m-Q6_K-00002-of-00002.gguf"])
            // A quant the repo lacks: exit 25, the message lists what it has, nothing is planned.
            let missing = try Child(binary, arguments: ["download", "acme/gguf:Q5_K_M", "--dry-run"], environment: Self.environment(harness),
                                    logs: harness.workspace.path + "/missing")
            #expect(await missing.wait() == 25)
            #expect(missing.stderr.contains("no Q5_K_M GGUF"), "\(missing.stderr)")
            #expect(missing.stderr.contains("Q4_K_M") && missing.stderr.contains("Q6_K") && !missing.stderr.contains("F16,"), "\(missing.stderr)")
            #expect(try await plan(["https://huggingface.co/acme/gguf/blob/main/README.md"], "url").files.map(\.path.value) == ["README.md"])
            let main = try await plan(["acme/gguf@main"], "rev")
            #expect(main.revision == "main" && main.files.count == 7)
            #expect(harness.fileHostGets.isEmpty)
        }
    }
}
