import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutServer
import HubScoutTestSupport
import Testing

@Suite("Downloader under faults: resume, restarts, verification, retries, stalls")
struct DownloadFaultTests {
    static let size: Int64 = 2 << 20
    static let content = FixtureFile("model.bin", generatedSize: size, seed: 21, lfs: true)

    static func repo(_ cache: FixtureCache) throws {
        try cache.addRepo("acme/faulty", commits: [[content, FixtureFile("config.json", text: "{}")]])
    }

    static let lfsGets = FaultRule.PathMatch.prefix("/lfs/")

    /// One connection, so byte offsets are predictable.
    static func single(retries: Int = 5, stall: Int = 30, retryDelay: Double = 0.05) -> DownloadOptions {
        var options = DownloadHarness.options(connections: 1, stall: stall, retryDelay: retryDelay)
        options.maxRetries = retries
        return options
    }

    func snapshotBytes(_ summary: DownloadSummary) -> Data? { contents(summary.snapshotPath + "/model.bin") }

    func incompleteFiles(_ harness: DownloadHarness, repo: String = "acme/faulty") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: harness.repoFolder(repo) + "/blobs")) ?? []).filter { $0.hasSuffix(".incomplete") }
    }

    @Test("a body cut mid-way is resumed with Range in the same run and the sha256 is right")
    func cutMidBodyInRun() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .cutBody(afterBytes: 700_000)))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(summary.files.first?.verified == true)
            let ranges = harness.fileHostGets.map(\.range)
            #expect(ranges.count == 2)
            #expect(ranges.first == .some(nil))
            let resumedAt = try #require(ranges.last??.dropFirst("bytes=".count).split(separator: "-").first.flatMap { Int64($0) })
            #expect(resumedAt >= 512 << 10 && resumedAt <= 700_000)
            #expect(harness.events.notices.contains { $0.contains("resuming at byte") })
        }
    }

    @Test("a partial left by a failed run is resumed by the next run, which fetches only the rest")
    func resumeAcrossRuns() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .cutBody(afterBytes: 1_200_000)))
            await #expect(throws: DownloadError.self) {
                _ = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single(retries: 0))
            }
            #expect(incompleteFiles(harness).count == 1)
            #expect(!FileManager.default.fileExists(atPath: harness.repoFolder("acme/faulty") + "/blobs/" + sha256Hex(Self.content.bytes())))
            // The resume sidecar keeps the canonical resolve URL, never the signed CDN URL (it expires).
            let sidecars = try FileManager.default.contentsOfDirectory(atPath: harness.repoFolder("acme/faulty") + "/blobs").filter { $0.hasSuffix(".incomplete.json") }
            let sidecarName = try #require(sidecars.first)
            let sidecarData = try #require(FileManager.default.contents(atPath: harness.repoFolder("acme/faulty") + "/blobs/" + sidecarName))
            let sidecar = try #require(try JSONSerialization.jsonObject(with: sidecarData) as? [String: Any])
            let resolveURL = try #require(sidecar["resolveURL"] as? String)
            #expect(resolveURL.hasPrefix(harness.server.apiURL + "/acme/faulty/resolve/"), "\(resolveURL)")
            let text = String(decoding: sidecarData, as: UTF8.self)
            #expect(!text.contains("signature") && !text.contains("lfs") && !text.contains("127.0.0.2"), "\(text)")
            let before = harness.fileHostGets.count
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(summary.files.first?.verified == true)
            let second = harness.fileHostGets.dropFirst(before)
            #expect(second.count == 1)
            #expect(second.first?.range?.hasPrefix("bytes=") == true)
            #expect(summary.bytesDownloaded <= Self.size - 1_000_000)
            #expect(incompleteFiles(harness).isEmpty)
        }
    }

    @Test("parallel ranges interrupted in one run resume each range in the next")
    func resumeParallelAcrossRuns() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 2, action: .cutBody(afterBytes: 200_000)))
            var failing = DownloadHarness.options(connections: 4)
            failing.maxRetries = 0
            await #expect(throws: (any Error).self) {
                _ = try await harness.download("acme/faulty", files: ["model.bin"], options: failing)
            }
            let sidecar = try #require(incompleteFiles(harness).first).appending(".json")
            #expect(FileManager.default.fileExists(atPath: harness.repoFolder("acme/faulty") + "/blobs/" + sidecar))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"])
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(summary.files.first?.verified == true)
            #expect(summary.bytesDownloaded < Self.size)
        }
    }

    @Test("a server answering 200 to a Range request makes the download restart from zero, correctly")
    func rangeIgnored() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .cutBody(afterBytes: 900_000)))
            await #expect(throws: DownloadError.self) {
                _ = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single(retries: 0))
            }
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: Int.max, action: .ignoreRange))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"])
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(summary.files.first?.verified == true)
            #expect(harness.events.notices.contains { $0.contains("ignored the byte range") })
        }
    }

    @Test("when the file changes on the server between runs, the stale partial is dropped with a reason")
    func etagChangedBetweenRuns() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .cutBody(afterBytes: 800_000)))
            await #expect(throws: DownloadError.self) {
                _ = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single(retries: 0))
            }
            let stale = try #require(incompleteFiles(harness).first)
            let updated = FixtureFile("model.bin", generatedSize: Self.size, seed: 99, lfs: true)
            try harness.fixtures.addRepo("acme/faulty", commits: [[Self.content, FixtureFile("config.json", text: "{}")],
                                                                  [updated, FixtureFile("config.json", text: "{}")]])
            let summary = try await harness.download("acme/faulty", files: ["model.bin"])
            #expect(snapshotBytes(summary) == updated.bytes())
            #expect(summary.files.first?.etag?.value == sha256Hex(updated.bytes()))
            #expect(!FileManager.default.fileExists(atPath: harness.repoFolder("acme/faulty") + "/blobs/" + stale))
            #expect(harness.events.notices.contains { $0.contains("changed on the server") })
        }
    }

    @Test("a 416 for a stale partial drops it and restarts from zero, saying why")
    func staleRange416() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .cutBody(afterBytes: 600_000)))
            await #expect(throws: DownloadError.self) {
                _ = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single(retries: 0))
            }
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1,
                                         action: .respond(status: 416, headers: ["Content-Range": "bytes */\(Self.size)"])))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(harness.events.notices.contains { $0.contains("416") })
            #expect(harness.fileHostGets.last?.range == nil)
        }
    }

    @Test("a corrupted byte is caught by the sha256; one retry fixes it, a persistent one publishes nothing")
    func wrongSHA256() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .corruptByte(at: 123_456)))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(harness.events.notices.contains { $0.contains("retrying once") })

            let other = try await DownloadHarness(build: Self.repo)
            try await other.run {
            other.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: Int.max, action: .corruptByte(at: 5)))
            do {
                _ = try await other.download("acme/faulty", files: ["model.bin"])
                Issue.record("a corrupt download was accepted")
            } catch let error as DownloadError {
                guard case let .checksumMismatch(file, expected, actual) = error else { throw error }
                #expect(file == "model.bin")
                #expect(expected == sha256Hex(Self.content.bytes()))
                #expect(actual != expected)
            }
            let blobs = (try? FileManager.default.contentsOfDirectory(atPath: other.repoFolder("acme/faulty") + "/blobs")) ?? []
            #expect(blobs.isEmpty)
            let snapshots = other.repoFolder("acme/faulty") + "/snapshots"
            let entries = FileManager.default.enumerator(atPath: snapshots)?.allObjects as? [String] ?? []
            #expect(!entries.contains { $0.hasSuffix("model.bin") })
            }
        }
    }

    @Test("an announced size that the body does not match is reported as a size mismatch")
    func wrongSize() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "HEAD", path: .contains("/resolve/"), times: Int.max,
                                         action: .setHeader(name: "X-Linked-Size", value: String(Self.size - 10))))
            do {
                _ = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
                Issue.record("a wrong size was accepted")
            } catch let error as DownloadError {
                guard case .sizeMismatch = error else { throw error }
            }
            #expect(incompleteFiles(harness).isEmpty)
        }
    }

    @Test("429 and 5xx answers are retried after the server's delay and the download completes")
    func rateLimitAndServerErrors() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .rateLimited(bucket: "resolvers", seconds: 1)))
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 2, action: .respond(status: 503)))
            let started = Date()
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(harness.events.notices.contains { $0.contains("HTTP 429") })
            #expect(harness.events.notices.contains { $0.contains("HTTP 503") })
            // RateLimit r=0;t=1 asks for t+1 = 2 s.
            #expect(Date().timeIntervalSince(started) >= 1.9)
            #expect(harness.faults.pendingFaults == 0)
        }
    }

    @Test("a stalled connection is dropped after the stall timeout and resumed")
    func stall() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            // Every response stalls once it has sent 1 MB, so no GET that starts at 0 can finish the 2 MiB file:
            // the file is complete only if the downloader resumed, however many extra stalls load adds.
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: .max, action: .stall(afterBytes: 1_000_000, seconds: 20)))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single(retries: 10, stall: 3))
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(harness.events.notices.contains { $0.contains("no data for 3 s") })
            // A loaded machine may stall more than once, even before the first byte; what matters is that no
            // retry went back before bytes already held, and that the 1 MB received before the injected stall
            // was kept (up to the last 512 KiB write-behind block).
            let starts = harness.fileHostGets.map { Self.rangeStart($0.range) ?? 0 }
            #expect(starts.count >= 2)
            #expect(starts == starts.sorted(), "a retry went back to an earlier byte: \(starts)")
            #expect((starts.last ?? 0) >= 512 << 10, "never resumed past the bytes received: \(starts)")
        }
    }

    /// The first byte of a `bytes=N-` Range header.
    static func rangeStart(_ header: String?) -> Int64? {
        guard let header, header.hasPrefix("bytes=") else { return nil }
        return Int64(header.dropFirst(6).prefix { $0 != "-" })
    }

    @Test("an expired signed URL mid-file is re-resolved with a fresh HEAD, never retried as is")
    func expiredSignedURL() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            // The body is cut, and the resumed GET on the same URL is refused the way CloudFront refuses an expired
            // signature. Injected rather than waited for: a real 1-second lifetime can also expire the fresh URL on a
            // loaded machine, which makes the request count depend on the scheduler (the server's own expiry check
            // is tested in ServerResolveTests).
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .cutBody(afterBytes: 500_000)))
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .respond(
                status: 403, headers: ["Content-Type": "application/xml"],
                body: "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>")))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(harness.events.notices.contains { $0.contains("re-resolved") })
            let log = harness.faults.requests.filter { $0.path.contains("/resolve/") || $0.path.hasPrefix("/lfs/") }
            #expect(log.map(\.method) == ["HEAD", "GET", "GET", "HEAD", "GET"], "\(log.map { "\($0.method) \($0.path)" })")
            // After the refused GET came a HEAD, not the same URL again; the next GET resumes at the same offset.
            let gets = log.filter { $0.method == "GET" }
            #expect(gets.count == 3)
            if gets.count == 3 {
                #expect(gets[0].range == nil)
                #expect(gets[1].range?.hasPrefix("bytes=") == true)
                #expect(gets[2].range == gets[1].range)
            }
        }
    }

    @Test("a download the filesystem cannot hold is refused up front with needed and free GiB")
    func diskFullPreflight() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            let options = DownloadHarness.options(space: { _ in 1_000 })
            do {
                _ = try await harness.download("acme/faulty", options: options)
                Issue.record("the download was not refused")
            } catch let error as DownloadError {
                guard case let .diskFull(_, needed, free) = error else { throw error }
                #expect(needed == Self.size + 2)
                #expect(free == 1_000)
                #expect(error.description.contains("GiB needed"))
            }
            #expect(harness.fileHostGets.isEmpty)
        }
    }

    @Test("running out of space mid-file (a 1 MiB tmpfs, or the preflight when none can be mounted) fails cleanly")
    func diskFullDuringWrite() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            let mountPoint = harness.workspace.path + "/tiny"
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            let mounted = Self.shell("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]) == 0
            defer { if mounted { _ = Self.shell("/bin/umount", [mountPoint]) } }
            let local = mountPoint + "/out"
            // The tmpfs claims enough space so the preflight passes and the write itself hits ENOSPC;
            // without a tmpfs the real statvfs-free figure is replaced by a too-small one.
            let claimed: Int64 = mounted ? Int64.max / 2 : 10
            let options = DownloadHarness.options(connections: 1, space: { @Sendable _ in claimed })
            do {
                _ = try await harness.download("acme/faulty", files: ["model.bin"], localDir: local, options: options)
                Issue.record("the download did not fail")
            } catch let error as DownloadError {
                guard case .diskFull = error else { throw error }
                #expect(error.description.contains("not enough disk space"))
            }
            #expect(!FileManager.default.fileExists(atPath: local + "/model.bin"))
        }
    }

    @Test("cancelling a download leaves a resumable partial that the next run continues")
    func cancellation() async throws {
        let harness = try await DownloadHarness(build: Self.repo)
        try await harness.run {
            harness.faults.add(FaultRule(method: "GET", path: Self.lfsGets, times: 1, action: .stall(afterBytes: 1_100_000, seconds: 30)))
            let downloader = harness.downloader(options: Self.single())
            let task = Task { try await downloader.download(DownloadRequest(repo: try RepoID("acme/faulty"), files: ["model.bin"])) }
            let incompleteFolder = harness.repoFolder("acme/faulty") + "/blobs"
            var waited = 0
            while waited < 200 {
                try await Task.sleep(nanoseconds: 50_000_000)
                waited += 1
                if let name = incompleteFiles(harness).first, PartialFileSize.of(incompleteFolder + "/" + name) >= 1_000_000 { break }
            }
            task.cancel()
            await #expect(throws: (any Error).self) { _ = try await task.value }
            let partial = try #require(incompleteFiles(harness).first)
            #expect(FileManager.default.fileExists(atPath: incompleteFolder + "/" + partial + ".json"))
            let summary = try await harness.download("acme/faulty", files: ["model.bin"], options: Self.single())
            #expect(snapshotBytes(summary) == Self.content.bytes())
            #expect(harness.fileHostGets.last?.range?.hasPrefix("bytes=") == true)
        }
    }

    static func shell(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// File sizes for polling.
enum PartialFileSize {
    static func of(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
