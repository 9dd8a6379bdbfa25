import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutTestSupport
import Testing

@Suite("Downloader: cache layout, local dirs, parallel ranges")
struct DownloadTests {
    static func standardRepo(_ cache: FixtureCache) throws {
        try cache.addRepo("acme/tiny", commits: [[
            FixtureFile("config.json", text: #"{"model_type":"llama"}"#),
            FixtureFile("empty.txt", text: ""),
            FixtureFile("sub/dir/tokenizer.json", text: #"{"version":"1.0"}"#),
            FixtureFile("model.safetensors", generatedSize: 3 << 20, seed: 11, lfs: true),
            FixtureFile("small.bin", generatedSize: 40_000, seed: 12, lfs: true),
        ]], refs: ["main": 0, "refs/pr/1": 0])
    }

    @Test("a full download lays out blobs, relative snapshot links and a ref exactly as huggingface_hub does")
    func cacheLayout() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            let summary = try await harness.download("acme/tiny")
            let folder = harness.repoFolder("acme/tiny")
            let commit = summary.commit.value
            #expect(HubCache.isCommitHash(commit))
            #expect(summary.snapshotPath == folder + "/snapshots/" + commit)
            #expect(summary.files.count == 5)
            #expect(summary.files.allSatisfy { $0.status == .downloaded && $0.verified })
            // refs/main holds the commit with no newline.
            #expect(try String(contentsOfFile: folder + "/refs/main", encoding: .utf8) == commit)
            // Links are relative, one ../ per sub-folder.
            let top = try FileManager.default.destinationOfSymbolicLink(atPath: summary.snapshotPath + "/config.json")
            let nested = try FileManager.default.destinationOfSymbolicLink(atPath: summary.snapshotPath + "/sub/dir/tokenizer.json")
            #expect(top.hasPrefix("../../blobs/"))
            #expect(nested.hasPrefix("../../../../blobs/"))
            // Contents match the fixture byte for byte; etags name the blobs.
            let model = try #require(contents(summary.snapshotPath + "/model.safetensors"))
            #expect(model == FixtureFile("m", generatedSize: 3 << 20, seed: 11).bytes())
            let modelFile = try #require(summary.files.first { $0.path == "model.safetensors" })
            #expect(modelFile.sha256 == sha256Hex(model))
            #expect(FileManager.default.fileExists(atPath: folder + "/blobs/" + (modelFile.etag?.value ?? "none")))
            #expect(contents(summary.snapshotPath + "/empty.txt") == Data())
            #expect(FileManager.default.fileExists(atPath: harness.cacheRoot + "/CACHEDIR.TAG"))
            // No partial or sidecar left behind, and the token never went anywhere (none was set).
            let blobs = try FileManager.default.contentsOfDirectory(atPath: folder + "/blobs")
            #expect(blobs.allSatisfy { !$0.contains("incomplete") })
            #expect(harness.server.authorizationRejections == 0)
        }
    }

