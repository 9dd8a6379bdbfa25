import Foundation
import HubScoutCore
import Testing
@testable import HubScoutCatalog

@Suite("Catalog search")
struct CatalogSearchTests {
    let temp: TestCatalog
    let catalog: Catalog

    init() async throws {
        temp = try TestCatalog()
        catalog = try temp.open()
        try await catalog.upsert(models: Population.models, seenAt: day("2025-02-01"))
    }

    private func ids(_ query: SearchRequest) async throws -> [String] {
        try await catalog.search(query).map(\.id)
    }

    @Test("Each filter keeps only matching models")
    func filters() async throws {
        #expect(try await ids(SearchRequest(task: "text-generation", limit: 100)) ==
                ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-72B-Instruct", "google/gemma-2-9b"])
        #expect(try await ids(SearchRequest(author: "qwen")) == ["Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-72B-Instruct"])
        #expect(try await ids(SearchRequest(library: "sentence-transformers")) == ["BAAI/bge-m3"])
        #expect(try await ids(SearchRequest(license: "apache-2.0")) == ["openai/whisper-large-v3", "Qwen/Qwen2.5-7B-Instruct"])
        #expect(try await ids(SearchRequest(tags: ["conversational"])) == ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct"])
        #expect(try await ids(SearchRequest(tags: ["conversational", "qwen2"])) == ["Qwen/Qwen2.5-7B-Instruct"])
        #expect(try await ids(SearchRequest(tags: ["conversational", "audio"])) == [])
        #expect(try await ids(SearchRequest(gated: true)) == ["meta-llama/Llama-3.1-8B-Instruct", "google/gemma-2-9b"])
        #expect(try await ids(SearchRequest(gated: false, limit: 100)).count == 4)
        #expect(try await ids(SearchRequest(task: "text-generation", author: "Qwen", library: "transformers", license: "other", gated: false)) ==
                ["Qwen/Qwen2.5-72B-Instruct"])
    }

    @Test("Every sort key orders descending, unknown values last")
    func sorts() async throws {
        #expect(try await ids(SearchRequest(sort: .downloads, limit: 3)) ==
                ["meta-llama/Llama-3.1-8B-Instruct", "openai/whisper-large-v3", "Qwen/Qwen2.5-7B-Instruct"])
        #expect(try await ids(SearchRequest(sort: .likes, limit: 2)) == ["openai/whisper-large-v3", "meta-llama/Llama-3.1-8B-Instruct"])
        let trending = try await ids(SearchRequest(sort: .trending, limit: 100))
        #expect(trending.first == "Qwen/Qwen2.5-7B-Instruct")
        #expect(trending.last == "google/gemma-2-9b")  // no trending score
        #expect(try await ids(SearchRequest(sort: .created, limit: 1)) == ["Qwen/Qwen2.5-72B-Instruct"])
        #expect(try await ids(SearchRequest(sort: .updated, limit: 1)) == ["Qwen/Qwen2.5-7B-Instruct"])
    }

    @Test("Limit and offset page through the results without overlap")
    func paging() async throws {
        let all = try await ids(SearchRequest(sort: .downloads, limit: 100))
        let page1 = try await ids(SearchRequest(sort: .downloads, limit: 4, offset: 0))
        let page2 = try await ids(SearchRequest(sort: .downloads, limit: 4, offset: 4))
        #expect(page1 + page2 == all)
        #expect(page2.count == 2)
        await #expect(throws: CatalogError.self) { try await catalog.search(SearchRequest(limit: -1)) }
    }

    @Test("Full-text search matches prefixes and stems of ids, tags and authors")
    func fullText() async throws {
        #expect(try await ids(SearchRequest(text: "llama instr")) == ["meta-llama/Llama-3.1-8B-Instruct"])
        #expect(try await ids(SearchRequest(text: "Instructions")).count == 3)  // porter: instructions → instruct
        #expect(try await ids(SearchRequest(text: "whisp")) == ["openai/whisper-large-v3"])
        #expect(try await ids(SearchRequest(text: "baai")) == ["BAAI/bge-m3"])
        #expect(try await ids(SearchRequest(text: "qwen", license: "other")) == ["Qwen/Qwen2.5-72B-Instruct"])
        #expect(try await ids(SearchRequest(text: "qwen", sort: .likes)) == ["Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen2.5-7B-Instruct"])
        #expect(try await ids(SearchRequest(text: "nonexistentword")) == [])
        #expect(try await ids(SearchRequest(text: "\" * ( )")) == [])
    }

    @Test("Without FTS5 the catalog warns and text search falls back to substrings")
    func likeFallback() async throws {
        let fallback = try temp.open(Catalog.Options(disableFullTextSearch: true))
        #expect(!fallback.fullTextSearchAvailable)
        #expect(fallback.warnings.first?.description.contains("FTS5") == true)
        #expect(try await fallback.search(SearchRequest(text: "llama instr")).map(\.id) == ["meta-llama/Llama-3.1-8B-Instruct"])
        #expect(try await fallback.search(SearchRequest(text: "100%_x")).isEmpty)
        #expect(try await fallback.search(SearchRequest(text: "QWEN", sort: .downloads)).map(\.id) ==
                ["Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-72B-Instruct"])
    }

    @Test("The fit filter picks the best precision that fits the budget and context")
    func fit() async throws {
        // Per precision: weights + kv/token × context + overhead.
        func rows(_ fp16: Int64, _ int8: Int64, _ int4: Int64, kv: Int64) -> [CatalogEstimate] {
            [CatalogEstimate(precision: .fp16, weightsBytes: fp16, kvBytesPerToken: kv, overheadBytes: 500_000_000, defaultContext: 4096),
             CatalogEstimate(precision: .int8, weightsBytes: int8, kvBytesPerToken: kv, overheadBytes: 500_000_000, defaultContext: 4096),
             CatalogEstimate(precision: .int4, weightsBytes: int4, kvBytesPerToken: kv, overheadBytes: 500_000_000, defaultContext: 4096)]
        }
        try await catalog.upsertEstimates([
            "meta-llama/Llama-3.1-8B-Instruct": rows(16_060_000_000, 8_540_000_000, 4_520_000_000, kv: 131_072),
            "Qwen/Qwen2.5-7B-Instruct": rows(15_230_000_000, 8_100_000_000, 4_290_000_000, kv: 57_344),
            "Qwen/Qwen2.5-72B-Instruct": rows(145_400_000_000, 77_300_000_000, 40_900_000_000, kv: 327_680),
        ])
        let gib: Int64 = 1 << 30
        let gb16: Int64 = 16_000_000_000
        // 16 GB at the default 4096 context: Qwen 7B fits at fp16 (15.23 + 0.23 KV + 0.5 = 15.97 GB);
        // Llama 8B needs 16.06 + 0.54 + 0.5 = 17.10 GB at fp16, so only int8 (9.58 GB) fits.
        let any16 = try await catalog.search(SearchRequest(task: "text-generation", sort: .downloads, fit: FitConstraint(budgetBytes: gb16)))
        #expect(any16.map(\.id) == ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct"])
        #expect(any16.map { $0.fit?.precision } == [.int8, .fp16])
        let llama = try #require(any16.first?.fit)
        #expect(llama.context == 4096)
        #expect(llama.kvCacheBytes == 131_072 * 4096)
        #expect(llama.totalBytes == 8_540_000_000 + 131_072 * 4096 + 500_000_000)
        // 128k context on the same budget: Llama's KV cache alone is 17.2 GB; Qwen's is 7.52 GB, so
        // int8 (8.1 + 7.52 + 0.5 = 16.12 GB) misses and int4 (4.29 + 7.52 + 0.5 = 12.31 GB) fits.
        let long = try await catalog.search(SearchRequest(fit: FitConstraint(budgetBytes: gb16, context: 131_072)))
        #expect(long.map(\.id) == ["Qwen/Qwen2.5-7B-Instruct"])
        #expect(long.first?.fit?.precision == .int4)
        #expect(long.first?.fit?.context == 131_072)
        // A named precision only considers that row.
        let fp16 = try await catalog.search(SearchRequest(fit: FitConstraint(budgetBytes: gb16, precision: .fp16)))
        #expect(fp16.map(\.id) == ["Qwen/Qwen2.5-7B-Instruct"])
        let int4 = try await catalog.search(SearchRequest(sort: .downloads, fit: FitConstraint(budgetBytes: 48 * gib, precision: .int4)))
        #expect(int4.map(\.id) == ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-72B-Instruct"])
        #expect(int4.allSatisfy { $0.fit?.precision == .int4 && ($0.fit?.totalBytes ?? .max) <= 48 * gib })
        // Models without estimates never "fit"; a tiny budget fits nothing.
        #expect(try await ids(SearchRequest(fit: FitConstraint(budgetBytes: 1 * gib))) == [])
        // Text + fit combine.
        let qwen = try await catalog.search(SearchRequest(text: "qwen", sort: .downloads, fit: FitConstraint(budgetBytes: 48 * gib)))
        #expect(qwen.map(\.id) == ["Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-72B-Instruct"])
        #expect(qwen.map { $0.fit?.precision } == [.fp16, .int4])
    }

    @Test("The full-text index follows changes of tags and summary, not of counts")
    func fullTextFollowsUpdates() async throws {
        let id = "acme/widget-7b"
        try await catalog.upsert(models: [ModelInfo(id: id, downloads: 1, tags: ["alphaword"])], seenAt: day("2025-03-01"))
        #expect(try await ids(SearchRequest(text: "alphaword")) == [id])
        try await catalog.upsert(models: [ModelInfo(id: id, downloads: 2)], seenAt: day("2025-03-02"))
        #expect(try await ids(SearchRequest(text: "alphaword")) == [id])
        try await catalog.upsert(models: [ModelInfo(id: id, tags: ["betaword"])], seenAt: day("2025-03-03"))
        #expect(try await ids(SearchRequest(text: "alphaword")) == [])
        #expect(try await ids(SearchRequest(text: "betaword")) == [id])
        try await catalog.upsertCard(id: id, card: CardFacts(summary: "A gizmo for testing."))
        #expect(try await ids(SearchRequest(text: "gizmos")) == [id])
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM models_fts") == Population.models.count + 1)
    }

    @Test("A file created without FTS5 gains a complete index when FTS5 works again")
    func fullTextRepair() async throws {
        let other = try TestCatalog()
        let plain = try other.open(Catalog.Options(disableFullTextSearch: true))
        try await plain.upsert(models: Population.models)
        #expect(try CatalogFileTools.integer(at: other.path, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'models_fts'") == 0)
        let repaired = try other.open()
        #expect(repaired.fullTextSearchAvailable)
        #expect(try await repaired.search(SearchRequest(text: "llama instr")).map(\.id) == ["meta-llama/Llama-3.1-8B-Instruct"])
        try await repaired.upsert(models: [ModelInfo(id: "acme/gadget", tags: ["gammaword"])])
        #expect(try await repaired.search(SearchRequest(text: "gammaword")).map(\.id) == ["acme/gadget"])
    }

    @Test("Broad text becomes a set filter ordered by downloads, with the same matches")
    func broadText() async throws {
        let broad = try temp.open(Catalog.Options(broadTextMatches: 2))
        // "qwen" matches two models: broad at threshold 2, so no relevance order; downloads order instead.
        #expect(try await broad.search(SearchRequest(text: "qwen")).map(\.id) == ["Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-72B-Instruct"])
        #expect(try await broad.explain(SearchRequest(text: "qwen")).contains { $0.contains("LIST SUBQUERY") })
        #expect(try await broad.search(SearchRequest(text: "qwen", sort: .likes)).map(\.id) == ["Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen2.5-7B-Instruct"])
        #expect(try await broad.search(SearchRequest(text: "qwen", license: "other")).map(\.id) == ["Qwen/Qwen2.5-72B-Instruct"])
        // One match stays on the relevance path.
        #expect(try await broad.explain(SearchRequest(text: "whisper")).contains { $0.contains("VIRTUAL TABLE") })
        // Short words match whole tokens only: "3" is a token of Llama-3.1, "3b" is nowhere.
        #expect(try await ids(SearchRequest(text: "llama 3 1 8b")) == ["meta-llama/Llama-3.1-8B-Instruct"])
        #expect(try await ids(SearchRequest(text: "llama 3b")) == [])
    }

    @Test("A bulk load suspends the search indexes and rebuilds them, full-text index included")
    func bulkLoad() async throws {
        let extra = (0..<50).map { ModelInfo(id: "bulk/model-\($0)", downloads: 10_000_000 + $0, pipelineTag: "text-generation", tags: ["bulkword"]) }
        try await catalog.withBulkLoad {
            try await catalog.upsert(models: extra)
            #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'models_by_task_downloads'") == 0)
        }
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'models_by_task_downloads'") == 1)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == 3)
        #expect(try await catalog.search(SearchRequest(text: "bulkword", limit: 100)).count == 50)
        #expect(try await ids(SearchRequest(task: "text-generation", sort: .downloads, limit: 1)) == ["bulk/model-49"])
        #expect(try await catalog.syncState(key: "internal:bulk-load") == nil)
        #expect(try await catalog.lastSyncDate == nil)
    }

    @Test("A bulk load interrupted part-way is finished by the next open")
    func interruptedBulkLoad() async throws {
        await #expect(throws: CatalogError.self) {
            try await catalog.withBulkLoad {
                try await catalog.upsert(models: [ModelInfo(id: "bulk/ok", tags: ["deltaword"])])
                try await catalog.upsert(models: [ModelInfo(id: "bad/../id")])
            }
        }
        // The failure path restored everything already; simulate a crash by suspending by hand.
        try CatalogFileTools.execute(at: temp.path, sql: """
            INSERT INTO sync_state (key, cursor, updated_at)
            SELECT 'internal:bulk-load', json_object('indexes', json_array(sql), 'triggers', json_array()), 0
            FROM sqlite_master WHERE name = 'models_by_author_downloads';
            DROP INDEX models_by_author_downloads;
            """)
        _ = try temp.open()
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'models_by_author_downloads'") == 1)
        #expect(try await ids(SearchRequest(text: "deltaword")) == ["bulk/ok"])
    }
}
