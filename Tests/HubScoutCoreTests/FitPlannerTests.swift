import Testing
@testable import HubScoutCore

@Suite("Fit verdicts, max context and fixes")
struct FitPlannerTests {
    static let GiB: Int64 = 1 << 30

    static func host(gpus: [Int64], ram: Int64, unified: Bool = false, free: [Int64]? = nil) -> HostMemory {
        HostMemory(ramTotalBytes: ram, ramAvailableBytes: ram,
                   gpus: gpus.enumerated().map { GPUMemory(index: $0.offset, name: "GPU \($0.offset)", memoryBytes: $0.element,
                                                          freeBytes: free?[$0.offset], unified: unified) })
    }

    func llama8B() throws -> MemoryEstimator {
        try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
    }

    @Test("Llama-3.1-8B fp16 at 8k fits a 24 GB GPU; max context 44,490 tokens")
    func fitsOn24GB() throws {
        let planner = FitPlanner(estimator: try llama8B(), host: Self.host(gpus: [24_000_000_000], ram: 64_000_000_000))
        let v = try planner.verdict(.fp16, options: EstimateOptions(context: 8192))
        #expect(v.kind == .fitsOnGPU)
        #expect(v.gpuIndices == [0])
        #expect(v.gpuLayers == 32 && v.totalLayers == 32)
        #expect(v.cheapestFix == nil)
        // budget 24,000,000,000 − 1 GiB margin = 22,926,258,176
        //   − weights 16,060,522,496 − runtime 650,000,000 − compute 384,303,104 = 5,831,432,576 for KV
        //   ÷ 131,072 B/token = 44,490.3 → 44,490 tokens
        #expect(v.maxContext == 44_490)
    }

    @Test("At 128k the same GPU needs partial offload (22 of 32 layers) and the fix is a shorter context")
    func partialOffload() throws {
        let planner = FitPlanner(estimator: try llama8B(), host: Self.host(gpus: [24_000_000_000], ram: 64_000_000_000))
        let v = try planner.verdict(.fp16, options: EstimateOptions(context: 131_072))
        // per layer: (layer weights 13,959,176,192 + KV 17,179,869,184) / 32 = 973,095,168 B
        // GPU room: 22,926,258,176 − runtime 650,000,000 − compute 430,440,448 = 21,845,817,728 → 22 layers
        #expect(v.kind == .fitsWithOffload)
        #expect(v.gpuLayers == 22)
        #expect(v.biggestContributor == .kvCache)
        // KV q8_0 is not enough (9.1 GiB KV + 16.06 GB weights > 22.9 GB), so: shorten to the 44,490 tokens found above.
        #expect(v.cheapestFix == .shorterContext(44_490))
    }

    @Test("KV q8_0 is suggested when it is enough")
    func kvFix() throws {
        let planner = FitPlanner(estimator: try llama8B(), host: Self.host(gpus: [24_000_000_000], ram: 64_000_000_000))
        // 48k: f16 KV 6 GiB > 5.43 GiB room; q8_0 KV 3.19 GiB fits.
        let v = try planner.verdict(.fp16, options: EstimateOptions(context: 49_152))
        #expect(v.kind == .fitsWithOffload)
        #expect(v.cheapestFix == .kvCache(.q8_0))
    }

    @Test("Mixtral fp16 on a 24 GB GPU: keep the experts in RAM")
    func mixtralExperts() throws {
        let est = try MemoryEstimator(config: FitModels.mixtral, parameters: FitModels.mixtralParams)
        let planner = FitPlanner(estimator: est, host: Self.host(gpus: [24_000_000_000], ram: 128_000_000_000))
        let v = try planner.verdict(.fp16)
        #expect(v.kind == .fitsWithOffload)
        #expect(v.cheapestFix == .expertsOnCPU)
        let off = try planner.verdict(.fp16, options: EstimateOptions(expertsOnCPU: true))
        #expect(off.kind == .fitsWithOffload)
        #expect(off.gpuLayers == off.totalLayers)
        #expect(off.ramBytes > 90_194_313_216)
    }

    @Test("No GPU: a small model fits in RAM; a big one suggests a smaller format")
    func cpuOnly() throws {
        let qwen = try MemoryEstimator(config: FitModels.qwen25_05B, parameters: FitModels.qwen25_05BParams)
        let small = try FitPlanner(estimator: qwen, host: Self.host(gpus: [], ram: 8_000_000_000)).verdict(.bf16)
        #expect(small.kind == .fitsInRAM)
        #expect(small.gpuIndices.isEmpty)
        #expect(small.reason.contains("no GPU"))

        let planner = FitPlanner(estimator: try llama8B(), host: Self.host(gpus: [], ram: 12_000_000_000))
        let big = try planner.verdict(.fp16)
        // fp16 needs 16.06 GB of weights alone; int8: 9,081,200,640 + KV 1 GiB + compute + 150 MiB ≈ 10.7 GB ≤ 10.93 GB
        #expect(big.kind == .doesNotFit)
        #expect(big.maxContext == nil)
        #expect(big.cheapestFix == .smallerFormat(.int8))
    }

