import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing
@testable import HubScoutKit

/// `search --fits` (the library half, `FitSearch`) against the test server: the fixture population plus real configs.
@Suite("FitSearch against the test server", .serialized)
struct FitSearchTests {
    static let budget16GB: Int64 = 16_000_000_000

    static func client(_ server: TestHubServer) -> HubClient {
        let environment = HubEnvironment(variables: ["HF_ENDPOINT": server.apiURL, "HOME": NSTemporaryDirectory()])
        let retry = RetryPolicy(maxRetries: 2, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 5)
        return HubClient(environment: environment, transport: CurlTransport(configuration: TransportConfiguration(connectTimeout: TestTimeouts.connect, stallTimeout: TestTimeouts.stall, retry: retry)))
    }

    static let listingFields = ["pipeline_tag", "downloads", "likes", "safetensors", "gguf", "lastModified"]

    static func search(_ server: TestHubServer, budget: FitBudget = .size(budget16GB), precision: FitPrecision? = nil,
                       limit: Int = 50, pageSize: Int = 3, maxPages: Int = 100) -> FitSearch {
        FitSearch(client: client(server), query: ModelQuery(task: "text-generation", sort: .downloads, expand: listingFields),
                  budget: budget, precision: precision, limit: limit, pageSize: pageSize, maxPages: maxPages)
    }

    @Test("--fits 16GB keeps exactly the models whose fp16, int8 or int4 total fits, each with the precision that does")
    func sixteenGigabytes() async throws {
        try await TestHubServer.withPopulation { server, population in
            try FitSearchFixtures.add(to: population.cache)
            let result = try await Self.search(server).run()

            let kept = Dictionary(uniqueKeysWithValues: result.matches.map { ($0.model.id, $0) })
            // Qwen2.5-0.5B fp16 (default engine, 8192 tokens): weights 494,032,768 × 2 = 988,065,536
            //   + KV 24 layers × 2 × 2 kv heads × 64 × 8192 × 2 B = 100,663,296 + runtime 650,000,000
            //   + compute max(FFN 512×4864×3×4, mask 512×8192×2) 29,884,416 + hidden 512×896×4×4 7,340,032
            //   + logits 512×151,936×4 311,164,928 = 2,087,118,208 B ≤ 16e9 → fp16.
            let qwen = try #require(kept[FitSearchFixtures.qwen05B.id])
            #expect(qwen.format == .fp16)
            #expect(abs(qwen.totalBytes - 2_087_118_208) < 2_087_118_208 / 1000)
            // Llama-3.1-8B fp16 weights alone are 8,030,261,248 × 2 = 16,060,522,496 B > 16e9, so not fp16.
            // int8: linear 6,979,321,856 × 1 B + embeddings/head/norms 1,050,939,392 × 2 B = 9,081,200,640
            //   + KV 32 × 2 × 8 × 128 × 8192 × 2 B = 1,073,741,824 + runtime 650,000,000
            //   + compute FFN 512×14336×12 88,080,384 + hidden 33,554,432 + logits 512×128,256×4 262,668,288
            //   = 11,189,245,568 B ≤ 16e9 → int8.
            let llama = try #require(kept[FitSearchFixtures.llama8B.id])
            #expect(llama.format == .int8)
            #expect(abs(llama.totalBytes - 11_189_245_568) < 11_189_245_568 / 1000)
            // Mixtral-8x7B: routed experts alone, 32 × 8 × 3 × 4096 × 14336 = 45,097,156,608 at 4.156 bits
            //   = 23.4e9 B > 16e9 even at int4; it has no API count, so it was inspected and sized.
            #expect(kept[FitSearchFixtures.mixtral.id] == nil)
            #expect(result.tooLarge.contains(FitSearchFixtures.mixtral.id))
            // Llama-3.1-70B: 70,553,706,496 × 4 bits / 8 = 35.3e9 B > 16e9: dropped from its count, never fetched.
            #expect(kept[FitSearchFixtures.llama70B.id] == nil)
            #expect(result.tooLarge.contains(FitSearchFixtures.llama70B.id))
            #expect(result.droppedByParameterCount >= 1)

            // The population's stand-ins have configs that name only the architecture: a size from the config class's
            // defaults would be a guess (zephyr would pass as a default Mistral-7B), so they are skipped, not kept.
            let zephyr = try #require(result.skipped.first { $0.id == "HuggingFaceH4/zephyr-7b-beta" })
            #expect(zephyr.reason.contains("hidden_size"))
            #expect(Set(result.matches.map(\.model.id)) == [FitSearchFixtures.qwen05B.id, FitSearchFixtures.llama8B.id])

            // Every kept row fits the literal budget in the stated precision, fully on the "device", and every
            // higher-fidelity precision does not (re-estimated here from a fresh inspection).
            let inspector = ModelInspector(client: Self.client(server))
            for match in result.matches {
                #expect(match.totalBytes <= Self.budget16GB, "\(match.model.id)")
                #expect(match.verdict == .fitsOnGPU)
                #expect(match.model.pipelineTag == "text-generation")
                let estimator = try await inspector.inspect(try RepoID(match.model.id), readHeaders: false).estimator().get()
                #expect(try estimator.estimate(match.format).totalBytes == match.totalBytes)
                for better in FitPrecision.allCases.map(\.format).prefix(while: { $0 != match.format }) {
                    #expect(try estimator.estimate(better).totalBytes > Self.budget16GB, "\(match.model.id) \(better)")
                }
            }
            // Repos without a usable config are skipped with a reason, never kept.
            #expect(!result.skipped.isEmpty)
            #expect(result.skipped.allSatisfy { !$0.reason.isEmpty && !kept.keys.contains($0.id) })
            // Each listing row is accounted for exactly once, and the listing was paged (3 rows per page).
            #expect(result.matches.count + result.tooLarge.count + result.skipped.count == result.modelsChecked)
            #expect(result.pagesFetched == (result.modelsChecked + 2) / 3 || result.pagesFetched == (result.modelsChecked + 2) / 3 + 1)
            #expect(result.pagesFetched >= 3)
            #expect(!result.pageCapReached)
            // Rows keep the listing order (downloads, descending).
            let downloads = result.matches.map { $0.model.downloads ?? 0 }
            #expect(downloads == downloads.sorted(by: >))
        }
    }

