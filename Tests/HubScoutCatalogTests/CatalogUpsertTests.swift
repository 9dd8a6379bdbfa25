import Foundation
import HubScoutCore
import Testing
@testable import HubScoutCatalog

@Suite("Catalog upserts")
struct CatalogUpsertTests {
    @Test("Upserting the same listing twice changes nothing")
    func idempotent() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        try await catalog.upsert(models: Population.models, seenAt: day("2025-02-01"))
        let first = try await catalog.search(SearchRequest(limit: 100))
        let tagRows = try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM model_tags")
        try await catalog.upsert(models: Population.models, seenAt: day("2025-02-01"))
        let second = try await catalog.search(SearchRequest(limit: 100))
        #expect(first == second)
        #expect(first.count == Population.models.count)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM model_tags") == tagRows)
        #expect(try CatalogFileTools.integer(at: temp.path, sql: "SELECT count(*) FROM models_fts") == Population.models.count)
    }

    @Test("A later partial listing never overwrites known values with nulls")
    func nullNeverOverwrites() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let full = Population.models[1]
        try await catalog.upsert(models: [full], seenAt: day("2025-01-01"))
        // An `expand[]=downloads` listing item: only id and downloads.
        let partial = ModelInfo(id: full.id, downloads: 3_500_000)
        try await catalog.upsert(models: [partial], seenAt: day("2025-02-01"))
        let detail = try #require(try await catalog.model(id: full.id))
        #expect(detail.model.downloads == 3_500_000)
        #expect(detail.model.likes == 800)
        #expect(detail.model.license == "apache-2.0")
        #expect(detail.model.pipelineTag == "text-generation")
        #expect(detail.model.libraryName == "transformers")
        #expect(detail.model.gated == .notGated)
        #expect(detail.model.tags == full.tags)
        #expect(detail.model.createdAt == full.createdAt)
        #expect(detail.model.firstSeen == day("2025-01-01"))
        #expect(detail.model.lastSeen == day("2025-02-01"))
        // The tag filter still works, so model_tags were not cleared either.
        #expect(try await catalog.search(SearchRequest(tags: ["qwen2"])).map(\.id).contains(full.id))
    }

    @Test("Older data fills gaps but does not replace newer values; the id keeps the latest case")
    func olderDataOnlyFillsGaps() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        try await catalog.upsert(models: [ModelInfo(id: "org/Model-A", downloads: 10)], seenAt: day("2025-03-01"))
        try await catalog.upsert(models: [ModelInfo(id: "ORG/model-a", downloads: 5, likes: 7)], seenAt: day("2025-01-01"))
        var model = try #require(try await catalog.model(id: "org/model-a")).model
        #expect(model.id == "org/Model-A")
        #expect(model.downloads == 10)
        #expect(model.likes == 7)
        #expect(model.firstSeen == day("2025-01-01"))
        try await catalog.upsert(models: [ModelInfo(id: "Org/Model-A", downloads: 12)], seenAt: day("2025-04-01"))
        model = try #require(try await catalog.model(id: "org/model-a")).model
        #expect(model.id == "Org/Model-A")
        #expect(model.downloads == 12)
        #expect(try await catalog.search(SearchRequest(limit: 10)).count == 1)
    }

    @Test("Parameter counts keep the most trusted source")
    func parameterTrust() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let id = "Qwen/Qwen2.5-0.5B"
        try await catalog.upsertParameters(id: id, count: ParameterCount(total: 494_032_768, source: .hubAPI))
        try await catalog.upsertParameters(id: id, count: ParameterCount(total: 500_000_000, source: .configFormula))
        #expect(try await catalog.model(id: id)?.model.parameters == ParameterCount(total: 494_032_768, source: .hubAPI))
        try await catalog.upsertParameters(id: id, count: ParameterCount(total: 494_032_000, source: .tensorHeaders))
        #expect(try await catalog.model(id: id)?.model.parameters == ParameterCount(total: 494_032_000, source: .tensorHeaders))
    }

    @Test("Card, config, files, estimates and snapshots come back in the detail; stats count them")
    func detailAndStats() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let id = "Qwen/Qwen2.5-7B-Instruct"
        try await catalog.upsert(models: Population.models, seenAt: day("2025-01-01"))
        let card = CardFacts(summary: "Qwen2.5 is the latest series of Qwen large language models.", license: "apache-2.0",
                             baseModels: ["Qwen/Qwen2.5-7B"], datasets: [], languages: ["en", "zh"],
                             evalResults: .array([.object(["metric": .string("mmlu"), "value": .double(74.2)])]))
        try await catalog.upsertCard(id: id, card: card)
        let config = ModelConfig(modelType: "qwen2", architecture: "Qwen2ForCausalLM", hiddenSize: 3584, numLayers: 28,
                                 numAttentionHeads: 28, numKeyValueHeads: 4, vocabSize: 152064, dtype: "bfloat16", contextLength: 32768)
        try await catalog.upsertConfig(id: id, config: config)
        // A later config summary without the deep facts keeps them.
        try await catalog.upsertConfig(id: id, config: ModelConfig(modelType: "qwen2"))
        let files = [CatalogFile(revision: "main", path: "model-00001-of-00004.safetensors", size: 3_945_441_440,
                                 sha256: "ABCDEF", format: "safetensors"),
                     CatalogFile(revision: "main", path: "config.json", size: 663)]
        try await catalog.upsertFiles(id: id, files: files)
        try await catalog.upsertFiles(id: id, files: [CatalogFile(revision: "main", path: "config.json")])
        let estimates = [CatalogEstimate(precision: .int4, weightsBytes: 4_500_000_000, kvBytesPerToken: 57344, overheadBytes: 1, defaultContext: 4096),
                         CatalogEstimate(precision: .fp16, weightsBytes: 15_200_000_000, kvBytesPerToken: 57344, overheadBytes: 1, defaultContext: 4096)]
        try await catalog.upsertEstimates(id: id, estimates: estimates)
        try await catalog.recordSnapshot(id: id, snapshot: LocalSnapshot(revision: "main", commit: String(repeating: "a", count: 40),
                                                                         path: "/cache/models--Qwen--Qwen2.5-7B-Instruct/snapshots/aaa", sizeOnDisk: 15_000_000_000))
        try await catalog.setSyncState(key: "sync:text-generation", cursor: "abc", at: day("2025-05-01"))

        let detail = try #require(try await catalog.model(id: id))
        #expect(detail.card == card)
        #expect(detail.model.summary == card.summary)
        #expect(detail.config?.contextLength == 32768)
        #expect(detail.config?.numKeyValueHeads == 4)
        #expect(detail.files.count == 2)
        #expect(detail.files.first { $0.path == "config.json" }?.size == 663)
        #expect(detail.files.first { $0.path.hasSuffix("safetensors") }?.sha256 == "abcdef")
        #expect(detail.estimates.map(\.precision) == [.fp16, .int4])
        #expect(detail.snapshots.first?.sizeOnDisk == 15_000_000_000)
        #expect(try await catalog.search(SearchRequest(text: "latest series")).map(\.id) == [id])

        let stats = try await catalog.stats()
        #expect(stats.models == Population.models.count)
        #expect(stats.byTask.first == CatalogStats.Count(name: "text-generation", count: 4))
        #expect(stats.byLibrary.contains(CatalogStats.Count(name: "sentence-transformers", count: 1)))
        #expect(stats.byLicense.contains(CatalogStats.Count(name: "apache-2.0", count: 2)))
        #expect(stats.files == 2)
        #expect(stats.localSnapshots == 1)
        #expect(stats.localSnapshotBytes == 15_000_000_000)
        #expect(stats.lastSync == day("2025-05-01"))
        #expect(try await catalog.syncState(key: "sync:text-generation")?.cursor == "abc")

        try await catalog.removeSnapshots(id: id)
        #expect(try await catalog.model(id: id)?.snapshots.isEmpty == true)
    }

    @Test("A multi-row write that fails part-way leaves nothing behind")
    func failedWriteRollsBack() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let batch = [ModelInfo(id: "good/one"), ModelInfo(id: "good/two"), ModelInfo(id: "bad/../id")]
        await #expect(throws: CatalogError.self) { try await catalog.upsert(models: batch) }
        #expect(try await catalog.isEmpty)

        try await catalog.upsert(models: [ModelInfo(id: "good/one")])
        let bad = [CatalogEstimate(precision: .fp16, weightsBytes: 10, kvBytesPerToken: 1, overheadBytes: 1, defaultContext: 1),
                   CatalogEstimate(precision: .int8, weightsBytes: -1, kvBytesPerToken: 1, overheadBytes: 1, defaultContext: 1)]
        await #expect(throws: CatalogError.self) { try await catalog.upsertEstimates(["good/one": bad, "good/two": [bad[0]]]) }
        #expect(try await catalog.model(id: "good/one")?.estimates.isEmpty == true)
        #expect(try await catalog.model(id: "good/two") == nil)
    }

    @Test("Two catalogs on one file writing at once from parallel threads lose nothing")
    func concurrentWriters() async throws {
        let temp = try TestCatalog()
        let first = try temp.open()
        let second = try temp.open()
        let perWriter = 400
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, catalog) in [first, second].enumerated() {
                group.addTask {
                    for batch in stride(from: 0, to: perWriter, by: 20) {
                        let models = (batch..<batch + 20).map { ModelInfo(id: "writer\(index)/model-\($0)", downloads: $0, tags: ["w\(index)"]) }
                        try await catalog.upsert(models: models)
                        // Both also update one shared row, the classic lost-update case.
                        try await catalog.upsert(models: [ModelInfo(id: "shared/model", downloads: batch, tags: ["w\(index)"])])
                    }
                }
            }
            try await group.waitForAll()
        }
        let reader = try temp.open()
        #expect(try await reader.stats().models == 2 * perWriter + 1)
        #expect(try await reader.search(SearchRequest(tags: ["w0"], limit: 1000)).count >= perWriter)
        #expect(try await reader.search(SearchRequest(tags: ["w1"], limit: 1000)).count >= perWriter)
        #expect(try await reader.search(SearchRequest(text: "model", limit: 2000)).count == 2 * perWriter + 1)
    }

    @Test("Tags with quotes, backslashes, control characters and non-ASCII survive storage")
    func tagEscaping() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let tags = ["say \"hi\"", "back\\slash", "line\nbreak", "bell\u{07}", "日本語", "base_model:org/name"]
        try await catalog.upsert(models: [ModelInfo(id: "org/odd-tags", tags: tags)])
        #expect(try await catalog.model(id: "org/odd-tags")?.model.tags == tags)
        for tag in tags {
            #expect(try await catalog.search(SearchRequest(tags: [tag])).map(\.id) == ["org/odd-tags"])
        }
    }
}
