import Foundation
import Testing
@testable import HubScoutCore

/// Planner and sizing rules behind `fit`'s answers: one sizing path for full configs and catalog facts, one figure per
/// option on every host, CPU-first recommendations, and fixes limited to formats the model can be had in.
@Suite("Fit answers: one sizing path, one figure per option, CPU choices")
struct FitAnswersTests {
    static let GiB: Int64 = 1 << 30

    static func host(gpus: [Int64], ram: Int64) -> HostMemory {
        HostMemory(ramTotalBytes: ram, ramAvailableBytes: ram,
                   gpus: gpus.enumerated().map { GPUMemory(index: $0.offset, name: "GPU \($0.offset)", memoryBytes: $0.element) })
    }

    /// What the catalog keeps of a config (the shipped snapshot's keys): the attention shape, no FFN width, no tying.
    static func catalogFacts(of full: ModelConfig) -> ModelConfig {
        ModelConfig(modelType: full.modelType, architecture: full.architecture, hiddenSize: full.hiddenSize, numLayers: full.numLayers,
                    numAttentionHeads: full.numAttentionHeads, numKeyValueHeads: full.numKeyValueHeads, vocabSize: full.vocabSize,
                    dtype: full.dtype, contextLength: full.contextLength)
    }

    @Test("catalog facts + the API count size Qwen3-8B, Llama-3.1-8B and Qwen2.5-7B to the bytes the full config.json gives",
          arguments: [("qwen3-8b", Int64(8_190_735_360)), ("llama-3.1-8b", Int64(8_030_261_248)), ("qwen2.5-7b", Int64(7_615_616_512))])
    func catalogFactsMatchFullConfig(name: String, count: Int64) throws {
        let full = try ConfigFixtures.config(name)
        let parameters = ParameterCount(total: count, source: .hubAPI)
        let online = try ModelFacts(config: full, parameters: parameters).sizing()
        let offline = try ModelFacts(config: Self.catalogFacts(of: full), parameters: parameters).sizing()
        #expect(online.basis == .formula)
        #expect(offline.basis == .derivedShape, "\(offline.notes)")
        #expect(offline.estimator.config.intermediateSize == full.intermediateSize)
        for format in [WeightFormat.fp16, .int8, .int4] {
            let a = try online.estimator.estimate(format), b = try offline.estimator.estimate(format)
            #expect(a.weightsBytes == b.weightsBytes, "\(name) \(format) weights")
            #expect(a.kvCacheBytes == b.kvCacheBytes, "\(name) \(format) KV")
            #expect(a.computeBytes == b.computeBytes, "\(name) \(format) compute")
            #expect(a.totalBytes == b.totalBytes, "\(name) \(format) total")
        }
    }

    @Test("a count that implies no whole FFN width falls back to the count-only breakdown, and says so")
    func noWholeWidth() throws {
        let facts = Self.catalogFacts(of: try ConfigFixtures.config("llama-3.1-8b"))
        let sizing = try ModelFacts(config: facts, parameters: ParameterCount(total: 8_030_261_248 + 150_000, source: .hubAPI)).sizing()
        #expect(sizing.basis == .parameterCount)
        #expect(sizing.notes.contains { $0.contains("breakdown built from") })
        #expect(sizing.estimator.config.intermediateSize == nil)
    }

    @Test("tied embeddings are found when the untied guess leaves a fraction (Qwen2.5-0.5B)")
    func tiedWidth() throws {
        let full = try ConfigFixtures.config("qwen2.5-0.5b")
        let sizing = try ModelFacts(config: Self.catalogFacts(of: full), parameters: ParameterCount(total: 494_032_768, source: .hubAPI)).sizing()
        #expect(sizing.basis == .derivedShape)
        #expect(sizing.estimator.config.intermediateSize == full.intermediateSize)
        #expect(sizing.estimator.config.tieWordEmbeddings == true)
    }

    @Test("a CPU-only host: the option's total is the RAM it plans, with no GPU runtime, and the reason names that figure")
    func cpuOnlyOneFigure() throws {
        let estimator = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let planner = FitPlanner(estimator: estimator, host: Self.host(gpus: [], ram: 64_000_000_000))
        for verdict in try planner.verdicts() where verdict.kind != .doesNotFit {
            let e = verdict.estimate
            #expect(verdict.kind == .fitsInRAM)
            #expect(verdict.totalBytes == verdict.ramBytes)
            #expect(verdict.gpuBytes == 0)
            #expect(verdict.totalBytes == e.weightsBytes + e.kvCacheBytes + e.computeBytes + e.hostOverheadBytes)
            #expect(verdict.totalBytes < e.totalBytes, "a CPU run pays no GPU runtime")
            #expect(verdict.overheadBytes == e.computeBytes + e.hostOverheadBytes)
            #expect(verdict.reason.contains(GiBText.text(verdict.totalBytes)), "\(verdict.reason)")
        }
    }

