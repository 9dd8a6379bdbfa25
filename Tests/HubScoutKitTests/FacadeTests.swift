import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing

/// `HubScout`, the facade an app uses, against the in-process test Hub: search, inspect, fit, download, cancel.
@Suite("HubScout facade against the test server")
struct FacadeTests {
    /// A facade for `endpoint` with a cache under `cache`, built the way an app builds one, then given test
    /// timeouts (the suite runs hundreds of tests on two cores) and quiet, fast download settings.
    static func hub(endpoint: String, cache: URL, connections: Int = 4) throws -> HubScout {
        let app = try HubScout(endpoint: try #require(URL(string: endpoint)), cacheDirectory: cache)
        let transport = CurlTransport(configuration: TransportConfiguration(connectTimeout: TestTimeouts.connect, stallTimeout: TestTimeouts.stall))
        var options = DownloadHarness.options(connections: connections, stall: TestTimeouts.stall)
        options.maxConcurrentFiles = 4
        return HubScout(client: HubClient(environment: app.environment, token: app.client.token, transport: transport),
                        downloadOptions: options)
    }

    static func temporaryCache() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-facade-\(UUID().uuidString)/hub", isDirectory: true)
    }

    // MARK: - Search and inspect

    @Test("HubScout(endpoint:cacheDirectory:) talks to that endpoint, keeps files under that folder, and sends no token")
    func explicitConfiguration() throws {
        let cache = URL(fileURLWithPath: "/tmp/some-app/models/")
        let hub = try HubScout(endpoint: try #require(URL(string: "http://127.0.0.1:9/")), cacheDirectory: cache)
        #expect(hub.environment.endpoint == "http://127.0.0.1:9")
        #expect(hub.cacheDirectory.path == "/tmp/some-app/models")
        #expect(hub.client.token == nil)
        let withToken = try HubScout(endpoint: try #require(URL(string: "https://example.org")), token: "hf_app_token_1234", cacheDirectory: cache)
        #expect(withToken.client.token?.value == "hf_app_token_1234")
        #expect(throws: TokenStoreError.self) {
            _ = try HubScout(endpoint: URL(string: "https://example.org")!, token: "hf_bad\r\ntoken", cacheDirectory: cache)
        }
        // The environment initialiser reads the variables huggingface_hub reads.
        let environment = HubEnvironment(variables: ["HOME": "/home/app", "HF_ENDPOINT": "http://mirror:8080/", "HF_HOME": "/data/hf",
                                                     "HF_TOKEN": "hf_from_env_5678"])
        let fromEnvironment = try HubScout(environment: environment)
        #expect(fromEnvironment.endpoint == URL(string: "http://mirror:8080"))
        #expect(fromEnvironment.cacheDirectory.path == "/data/hf/hub")
        #expect(fromEnvironment.client.token?.source == .environment)
    }

    @Test("search with a filter returns exactly the matching ids, honours limit and sort, and pages lazily")
    func search() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let hub = try Self.hub(endpoint: server.apiURL, cache: Self.temporaryCache())
            let diffusers = try await hub.search(ModelFilter(library: "diffusers"))
            #expect(Set(diffusers.map(\.id)) == ["CompVis/stable-diffusion-v1-4", "stabilityai/stable-diffusion-2-1"])
            #expect(diffusers.allSatisfy { $0.libraryName == "diffusers" })

            let facebook = try await hub.search(ModelFilter(author: "facebook", sort: .downloads), limit: 2)
            #expect(facebook.count == 2)
            #expect(facebook.allSatisfy { $0.id.hasPrefix("facebook/") })
            let downloads = facebook.map { $0.downloads ?? -1 }
            #expect(downloads.allSatisfy { $0 >= 0 } && downloads == downloads.sorted(by: >))

            // The lazy sequence sees the same models as the eager search.
            var lazy: [String] = []
            for try await model in hub.models(ModelFilter(author: "facebook", sort: .downloads)) { lazy.append(model.id) }
            #expect(Array(lazy.prefix(2)) == facebook.map(\.id))
            #expect(lazy.count > 2)

            // The listing fields an app shows come back.
            let gated = try await hub.search(ModelFilter(text: "Llama-3.1-8B-Instruct"))
            #expect(gated.first { $0.id == FixturePopulation.gatedRepoID }?.gated == .manual)
        }
    }

    @Test("inspect reads info, files and config at the resolved commit; a missing repo is a HubError")
    func inspect() async throws {
        try await TestHubServer.withPopulation { server, population in
            let hub = try Self.hub(endpoint: server.apiURL, cache: Self.temporaryCache())
            let repo = try #require(population.repos[FixturePopulation.filesRepoID])
            let inspection = try await hub.inspect(try RepoID(repo.id))
            #expect(inspection.info.id == repo.id)
            #expect(inspection.commit == repo.head)
            #expect(Set(inspection.files.map(\.path)) == Set((repo.files.last ?? []).map(\.path)))
            #expect(inspection.config?.modelType == "gpt2")
            let tagged = try await hub.inspect(try RepoID(repo.id), revision: "v1.0")
            #expect(tagged.commit == repo.commits.first)
            await #expect(throws: HubError.repoNotFound(repo: "nobody/nothing", authenticated: false)) {
                _ = try await hub.inspect(try RepoID("nobody/nothing"))
            }
        }
    }

    // MARK: - Fit

    @Test("fit against a budget says fits or not, with the precision search --fits would pick")
    func fitBudget() async throws {
        let harness = try await DownloadHarness { try FitSearchFixtures.add(to: $0, models: [FitSearchFixtures.llama8B, FitSearchFixtures.qwen05B]) }
        try await harness.run {
            let hub = try Self.hub(endpoint: harness.server.apiURL, cache: URL(fileURLWithPath: harness.cacheRoot))
            let llama = try RepoID(FitSearchFixtures.llama8B.id)

            // 16 GB: fp16 weights alone are 16.06e9 B, so int8 (≈ 11.19e9 B in all, see FitSearchTests).
            let sixteen = try await hub.fit(llama, on: .budget(16_000_000_000))
            #expect(sixteen.fits)
            #expect(sixteen.format == .int8)
            let total = try #require(sixteen.totalBytes)
            #expect(abs(total - 11_189_245_568) < 11_189_245_568 / 1000)
            #expect(sixteen.reason == nil)
            let recommended = try #require(sixteen.recommended)
            #expect(recommended.format == .int8 && recommended.kind == .fitsOnGPU)
            #expect(recommended.estimate.totalBytes == total)
            #expect(Set(sixteen.verdicts.map(\.format)).isSuperset(of: [.fp16, .int8, .int4]))
            #expect(sixteen.verdicts.first { $0.format == .fp16 }?.kind != .fitsOnGPU)
            #expect(sixteen.inspection.info.id == llama.description)

            // 4 GB: too large even at int4, and it says why.
            let four = try await hub.fit(llama, on: .budget(4_000_000_000))
            #expect(!four.fits)
            #expect(four.format == nil && four.recommended == nil)
            guard case .tooLarge = four.outcome else { Issue.record("expected tooLarge, got \(four.outcome)"); return }
            #expect(four.reason?.isEmpty == false)

            // Only fp16 allowed at 16 GB: does not fit.
            let fp16Only = try await hub.fit(llama, on: .budget(16_000_000_000), precision: .fp16)
            #expect(!fp16Only.fits)

            // A described host without a GPU: it must fit in RAM, 1 GiB kept free.
            let ramOnly = try await hub.fit(llama, on: .host(HostMemory(ramTotalBytes: 32 << 30, ramAvailableBytes: 16 << 30)))
            #expect(ramOnly.format == .int8)
            #expect(ramOnly.recommended?.kind == .fitsInRAM)

            // An inspection already in hand is sized without asking again, with the same answer.
            let again = try await hub.fit(sixteen.inspection, on: .budget(16_000_000_000))
            #expect(again.format == .int8 && again.totalBytes == total)

            // The search with the same budget keeps the models fit() says fit, in the same precision.
            let found = try await hub.search(ModelFilter(author: "hubscout-fit"), fitting: .budget(16_000_000_000))
            let kept = Dictionary(uniqueKeysWithValues: found.matches.map { ($0.model.id, $0.format) })
            #expect(kept == [FitSearchFixtures.llama8B.id: .int8, FitSearchFixtures.qwen05B.id: .fp16])
            let small = try await hub.search(ModelFilter(author: "hubscout-fit"), fitting: .budget(4_000_000_000))
            #expect(small.matches.map(\.model.id) == [FitSearchFixtures.qwen05B.id])
        }
    }

    @Test("a model that cannot be sized is an outcome with a reason, not an error")
    func fitUnsized() async throws {
        try await TestHubServer.withPopulation { server, _ in
            let hub = try Self.hub(endpoint: server.apiURL, cache: Self.temporaryCache())
            // The population's stand-in configs name only the architecture.
            let fit = try await hub.fit(try RepoID("HuggingFaceH4/zephyr-7b-beta"), on: .budget(16_000_000_000))
            #expect(!fit.fits)
            guard case .skipped(let why) = fit.outcome else { Issue.record("expected skipped, got \(fit.outcome)"); return }
            #expect(why.contains("hidden_size"))
            #expect(fit.verdicts.isEmpty)
        }
    }

    // MARK: - Download

    static let weights = FixtureFile("model.safetensors", generatedSize: 3 << 20, seed: 31, lfs: true)
    static let config = FixtureFile("config.json", text: #"{"model_type":"llama"}"#)
    static let tokenizer = FixtureFile("tokenizer/tokenizer.json", text: #"{"version":"1.0"}"#)
    static let extra = FixtureFile("extra.bin", generatedSize: 50_000, seed: 32, lfs: true)

    static func downloadRepo(_ cache: FixtureCache) throws {
        try cache.addRepo("acme/facade", commits: [[config, tokenizer, weights, extra]])
    }

    @Test("download yields the plan, progress and per-file events, then a completion whose folder holds the files")
    func download() async throws {
        let harness = try await DownloadHarness(build: Self.downloadRepo)
        try await harness.run {
            let hub = try Self.hub(endpoint: harness.server.apiURL, cache: URL(fileURLWithPath: harness.cacheRoot))
            var updates: [DownloadUpdate] = []
            for try await update in hub.download(try RepoID("acme/facade"), files: ["*.json", "model.safetensors"]) {
                updates.append(update)
            }
            guard case .event(.planned(let plan)) = updates.first else { Issue.record("first update: \(String(describing: updates.first))"); return }
            #expect(Set(plan.files.map(\.path.value)) == ["config.json", "tokenizer/tokenizer.json", "model.safetensors"])
            let progress = updates.compactMap(\.progress)
            #expect(!progress.isEmpty)
            #expect(zip(progress, progress.dropFirst()).allSatisfy { $0.completedBytes <= $1.completedBytes })
            #expect(progress.last?.completedBytes == progress.last?.totalBytes)
            let finished = updates.compactMap { if case .event(.fileFinished(let file)) = $0 { file.path } else { nil } }
            #expect(Set(finished) == ["config.json", "tokenizer/tokenizer.json", "model.safetensors"])
            // The completion is the last update, and the only one.
            guard case .completed(let done) = updates.last else { Issue.record("last update: \(String(describing: updates.last))"); return }
            #expect(updates.filter { if case .completed = $0 { true } else { false } }.count == 1)

            #expect(done.folder.path == harness.repoFolder("acme/facade") + "/snapshots/" + done.commit.value)
            #expect(contents(done.url(for: "model.safetensors").path) == Self.weights.bytes())
            #expect(contents(done.url(for: "config.json").path) == Self.config.bytes())
            #expect(contents(done.folder.appendingPathComponent("tokenizer/tokenizer.json").path) == Self.tokenizer.bytes())
            #expect(!FileManager.default.fileExists(atPath: done.url(for: "extra.bin").path))
            #expect(done.summary.files.allSatisfy { $0.verified })

            // Again: nothing is fetched twice, and the same folder comes back.
            var second: CompletedDownload?
            for try await update in hub.download(try RepoID("acme/facade"), files: ["*.json", "model.safetensors"]) {
                if case .completed(let done) = update { second = done }
            }
            #expect(second?.folder == done.folder)
            #expect(second?.summary.bytesDownloaded == 0)

            // Into a plain folder instead of the cache.
            let local = harness.workspace.appendingPathComponent("app-models/facade", isDirectory: true)
            var plain: CompletedDownload?
            for try await update in hub.download(try RepoID("acme/facade"), files: ["config.json"], localDirectory: local) {
                if case .completed(let done) = update { plain = done }
            }
            #expect(plain?.folder.standardizedFileURL.path == local.standardizedFileURL.path)
            #expect(contents(local.appendingPathComponent("config.json").path) == Self.config.bytes())
        }
    }

    @Test("a failed download throws the downloader's typed error")
    func downloadError() async throws {
        let harness = try await DownloadHarness(build: Self.downloadRepo)
        try await harness.run {
            let hub = try Self.hub(endpoint: harness.server.apiURL, cache: URL(fileURLWithPath: harness.cacheRoot))
            await #expect(throws: DownloadError.self) {
                for try await _ in hub.download(try RepoID("acme/facade"), files: ["no-such-file.txt"]) {}
            }
            await #expect(throws: HubError.self) {
                for try await _ in hub.download(try RepoID("acme/missing")) {}
            }
        }
    }

    @Test("cancelling the consuming task stops the download, leaves only a resumable partial, and the next download resumes it")
    func cancellation() async throws {
        let harness = try await DownloadHarness(build: Self.downloadRepo)
        try await harness.run {
            // The weights' body pauses after 1.1 MB, long enough that the download is still running when cancelled.
            harness.faults.add(FaultRule(method: "GET", path: .prefix("/lfs/"), times: 1, action: .stall(afterBytes: 1_100_000, seconds: 30)))
            let hub = try Self.hub(endpoint: harness.server.apiURL, cache: URL(fileURLWithPath: harness.cacheRoot), connections: 1)
            let repo = try RepoID("acme/facade")
            let blobs = harness.repoFolder("acme/facade") + "/blobs"
            let etag = sha256Hex(Self.weights.bytes())

            let (reached, signal) = AsyncStream<Void>.makeStream()
            let consumer = Task {
                var sawCompletion = false
                for try await update in hub.download(repo, files: ["model.safetensors"]) {
                    if let progress = update.progress, progress.completedBytes >= 1_000_000 { signal.yield() }
                    if case .completed = update { sawCompletion = true }
                }
                return sawCompletion
            }
            // Wait until a megabyte has arrived and been written to the partial file.
            var iterator = reached.makeAsyncIterator()
            _ = await iterator.next()
            var polls = 0
            while Self.partialBytes(blobs) < 1_000_000, polls < 1200 {
                try await Task.sleep(nanoseconds: 50_000_000)
                polls += 1
            }
            consumer.cancel()
            let outcome = await consumer.result
            #expect(throws: CancellationError.self) { _ = try outcome.get() }
            signal.finish()

            // The loop ended only once the download had stopped: its partial and resume state are on disk, the
            // blob is not, and the snapshot has no entry for the file.
            let names = try FileManager.default.contentsOfDirectory(atPath: blobs)
            #expect(names.contains(etag + ".incomplete"))
            #expect(names.contains(etag + ".incomplete.json"))
            #expect(!names.contains(etag))
            let partial = Self.partialBytes(blobs)
            #expect(partial >= 1_000_000 && partial < 3 << 20)
            let snapshots = harness.repoFolder("acme/facade") + "/snapshots"
            let linked = (FileManager.default.enumerator(atPath: snapshots)?.allObjects as? [String] ?? []).filter { $0.hasSuffix("model.safetensors") }
            #expect(linked.isEmpty)

            // The next download continues from the partial with a Range request and ends with the right bytes.
            var done: CompletedDownload?
            for try await update in hub.download(repo, files: ["model.safetensors"]) {
                if case .completed(let finished) = update { done = finished }
            }
            let completed = try #require(done)
            #expect(contents(completed.url(for: "model.safetensors").path) == Self.weights.bytes())
            #expect(completed.summary.bytesReused >= 1_000_000)
            let resumedAt = harness.fileHostGets.last?.range?.dropFirst("bytes=".count).split(separator: "-").first.flatMap { Int64($0) }
            #expect((resumedAt ?? 0) >= 1_000_000)
            #expect(try !FileManager.default.contentsOfDirectory(atPath: blobs).contains { $0.contains("incomplete") })
        }
    }

    /// Size of the one `.incomplete` file in `blobs` (0 when there is none).
    static func partialBytes(_ blobs: String) -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []
        guard let name = names.first(where: { $0.hasSuffix(".incomplete") }) else { return 0 }
        return PartialFileSize.of(blobs + "/" + name)
    }
}
