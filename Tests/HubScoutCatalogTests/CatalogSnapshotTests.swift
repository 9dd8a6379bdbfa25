import Foundation
import HubScoutCore
import Testing
@testable import HubScoutCatalog

@Suite("Shipped snapshot import")
struct CatalogSnapshotTests {
    @Test("The shipped snapshot imports on first run only, with config facts and estimates")
    func importsOnFirstRun() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let result = try #require(try await catalog.importSnapshotIfEmpty(TestCatalog.snapshotURL))
        let lines = try String(contentsOf: TestCatalog.snapshotURL, encoding: .utf8).split(separator: "\n").count
        #expect(result.models == lines)
        #expect(result.estimated > 80)
        #expect(result.snapshotDate == day("2026-08"))
        #expect(try await catalog.lastSyncDate == day("2026-08"))
        #expect(try await catalog.importSnapshotIfEmpty(TestCatalog.snapshotURL) == nil)
        #expect(try await catalog.stats().models == lines)

        let llama = try #require(try await catalog.model(id: "meta-llama/llama-3.1-8b"))
        #expect(llama.config?.numKeyValueHeads == 8)
        #expect(llama.config?.contextLength == 131072)
        #expect(llama.model.parameters == ParameterCount(total: 8_030_261_248, source: .hubAPI))
        let fp16 = try #require(llama.estimates.first { $0.precision == .fp16 })
        #expect(fp16.weightsBytes == 16_060_522_496)
        #expect(fp16.kvBytesPerToken == 131_072)  // 2 × 32 layers × 8 kv heads × 128 × 2 B
    }

    @Test("After import, text-generation models that fit 16 GB are plausible")
    func fitsSixteenGigabytes() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        try await catalog.importSnapshotIfEmpty(TestCatalog.snapshotURL)
        let budget: Int64 = 16_000_000_000
        let found = try await catalog.search(SearchRequest(task: "text-generation", sort: .downloads, limit: 200,
                                                          fit: FitConstraint(budgetBytes: budget)))
        #expect(found.count >= 10)
        for model in found {
            let fit = try #require(model.fit)
            #expect(fit.totalBytes <= budget)
            #expect(model.pipelineTag == "text-generation")
            let params = try #require(model.parameters?.total)
            #expect(params < 32_000_000_000, "\(model.id) has \(params) parameters")
        }
        let ids = Set(found.map(\.id))
        #expect(ids.contains("meta-llama/Llama-3.1-8B"))
        #expect(!ids.contains("Qwen/Qwen3-235B-A22B"))
        // Downloads descending.
        let downloads = found.compactMap(\.downloads)
        #expect(downloads == downloads.sorted(by: >))
        // An 8B model does not fit 16 GB at fp16 with its overhead, but does at int8.
        #expect(found.first { $0.id == "meta-llama/Llama-3.1-8B" }?.fit?.precision == .int8)
    }

    @Test("An estimator passed in replaces the default CatalogEstimator")
    func customEstimator() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let result = try await catalog.importSnapshot(from: TestCatalog.snapshotURL) { model in
            guard let total = model.parameters?.total else { return [] }
            return [CatalogEstimate(precision: .int4, weightsBytes: total / 2, kvBytesPerToken: 0, overheadBytes: 0, defaultContext: 0)]
        }
        #expect(result.estimated > 100)
        let detail = try #require(try await catalog.model(id: "HuggingFaceH4/zephyr-7b-beta"))
        #expect(detail.estimates == [CatalogEstimate(precision: .int4, weightsBytes: 7_241_732_096 / 2, kvBytesPerToken: 0, overheadBytes: 0, defaultContext: 0)])
    }

    @Test("A broken snapshot line is reported with its number and nothing is imported")
    func brokenSnapshot() async throws {
        let temp = try TestCatalog()
        let url = temp.folder.appendingPathComponent("models.jsonl")
        try Data("{\"id\": \"a/b\"}\n{\"author\": \"x\"}\n".utf8).write(to: url)
        let catalog = try temp.open()
        do {
            try await catalog.importSnapshotIfEmpty(url)
            Issue.record("a line without an id was accepted")
        } catch let CatalogError.invalidSnapshot(path, line, _) {
            #expect(path == url.path)
            #expect(line == 2)
        }
        #expect(try await catalog.isEmpty)
    }
}
