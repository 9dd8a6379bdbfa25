import Foundation
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutTestSupport
import Testing
@testable import HubScoutKit

/// The recorder stores what Hub calls saw; the estimator glue feeds the real MemoryEstimator.
@Suite("Catalog recorder and estimator glue", .serialized)
struct CatalogRecorderTests {
    @Test("an inspection is upserted: card facts, config, header parameter count, files with format and sha256, estimates")
    func recordsInspection() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let writers = InspectorTests.shards()
        let names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
        var weightMap: [String: String] = [:]
        for (writer, name) in zip(writers, names) { for t in writer.tensors { weightMap[t.name] = name } }
        let totalBytes = writers.reduce(0) { $0 + $1.dataSize }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": ["total_size": totalBytes], "weight_map": weightMap])
        let repo = try cache.addRepo("hubscout-test/recorded-llama", commits: [[
            FixtureFile("config.json", text: InspectorTests.config),
            .readme(frontMatter: "license: apache-2.0\npipeline_tag: text-generation\nbase_model: meta-llama/Llama-3.1-8B\ndatasets:\n- c4",
                    body: "# Recorded\n\nA small Llama-style model whose inspection goes into the catalog.\n"),
            FixtureFile("model.safetensors.index.json", data: index, lfs: false),
            FixtureFile(names[0], data: writers[0].fileData(), lfs: true),
            FixtureFile(names[1], data: writers[1].fileData(), lfs: true),
        ]])
        let server = try await TestHubServer.start(root: cache.root)
        let inspection = try await ModelInspector(client: CatalogTestHelpers.client(server)).inspect(try RepoID("hubscout-test/recorded-llama"))
        await server.stop()

        let (catalog, folder) = try CatalogTestHelpers.freshCatalog()
        defer { try? FileManager.default.removeItem(at: folder) }
        let warnings = await CatalogRecorder(catalog: catalog).record(inspection: inspection)
        #expect(warnings.isEmpty)
        // Recording twice changes nothing (idempotent upserts).
        _ = await CatalogRecorder(catalog: catalog).record(inspection: inspection)

        let detail = try #require(try await catalog.model(id: "hubscout-test/recorded-llama"))
        let expected = writers.reduce(0) { $0 + $1.parameterCount }
        #expect(detail.model.parameters == ParameterCount(total: expected, source: .tensorHeaders))
        #expect(detail.model.pipelineTag == "text-generation")
        #expect(detail.card?.summary == "A small Llama-style model whose inspection goes into the catalog.")
        #expect(detail.card?.baseModels == ["meta-llama/Llama-3.1-8B"])
        #expect(detail.card?.datasets == ["c4"])
        #expect(detail.config?.numLayers == 4)
        #expect(detail.config?.numKeyValueHeads == 2)
        let shard = try #require(detail.files.first { $0.path == names[0] })
        #expect(shard.format == "safetensors")
        #expect(shard.sha256 == repo.file(names[0])?.etag)
        #expect(shard.revision == repo.head)
        #expect(detail.files.count == 5)
        #expect(detail.estimates.map(\.precision) == [.fp16, .int8, .int4])
        let fp16 = try #require(detail.estimates.first)
        // bf16 checkpoint: the fp16 row uses the exact header bytes.
        #expect(fp16.weightsBytes == totalBytes)
        #expect(fp16.defaultContext == 4096)
        // KV per token: 2 (K,V) × 4 layers × 2 KV heads × 32 head dim × 2 bytes.
        let kvPerToken: Int64 = 2 * 4 * 2 * 32 * 2
        #expect(fp16.kvBytesPerToken == kvPerToken)
    }

    @Test("listings and downloads are recorded; a catalog failure becomes a warning, never an error")
    func listingsDownloadsAndWarnings() async throws {
        let (catalog, folder) = try CatalogTestHelpers.freshCatalog()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorder = CatalogRecorder(catalog: catalog)
        let info = ModelInfo(id: "acme/tiny", downloads: 12, likes: 3, pipelineTag: "text-generation", tags: ["gguf"])
        #expect(await recorder.record(listing: [info]).isEmpty)
        let summary = DownloadSummary(
            repo: "acme/tiny", snapshotPath: "/nonexistent/snapshots/" + String(repeating: "a", count: 40), revision: "main",
            commit: try #require(CommitHash(String(repeating: "a", count: 40))),
            files: [DownloadedFile(path: "tiny-Q4_K_M.gguf", size: 100, sha256: String(repeating: "b", count: 64), etag: BlobID(String(repeating: "b", count: 64)),
                                   verified: true, status: .downloaded, bytesDownloaded: 100, localPath: "/nonexistent/x")],
            bytesDownloaded: 100, bytesReused: 0, seconds: 0.1)
        #expect(await recorder.record(download: summary).isEmpty)
        let detail = try #require(try await catalog.model(id: "acme/tiny"))
        #expect(detail.model.downloads == 12)
        #expect(detail.snapshots.map(\.commit) == [summary.commit.value])
        #expect(detail.snapshots.first?.sizeOnDisk == 100)
        #expect(detail.snapshots.first?.verifiedAt != nil)
        #expect(detail.files.first?.format == "gguf")

        // An invalid id cannot be stored: the recorder reports it and carries on.
        let bad = ModelInfo(id: "not a valid id/with/slashes")
        let warnings = await recorder.record(listing: [bad])
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("warning: could not record") == true)
    }
}
