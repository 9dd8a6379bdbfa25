import Testing
@testable import HubScoutCore

/// Run commands follow the verdict they were made from: layers on the GPU, context, KV type, the GPUs' share.
@Suite("Run commands match the estimate")
struct RunCommandTests {
    func planner(gpus: [Int64], ram: Int64 = 64_000_000_000, name: String = "NVIDIA RTX", unified: Bool = false) throws -> FitPlanner {
        let host = HostMemory(ramTotalBytes: ram, ramAvailableBytes: ram,
                              gpus: gpus.enumerated().map { GPUMemory(index: $0.offset, name: name, memoryBytes: $0.element, unified: unified) })
        return FitPlanner(estimator: try MemoryEstimator(config: FitModels.llama31_8B, parameters: FitModels.llama31_8BParams), host: host)
    }

    @Test("a partial offload names exactly the layers the estimate put on the GPU; a full one adds the output layer")
    func llamaCppLayers() throws {
        let p = try planner(gpus: [24_000_000_000])
        let run = RunCommandPlanner(repo: "acme/Llama-GGUF", ggufQuantization: "Q4_K_M", hasSafetensors: false)
        let partial = try p.verdict(.fp16, options: EstimateOptions(context: 131_072))
        #expect(partial.kind == .fitsWithOffload && partial.gpuLayers < partial.totalLayers)
        let commands = run.commands(for: partial, options: EstimateOptions(context: 131_072), host: p.host)
        #expect(commands.first?.command == "llama-server -hf acme/Llama-GGUF:Q4_K_M -c 131072 -ngl \(partial.gpuLayers)")
        #expect(commands.last?.engine == .ollama)
        #expect(commands.last?.note?.contains("num_gpu \(partial.gpuLayers)") == true)

        let full = try p.verdict(.fp16, options: EstimateOptions(context: 8192, batch: 2, kvDType: .q8_0))
        #expect(full.kind == .fitsOnGPU)
        let two = run.commands(for: full, options: EstimateOptions(context: 8192, batch: 2, kvDType: .q8_0), host: p.host)
        // -c is the total over sequences; Ollama has no per-request parallel setting to match, so it is left out.
        #expect(two.map(\.command) == ["llama-server -hf acme/Llama-GGUF:Q4_K_M -c 16384 -ngl \(full.totalLayers + 1) -np 2 -ctk q8_0 -ctv q8_0 -fa on"])
    }

    @Test("a split GGUF gets no Ollama command (Ollama cannot pull one); nothing is offered for what does not fit")
    func splitAndNoFit() throws {
        let p = try planner(gpus: [24_000_000_000])
        let v = try p.verdict(.fp16, options: EstimateOptions(context: 8192))
        let split = RunCommandPlanner(repo: "acme/Big-GGUF", ggufQuantization: "Q6_K", ggufIsSplit: true, hasSafetensors: false)
        #expect(split.commands(for: v, options: EstimateOptions(context: 8192), host: p.host).map(\.engine) == [.llamaCpp])
        let tiny = try planner(gpus: [], ram: 2_000_000_000)
        let none = try tiny.verdict(.fp16, options: EstimateOptions(context: 8192))
        #expect(none.kind == .doesNotFit)
        #expect(split.commands(for: none, options: EstimateOptions(context: 8192), host: tiny.host).isEmpty)
    }

    @Test("vLLM gets the share of GPU memory the estimate needs, rounded up, and one shard per GPU used")
    func vllmShare() throws {
        let p = try planner(gpus: [24_000_000_000])
        let v = try p.verdict(.bf16, options: EstimateOptions(context: 8192))
        let run = RunCommandPlanner(repo: "acme/Llama", hasSafetensors: true, nativeFormat: .bf16)
        let commands = run.commands(for: v, options: EstimateOptions(context: 8192), host: p.host)
        #expect(commands.map(\.engine) == [.vllm])
        let share = (Double(v.gpuBytes) / 24_000_000_000 * 100).rounded(.up) / 100
        #expect(commands.first?.command == "vllm serve acme/Llama --max-model-len 8192 --gpu-memory-utilization \(String(format2: share))")
        #expect(share * 24_000_000_000 >= Double(v.gpuBytes))

        let int4 = try p.verdict(.int4, options: EstimateOptions(context: 8192))
        #expect(run.commands(for: int4, options: EstimateOptions(context: 8192), host: p.host).first?.command.hasSuffix("--quantization bitsandbytes") == true)
    }

    @Test("MLX is offered on Apple silicon for safetensors, never vLLM there; on a CPU-only host neither")
    func mlxOnApple() throws {
        let mac = try planner(gpus: [48_000_000_000], ram: 64_000_000_000, name: "Apple M3 Max", unified: true)
        let v = try mac.verdict(.bf16, options: EstimateOptions(context: 4096))
        let run = RunCommandPlanner(repo: "acme/Llama", hasSafetensors: true, nativeFormat: .bf16)
        let commands = run.commands(for: v, options: EstimateOptions(context: 4096), host: mac.host)
        #expect(commands.map(\.engine) == [.mlx])
        #expect(commands.first?.command == "mlx_lm.generate --model acme/Llama --max-kv-size 4096 --prompt \"Hello\"")
        let cpu = try planner(gpus: [])
        let inRAM = try cpu.verdict(.bf16, options: EstimateOptions(context: 4096))
        #expect(run.commands(for: inRAM, options: EstimateOptions(context: 4096), host: cpu.host).isEmpty)
    }

    @Test("headroom is the usable budget minus what the placement needs, on the GPUs used and in RAM")
    func headroom() throws {
        let p = try planner(gpus: [24_000_000_000])
        let v = try p.verdict(.fp16, options: EstimateOptions(context: 8192))
        let h = try #require(p.headroom(of: v, engine: .default))
        #expect(h.gpuBytes == 24_000_000_000 - (1 << 30) - v.gpuBytes)
        #expect(h.ramBytes == 64_000_000_000 - (1 << 30) - v.ramBytes)
        #expect(String(format2: 0.05) == "0.05" && String(format2: 0.9) == "0.90" && String(format2: 1) == "1.00")
    }
}
