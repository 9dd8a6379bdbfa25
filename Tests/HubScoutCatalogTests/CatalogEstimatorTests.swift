import Foundation
import HubScoutCore
import Testing
@testable import HubScoutCatalog

/// The catalog's rows come from Core's `MemoryEstimator` only: the config formula's breakdown, else one
/// built from the parameter count, else no row (never a guess from another formula).
@Suite("Catalog estimator")
struct CatalogEstimatorTests {
    static let llamaShape = ModelConfig(modelType: "llama", hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 8,
                                        vocabSize: 128_256, contextLength: 131_072)

    @Test("a count and a layer/head shape without a formula: MemoryEstimator over a breakdown from the count")
    func parameterCountPath() throws {
        let model = SnapshotModel(info: ModelInfo(id: "meta-llama/Llama-3.1-8B"), config: Self.llamaShape,
                                  parameters: ParameterCount(total: 8_030_261_248, source: .hubAPI))
        let result = CatalogEstimator.estimate(snapshot: model)
        #expect(result.method == .parameterCount)
        #expect(result.estimates.map(\.precision) == [.fp16, .int8, .int4])
        #expect(result.estimates[0].weightsBytes == 2 * 8_030_261_248)
        #expect(result.estimates[0].kvBytesPerToken == 2 * 32 * 8 * 128 * 2)
        #expect(result.estimates[0].defaultContext == 8192)
        // int4 keeps embeddings and the untied head at 16 bits: more than a quarter of fp16.
        #expect(result.estimates[2].weightsBytes > result.estimates[0].weightsBytes / 4)
        #expect(result.estimates[2].weightsBytes < result.estimates[1].weightsBytes)
        // The rows are the figures of the one sizing path every caller uses (online inspection included).
        let sizing = try ModelFacts(config: Self.llamaShape, parameters: ParameterCount(total: 8_030_261_248, source: .hubAPI)).sizing()
        let fp16 = try sizing.estimator.estimate(.fp16, options: EstimateOptions())
        #expect(result.estimates[0].weightsBytes == fp16.weightsBytes)
        #expect(result.estimates[0].overheadBytes == fp16.overheadBytes)
    }

    @Test("a full config: the formula's breakdown, scaled to a trusted count")
    func formulaPath() throws {
        var config = Self.llamaShape
        config.intermediateSize = 14_336
        let formula = try ParameterCounter.estimate(config)
        let plain = CatalogEstimator.estimate(config: config, parameters: nil)
        #expect(plain.method == .formula)
        #expect(plain.estimates.first { $0.precision == .fp16 }?.weightsBytes == 2 * formula.breakdown.total)

        let counted = CatalogEstimator.estimate(config: config, parameters: ParameterCount(total: 8_000_000_000, source: .hubAPI))
        #expect(counted.method == .formula)
        #expect(counted.estimates.first { $0.precision == .fp16 }?.weightsBytes == 16_000_000_000)
        #expect(counted.notes.contains { $0.contains("scaled") })
    }

    @Test("no layer/head shape, or no count and no formula, or no config: no estimate at all")
    func noGuess() {
        let noShape = SnapshotModel(info: ModelInfo(id: "acme/unknown"), config: ModelConfig(modelType: "llama"),
                                    parameters: ParameterCount(total: 1_000_000, source: .hubAPI))
        let none = CatalogEstimator.estimate(snapshot: noShape)
        #expect(none.estimates.isEmpty)
        #expect(none.method == .none)
        #expect(!none.notes.isEmpty)

        // A shape is not enough without a count or a formula.
        let noCount = CatalogEstimator.estimate(snapshot: SnapshotModel(info: ModelInfo(id: "acme/shape-only"), config: Self.llamaShape))
        #expect(noCount.estimates.isEmpty)
        #expect(noCount.method == .none)

        let noConfig = CatalogEstimator.estimate(snapshot: SnapshotModel(info: ModelInfo(id: "acme/bare"),
                                                                         parameters: ParameterCount(total: 7_000_000_000, source: .hubAPI)))
        #expect(noConfig.estimates.isEmpty)
        #expect(noConfig.method == .none)
    }

    @Test("the shipped snapshot is imported with CatalogEstimator's rows by default, for every model it can size")
    func snapshotDefaultsToCatalogEstimator() async throws {
        let models = try SnapshotReader.read(TestCatalog.snapshotURL)
        let sized = models.filter { !CatalogEstimator.estimate(snapshot: $0).estimates.isEmpty }
        // 95 of the 164 models of the snapshot shipped with this test (the removed FallbackEstimator sized 95 too).
        #expect(sized.count >= 95)
        let temp = try TestCatalog()
        let catalog = try temp.open()
        let result = try #require(try await catalog.importSnapshotIfEmpty(TestCatalog.snapshotURL))
        #expect(result.estimated == sized.count)
        for model in sized.prefix(20) {
            let detail = try #require(try await catalog.model(id: model.info.id))
            #expect(detail.estimates == CatalogEstimator.estimate(snapshot: model).estimates)
        }
    }
}