    @Test("the search stops as soon as --limit models fit, without reading the rest of the listing")
    func stopsAtLimit() async throws {
        try await TestHubServer.withPopulation { server, population in
            try FitSearchFixtures.add(to: population.cache)
            let full = try await Self.search(server).run()
            let first = try await Self.search(server, limit: 1, pageSize: 2).run()
            #expect(first.matches.map(\.model.id) == [FitSearchFixtures.qwen05B.id])   // most downloaded text-generation model
            #expect(first.modelsChecked < full.modelsChecked)
            #expect(first.pagesFetched < (full.modelsChecked + 1) / 2)
        }
    }

    @Test("a page cap stops the search and says so")
    func pageCap() async throws {
        try await TestHubServer.withPopulation { server, population in
            try FitSearchFixtures.add(to: population.cache)
            let result = try await Self.search(server, limit: 10, pageSize: 2, maxPages: 1).run()
            #expect(result.pagesFetched == 1)
            #expect(result.modelsChecked == 2)
            #expect(result.pageCapReached)
        }
    }

    @Test("--precision int4 annotates every kept row with int4")
    func int4Only() async throws {
        try await TestHubServer.withPopulation { server, population in
            try FitSearchFixtures.add(to: population.cache)
            let result = try await Self.search(server, precision: .int4).run()
            #expect(Set(result.matches.map(\.model.id)) == [FitSearchFixtures.qwen05B.id, FitSearchFixtures.llama8B.id])
            #expect(result.matches.allSatisfy { $0.format == .int4 && $0.totalBytes <= Self.budget16GB })
        }
    }

