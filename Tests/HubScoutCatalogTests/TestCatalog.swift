import Foundation
import HubScoutCore
@testable import HubScoutCatalog

/// A catalog in a fresh temporary folder (a real SQLite file), removed when dropped.
final class TestCatalog: Sendable {
    let folder: URL
    let path: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("catalog.sqlite").path
    }

    func open(_ options: Catalog.Options = .init()) throws -> Catalog {
        try Catalog(path: path, options: options)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The repository's shipped snapshot.
    static let snapshotURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("cache/models.jsonl")
}

/// Shorthand for a fixed point in time.
func day(_ text: String) -> Date { SnapshotReader.parseDay(text) ?? Date(timeIntervalSince1970: 0) }

/// A small population with distinct values for every filter and sort.
enum Population {
    static let models: [ModelInfo] = [
        ModelInfo(id: "meta-llama/Llama-3.1-8B-Instruct", author: "meta-llama", lastModified: day("2024-09-25"), createdAt: day("2024-07-18"),
                  gated: .manual, downloads: 5_000_000, likes: 4000, trendingScore: 50, libraryName: "transformers",
                  pipelineTag: "text-generation", tags: ["transformers", "safetensors", "llama", "conversational", "license:llama3.1"],
                  cardData: .object(["license": .string("llama3.1")])),
        ModelInfo(id: "Qwen/Qwen2.5-7B-Instruct", author: "Qwen", lastModified: day("2025-01-12"), createdAt: day("2024-09-16"),
                  gated: .notGated, downloads: 3_000_000, likes: 800, trendingScore: 90, libraryName: "transformers",
                  pipelineTag: "text-generation", tags: ["transformers", "safetensors", "qwen2", "conversational", "license:apache-2.0"],
                  cardData: .object(["license": .string("apache-2.0")])),
        ModelInfo(id: "Qwen/Qwen2.5-72B-Instruct", author: "Qwen", lastModified: day("2024-10-01"), createdAt: day("2024-09-17"),
                  gated: .notGated, downloads: 400_000, likes: 900, trendingScore: 20, libraryName: "transformers",
                  pipelineTag: "text-generation", tags: ["transformers", "safetensors", "qwen2", "license:other"],
                  cardData: .object(["license": .string("other")])),
        ModelInfo(id: "BAAI/bge-m3", author: "BAAI", lastModified: day("2024-07-03"), createdAt: day("2024-01-27"),
                  gated: .notGated, downloads: 2_000_000, likes: 2000, trendingScore: 10, libraryName: "sentence-transformers",
                  pipelineTag: "sentence-similarity", tags: ["sentence-transformers", "onnx", "feature-extraction", "license:mit"],
                  cardData: .object(["license": .string("mit")])),
        ModelInfo(id: "openai/whisper-large-v3", author: "openai", lastModified: day("2024-08-12"), createdAt: day("2023-11-07"),
                  gated: .notGated, downloads: 4_000_000, likes: 4500, trendingScore: 30, libraryName: "transformers",
                  pipelineTag: "automatic-speech-recognition", tags: ["transformers", "safetensors", "whisper", "audio", "license:apache-2.0"],
                  cardData: .object(["license": .string("apache-2.0")])),
        ModelInfo(id: "google/gemma-2-9b", author: "google", lastModified: day("2024-08-07"), createdAt: day("2024-06-24"),
                  gated: .auto, downloads: 100_000, likes: 650, libraryName: "transformers",
                  pipelineTag: "text-generation", tags: ["transformers", "safetensors", "gemma2", "license:gemma"],
                  cardData: .object(["license": .string("gemma")])),
    ]
}