    @Test("The best precision is the highest-fidelity one that fits on the GPU")
    func bestPrecision() throws {
        let planner = FitPlanner(estimator: try llama8B(), host: Self.host(gpus: [16_000_000_000], ram: 32_000_000_000))
        let verdicts = try planner.verdicts(options: EstimateOptions(context: 8192))
        #expect(verdicts.map(\.format) == [.fp32, .fp16, .int8, .int4])
        #expect(verdicts[1].kind == .fitsWithOffload)      // 18.17 GB > 14.93 GB usable
        #expect(verdicts[2].kind == .fitsOnGPU)
        let best = try #require(try planner.best(options: EstimateOptions(context: 8192)))
        #expect(best.format == .int8)
        #expect(best.kind == .fitsOnGPU)
    }

    @Test("Two GPUs are used together only by an explicit layer split")
    func twoGPUs() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_70B, parameters: FitModels.llama31_70BParams)
        let gpu24 = Int64(24_576) * 1024 * 1024
        let planner = FitPlanner(estimator: est, host: Self.host(gpus: [gpu24, gpu24], ram: 128_000_000_000))
        let v = try planner.verdict(.int4)
        #expect(v.kind == .fitsOnGPU)
        #expect(v.gpuIndices == [0, 1])
        #expect(v.reason.contains("across 2 GPUs"))
        let single = try FitPlanner(estimator: est, host: Self.host(gpus: [gpu24], ram: 128_000_000_000)).verdict(.int4)
        #expect(single.kind == .fitsWithOffload)
    }

    @Test("vLLM budgets 90% of total memory, and free memory caps it")
    func vllmBudget() throws {
        let planner = FitPlanner(estimator: try llama8B(), host: Self.host(gpus: [80 * Self.GiB], ram: 64 * Self.GiB, free: [20 * Self.GiB]))
        let gpu = planner.host.gpus[0]
        #expect(planner.gpuBudget(gpu, .vllm) == 20 * Self.GiB)
        var idle = gpu; idle.freeBytes = 79 * Self.GiB
        #expect(planner.gpuBudget(idle, .vllm) == 80 * Self.GiB / 100 * 90)
        #expect(planner.gpuBudget(idle, .default) == 78 * Self.GiB)
    }

    @Test("Unified memory never counts RAM as extra room for offload")
    func unified() throws {
        // Apple-style: 16 GiB RAM with a 10.67 GiB GPU cap; fp16 Llama-8B does not fit the cap.
        let host = HostMemory(ramTotalBytes: 16 * Self.GiB, ramAvailableBytes: 15 * Self.GiB,
                              gpus: [GPUMemory(index: 0, name: "Apple M2", memoryBytes: 16 * Self.GiB / 3 * 2, unified: true)])
        let v = try FitPlanner(estimator: try llama8B(), host: host).verdict(.fp16)
        #expect(v.kind == .doesNotFit)
        let q = try FitPlanner(estimator: try llama8B(), host: host).verdict(.int4)
        #expect(q.kind == .fitsOnGPU)
    }

    @Test("Max context is capped by the model's context length")
    func capped() throws {
        let qwen = try MemoryEstimator(config: FitModels.qwen25_05B, parameters: FitModels.qwen25_05BParams)
        let planner = FitPlanner(estimator: qwen, host: Self.host(gpus: [80 * Self.GiB], ram: 64 * Self.GiB))
        #expect(try planner.maxContext(.bf16) == 32768)
    }
}

@Suite("Fit arithmetic on hostile inputs")
struct FitHostileInputTests {
    @Test("Absurd header bytes are refused instead of overflowing")
    func absurdExactBytes() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams,
                                      nativeFormat: .bf16, exactWeightBytes: Int64.max - 10)
        #expect(throws: FitError.self) { try est.estimate(.bf16) }
    }

    @Test("Absurd GPU sizes from overrides do not crash the planner")
    func absurdHost() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        let huge = Int64(9_000_000_000_000_000_000)
        let host = HostMemory(ramTotalBytes: huge, ramAvailableBytes: huge,
                              gpus: [GPUMemory(index: 0, name: "a", memoryBytes: huge), GPUMemory(index: 1, name: "b", memoryBytes: huge)])
        let v = try FitPlanner(estimator: est, host: host).verdict(.fp16)
        #expect(v.kind == .fitsOnGPU)
    }

    @Test("Zero or negative context and batch are refused")
    func badOptions() throws {
        let est = try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams)
        #expect(throws: FitError.self) { try est.estimate(.fp16, options: EstimateOptions(context: 0)) }
        #expect(throws: FitError.self) { try est.estimate(.fp16, options: EstimateOptions(batch: -1)) }
    }
}