    @Test("a detected host without a GPU: models must fit in available RAM minus 1 GiB, verdict fits-in-ram")
    func ramOnlyHost() async throws {
        try await TestHubServer.withPopulation { server, population in
            try FitSearchFixtures.add(to: population.cache, models: [FitSearchFixtures.llama8B, FitSearchFixtures.qwen05B])
            // 16 GiB available − 1 GiB margin = 16,106,127,360 B usable. Llama-3.1-8B fp16 on the CPU needs weights
            // 16,060,522,496 + KV 1,073,741,824 + compute + 150 MiB host > usable → int8 (~10.7e9 B).
            let host = HostMemory(ramTotalBytes: 32 << 30, ramAvailableBytes: 16 << 30)
            let result = try await Self.search(server, budget: .hardware(host)).run()
            let kept = Dictionary(uniqueKeysWithValues: result.matches.map { ($0.model.id, $0) })
            #expect(kept[FitSearchFixtures.llama8B.id]?.format == .int8)
            #expect(kept[FitSearchFixtures.qwen05B.id]?.format == .fp16)
            #expect(result.matches.allSatisfy { $0.verdict == .fitsInRAM })
        }
    }

    @Test("budgets: a literal size is one margin-free device; detected hardware keeps only the largest GPU")
    func budgets() throws {
        let literal = FitBudget.size(16_000_000_000)
        #expect(literal.policy == .none)
        #expect(literal.host.gpus.map(\.memoryBytes) == [16_000_000_000])
        #expect(literal.requiredPlacement == .fitsOnGPU)
        #expect(literal.capacityBytes == 16_000_000_000)
        let two = HostMemory(ramTotalBytes: 64 << 30, ramAvailableBytes: 60 << 30, gpus: [
            GPUMemory(index: 0, name: "small", memoryBytes: 8 << 30), GPUMemory(index: 1, name: "big", memoryBytes: 24 << 30, freeBytes: 20 << 30),
        ])
        let detected = FitBudget.hardware(two)
        #expect(detected.host.gpus.map(\.name) == ["big"])
        #expect(detected.capacityBytes == 20 << 30)
        #expect(detected.policy == FitPolicy())
        let cpu = FitBudget.hardware(HostMemory(ramTotalBytes: 16 << 30, ramAvailableBytes: 12 << 30))
        #expect(cpu.requiredPlacement == .fitsInRAM)
        #expect(cpu.capacityBytes == 12 << 30)
    }

    @Test("the parameter-count bound drops only models that cannot fit at 4 bits per weight")
    func parameterBound() throws {
        func info(_ total: Int64) throws -> ModelInfo {
            try JSONDecoder().decode(ModelInfo.self, from: Data(#"{"id":"a/b","safetensors":{"parameters":{"BF16":\#(total)},"total":\#(total)}}"#.utf8))
        }
        let search = FitSearch(client: HubClient(environment: HubEnvironment(variables: [:])), query: ModelQuery(), budget: .size(16_000_000_000))
        // 32e9 × 4 / 8 = 16e9: not above the budget, so it must be sized; one more parameter pair tips it over.
        #expect(search.tooLargeByParameterCount(try info(32_000_000_000)) == nil)
        #expect(search.tooLargeByParameterCount(try info(32_000_000_002)) != nil)
        var fp16 = search
        fp16.precision = .fp16
        // At 16 bits the bound is 4× tighter: 8.03e9 × 2 B = 16.06e9 > 16e9.
        #expect(fp16.tooLargeByParameterCount(try info(8_030_261_248)) != nil)
        #expect(search.tooLargeByParameterCount(try info(8_030_261_248)) == nil)
        #expect(search.tooLargeByParameterCount(try JSONDecoder().decode(ModelInfo.self, from: Data(#"{"id":"a/b"}"#.utf8))) == nil)
    }
}