    @Test("a 3 MiB LFS file is fetched as several byte ranges in parallel and still hashes right")
    func parallelRanges() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            let summary = try await harness.download("acme/tiny", files: ["model.safetensors"])
            let ranges = harness.fileHostGets.compactMap(\.range)
            #expect(ranges.count == 4)
            #expect(Set(ranges).count == 4)
            let file = try #require(summary.files.first)
            #expect(file.verified)
            #expect(file.sha256 == sha256Hex(FixtureFile("m", generatedSize: 3 << 20, seed: 11).bytes()))
            #expect(summary.bytesDownloaded == 3 << 20)
            // Progress counts every byte: it only grows and ends exactly at the file size.
            let ticks = harness.events.progress
            let last = try #require(ticks.last)
            #expect(last.totalBytes == 3 << 20)
            #expect(last.completedBytes == 3 << 20)
            #expect(last.filesDone == 1)
            #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.completedBytes <= $1.completedBytes })
        }
    }

    @Test("the event stream API delivers the plan, per-file results and ends with the summary")
    func eventStream() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            let (events, result) = harness.downloader().downloadEvents(DownloadRequest(repo: try RepoID("acme/tiny"), include: ["*.json"]))
            var planned = 0, finished: [String] = []
            for await event in events {
                switch event {
                case .planned: planned += 1
                case let .fileFinished(file): finished.append(file.path)
                default: break
                }
            }
            let summary = try await result.value
            #expect(planned == 1)
            #expect(finished.sorted() == ["config.json", "sub/dir/tokenizer.json"])
            #expect(summary.files.count == 2)
        }
    }

    @Test("a second run reuses everything without fetching a byte, and a new revision only relinks shared blobs")
    func reuseAndRelink() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            let first = try await harness.download("acme/tiny")
            let getsAfterFirst = harness.faults.requests.filter { $0.method == "GET" && !$0.path.hasPrefix("/api/") }.count
            let second = try await harness.download("acme/tiny")
            #expect(second.files.allSatisfy { $0.status == .reused })
            #expect(second.bytesDownloaded == 0)
            #expect(harness.faults.requests.filter { $0.method == "GET" && !$0.path.hasPrefix("/api/") }.count == getsAfterFirst)
            // refs/pr/1 → refs/refs/pr/1, same commit, snapshot shared.
            let third = try await harness.download("acme/tiny", revision: "refs/pr/1")
            #expect(third.commit == first.commit)
            #expect(try String(contentsOfFile: harness.repoFolder("acme/tiny") + "/refs/refs/pr/1", encoding: .utf8) == first.commit.value)
            // Deleting a snapshot link is repaired from the blob without a download.
            try FileManager.default.removeItem(atPath: first.snapshotPath + "/small.bin")
            let fourth = try await harness.download("acme/tiny", files: ["small.bin"])
            #expect(fourth.files.first?.status == .linked)
            #expect(fourth.bytesDownloaded == 0)
        }
    }

    @Test("--local-dir writes plain files and the 3-line metadata sidecars, then recognises them")
    func localDirectory() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            let local = harness.workspace.path + "/local"
            let summary = try await harness.download("acme/tiny", include: ["*.json", "*.bin"], localDir: local)
            #expect(Set(summary.files.map(\.path)) == ["config.json", "sub/dir/tokenizer.json", "small.bin"])
            var isLink = false
            if let attributes = try? FileManager.default.attributesOfItem(atPath: local + "/small.bin") {
                isLink = attributes[.type] as? FileAttributeType == .typeSymbolicLink
            }
            #expect(!isLink)
            #expect(contents(local + "/small.bin") == FixtureFile("s", generatedSize: 40_000, seed: 12).bytes())
            let metadata = try String(contentsOfFile: local + "/.cache/huggingface/download/sub/dir/tokenizer.json.metadata", encoding: .utf8)
            let lines = metadata.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[0] == summary.commit.value)
            #expect(lines[1] == summary.files.first { $0.path == "sub/dir/tokenizer.json" }?.etag?.value)
            #expect(Double(lines[2]) != nil)
            #expect(try String(contentsOfFile: local + "/.cache/huggingface/.gitignore", encoding: .utf8) == "*")
            #expect(!FileManager.default.fileExists(atPath: harness.cacheRoot))
            let again = try await harness.download("acme/tiny", include: ["*.json", "*.bin"], localDir: local)
            #expect(again.files.allSatisfy { $0.status == .reused })
            // A local LFS file without metadata is hashed and kept when it matches.
            try FileManager.default.removeItem(atPath: local + "/.cache/huggingface/download/small.bin.metadata")
            let third = try await harness.download("acme/tiny", files: ["small.bin"], localDir: local)
            #expect(third.files.first?.status == .reused)
            #expect(third.files.first?.verified == true)
        }
    }

    @Test("the plan pins one commit, counts bytes present and to fetch, and reports free space")
    func planCounts() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            _ = try await harness.download("acme/tiny", files: ["small.bin"])
            let request = DownloadRequest(repo: try RepoID("acme/tiny"), files: ["*.bin", "model.safetensors"])
            let plan = try await harness.downloader().plan(request)
            #expect(plan.files.map(\.path.value).sorted() == ["model.safetensors", "small.bin"])
            #expect(plan.bytesPresent == 40_000)
            #expect(plan.bytesToFetch == 3 << 20)
            #expect((plan.freeBytes ?? 0) > 0)
            #expect(plan.files.first { $0.path.value == "small.bin" }?.state == .present)
        }
    }

    @Test("a repository id in another case reuses the existing cache folder instead of making a second one")
    func caseVariantFolder() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            try FileManager.default.createDirectory(atPath: harness.cacheRoot + "/models--ACME--Tiny/blobs", withIntermediateDirectories: true)
            let summary = try await harness.download("acme/tiny", files: ["config.json"])
            #expect(summary.snapshotPath.hasPrefix(harness.cacheRoot + "/models--ACME--Tiny/snapshots/"))
            #expect(!FileManager.default.fileExists(atPath: harness.cacheRoot + "/models--acme--tiny"))
        }
    }

    @Test("HF_HUB_OFFLINE answers from the cache without any request")
    func offline() async throws {
        let harness = try await DownloadHarness(build: Self.standardRepo)
        try await harness.run {
            let online = try await harness.download("acme/tiny", files: ["config.json"])
            let before = harness.faults.requests.count
            let downloader = Downloader(client: harness.client(offline: true), options: DownloadHarness.options())
            let summary = try await downloader.download(DownloadRequest(repo: try RepoID("acme/tiny"), files: ["config.json"]))
            #expect(summary.commit == online.commit)
            #expect(summary.files.first?.status == .reused)
            #expect(harness.faults.requests.count == before)
            await #expect(throws: DownloadError.self) {
                _ = try await downloader.download(DownloadRequest(repo: try RepoID("acme/tiny"), files: ["model.safetensors"]))
            }
        }
    }
}