    @Test("GPU placements: total = GPU + RAM bytes, each GPU of a split paying its own runtime, and the reason names it")
    func gpuOneFigure() throws {
        let small = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let big = try MemoryEstimator(config: FitModels.llama31_70B, parameters: FitModels.llama31_70BParams)
        let gpu24 = Int64(24_576) * 1024 * 1024
        let cases: [(MemoryEstimator, HostMemory, WeightFormat, FitVerdict.Kind)] = [
            (small, Self.host(gpus: [24_000_000_000], ram: 64_000_000_000), .fp16, .fitsOnGPU),
            (big, Self.host(gpus: [gpu24, gpu24], ram: 128_000_000_000), .int4, .fitsOnGPU),
            (big, Self.host(gpus: [gpu24], ram: 128_000_000_000), .int4, .fitsWithOffload),
        ]
        for (estimator, host, format, kind) in cases {
            let v = try FitPlanner(estimator: estimator, host: host).verdict(format)
            #expect(v.kind == kind)
            #expect(v.totalBytes == v.gpuBytes + v.ramBytes)
            #expect(v.totalBytes == v.estimate.weightsBytes + v.estimate.kvCacheBytes + v.overheadBytes)
            #expect(v.reason.contains(GiBText.text(v.totalBytes)), "\(v.reason)")
        }
        let split = try FitPlanner(estimator: big, host: Self.host(gpus: [gpu24, gpu24], ram: 128_000_000_000)).verdict(.int4)
        let e = split.estimate
        #expect(split.gpuBytes == e.deviceBytes + e.runtimeBytes + e.computeBytes)
    }

    @Test("without a GPU the recommendation is the 4-bit format CPU users run; with a large GPU, the most faithful")
    func cpuRecommendation() throws {
        let estimator = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let cpu = FitPlanner(estimator: estimator, host: Self.host(gpus: [], ram: 64_000_000_000))
        let verdicts = try cpu.verdicts()
        #expect(verdicts.filter { $0.kind == .fitsInRAM }.map(\.format).contains(.fp16))
        #expect(try cpu.best()?.format == .int4)
        let gpu = FitPlanner(estimator: estimator, host: Self.host(gpus: [80_000_000_000], ram: 64_000_000_000))
        #expect(try gpu.best()?.format == .fp16)

        // GGUF files: Q4_K_M beats Q8_0 on a CPU; Q8_0 wins where both fit a GPU.
        let files: [WeightFormat] = [.gguf(.q8_0), .gguf(.q4_K_M), .gguf(.q6_K)]
        let onCPU = try files.map { try cpu.verdict($0) }
        #expect(FitPlanner.preferredIndex(onCPU, nativeFormat: nil).map { onCPU[$0].format } == .gguf(.q4_K_M))
        let onGPU = try files.map { try gpu.verdict($0) }
        #expect(FitPlanner.preferredIndex(onGPU, nativeFormat: nil).map { onGPU[$0].format } == .gguf(.q8_0))
        // Without a 4-bit-class option the CPU gets the smallest that fits.
        let noFour = try [WeightFormat.fp16, .gguf(.q8_0)].map { try cpu.verdict($0) }
        #expect(FitPlanner.preferredIndex(noFour, nativeFormat: nil).map { noFour[$0].format } == .gguf(.q8_0))
    }

    @Test("fixes name only formats the model can be had in: a GGUF-only repository's files, never a what-if quant")
    func fixesFromChoices() throws {
        let estimator = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        // 7 GB of RAM: nothing at 4 bits or more fits; a Q3_K_M what-if would.
        let host = Self.host(gpus: [], ram: 7_000_000_000)
        let whatIf = try FitPlanner(estimator: estimator, host: host).verdict(.fp16)
        #expect(whatIf.cheapestFix == .smallerFormat(.gguf(.q3_K_M)))
        let files = [FitPlanner.FormatChoice(.gguf(.q8_0)), FitPlanner.FormatChoice(.gguf(.q4_K_M))]
        let own = try FitPlanner(estimator: estimator, host: host, choices: files).verdict(.gguf(.q8_0))
        #expect(own.kind == .doesNotFit)
        #expect(own.cheapestFix == nil)
        let withSmall = try FitPlanner(estimator: estimator, host: host, choices: files + [FitPlanner.FormatChoice(.gguf(.q2_K))])
            .verdict(.gguf(.q8_0))
        #expect(withSmall.cheapestFix == .smallerFormat(.gguf(.q2_K)))
    }
}
