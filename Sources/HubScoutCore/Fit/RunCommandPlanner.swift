/// Turns a recommendation into the commands that run it as it was sized: the GGUF quant with llama.cpp and
/// Ollama, the checkpoint with vLLM on a GPU, MLX on Apple silicon. Only tools that can load that variant get a
/// command; each carries the context, the layers on the GPU and the KV type the estimate assumed.
public struct RunCommandPlanner: Sendable {
    /// The repository, `ORG/NAME`.
    public var repo: String
    /// The GGUF quantization tag of the chosen file (`Q4_K_M`); nil when the choice is not a GGUF file.
    public var ggufQuantization: String?
    /// True when the chosen GGUF is split into parts (Ollama cannot pull those).
    public var ggufIsSplit: Bool
    /// True when the repository holds safetensors weights (what vLLM and MLX load).
    public var hasSafetensors: Bool
    /// True for an MLX repository (`library_name: mlx`).
    public var isMLXRepository: Bool
    /// The checkpoint's own format, when known.
    public var nativeFormat: WeightFormat?

    /// Creates a planner for one repository.
    public init(repo: String, ggufQuantization: String? = nil, ggufIsSplit: Bool = false, hasSafetensors: Bool,
                isMLXRepository: Bool = false, nativeFormat: WeightFormat? = nil) {
        self.repo = repo; self.ggufQuantization = ggufQuantization; self.ggufIsSplit = ggufIsSplit
        self.hasSafetensors = hasSafetensors; self.isMLXRepository = isMLXRepository; self.nativeFormat = nativeFormat
    }

    /// Commands for `verdict` (the recommendation) on `host`; empty when it does not fit or no tool loads it.
    public func commands(for verdict: FitVerdict, options: EstimateOptions, host: HostMemory) -> [RunCommand] {
        guard verdict.kind != .doesNotFit else { return [] }
        let context = verdict.estimate.context
        if let quant = ggufQuantization {
            var commands = [llamaCpp(quant, verdict, options, context: context)]
            if let ollama = ollama(quant, verdict, options, context: context) { commands.append(ollama) }
            return commands
        }
        var commands: [RunCommand] = []
        if hasSafetensors || isMLXRepository, let vllm = vllm(verdict, options, host: host, context: context) { commands.append(vllm) }
        if let mlx = mlx(verdict, host: host, context: context) { commands.append(mlx) }
        return commands
    }

    /// `llama-server -hf ORG/NAME:QUANT -c N -ngl L`: -c is the total over all sequences, -ngl counts the output
    /// layer too (all = layers + 1), so a partial offload names exactly the layers the estimate put on the GPU.
    func llamaCpp(_ quant: String, _ v: FitVerdict, _ o: EstimateOptions, context: Int) -> RunCommand {
        let layers: Int
        switch v.kind {
        case .fitsOnGPU: layers = v.totalLayers + 1
        case .fitsWithOffload: layers = v.gpuLayers >= v.totalLayers ? v.totalLayers + 1 : v.gpuLayers
        case .fitsInRAM, .doesNotFit: layers = 0
        }
        var parts = ["llama-server", "-hf", "\(repo):\(quant)", "-c", "\(context * o.batch)", "-ngl", "\(layers)"]
        if o.batch > 1 { parts += ["-np", "\(o.batch)"] }
        if v.estimate.expertsOnCPU { parts.append("--cpu-moe") }
        var note: String?
        switch o.kvDType {
        case .q8_0, .q4_0: parts += ["-ctk", o.kvDType.rawValue, "-ctv", o.kvDType.rawValue, "-fa", "on"]
        case .fp8: note = "llama.cpp has no fp8 KV cache; q8_0 (-ctk q8_0 -ctv q8_0 -fa on) is the nearest"
        case .f32: parts += ["-ctk", "f32", "-ctv", "f32"]
        case .f16, .bf16: break
        }
        return RunCommand(engine: .llamaCpp, command: parts.joined(separator: " "), note: note)
    }

    /// `ollama run hf.co/ORG/NAME:QUANT`; Ollama takes the context (and a partial offload) as model parameters,
    /// so the note says which to set. Split GGUFs are left out: Ollama cannot pull them from the Hub.
    func ollama(_ quant: String, _ v: FitVerdict, _ o: EstimateOptions, context: Int) -> RunCommand? {
        guard !ggufIsSplit, o.batch == 1 else { return nil }
        var settings = ["/set parameter num_ctx \(context)"]
        if v.kind == .fitsWithOffload, v.gpuLayers < v.totalLayers { settings.append("/set parameter num_gpu \(v.gpuLayers)") }
        if v.kind == .fitsInRAM { settings.append("/set parameter num_gpu 0") }
        var note = "in the session type " + settings.joined(separator: " and ")
            + "; or start the server with OLLAMA_CONTEXT_LENGTH=\(context)"
        if [.q8_0, .q4_0].contains(o.kvDType) {
            note += "; for the \(o.kvDType.rawValue) KV cache start the server with OLLAMA_FLASH_ATTENTION=1 OLLAMA_KV_CACHE_TYPE=\(o.kvDType.rawValue)"
        }
        return RunCommand(engine: .ollama, command: "ollama run hf.co/\(repo):\(quant)", note: note)
    }

    /// `vllm serve ORG/NAME --max-model-len N --gpu-memory-utilization U` when every layer sits on GPUs: U is the
    /// share of the GPUs' memory the estimate needs, rounded up to a hundredth (vLLM fills the rest of that share
    /// with KV cache for more sequences). A 4-bit or 8-bit what-if is quantized on load.
    func vllm(_ v: FitVerdict, _ o: EstimateOptions, host: HostMemory, context: Int) -> RunCommand? {
        guard v.kind == .fitsOnGPU, !v.estimate.expertsOnCPU, !v.gpuIndices.isEmpty else { return nil }
        let gpus = host.gpus.filter { v.gpuIndices.contains($0.index) }
        guard !gpus.isEmpty, !gpus.contains(where: \.unified) else { return nil }   // vLLM runs on discrete GPUs
        let total = gpus.reduce(0.0) { $0 + Double($1.memoryBytes) }
        guard total > 0 else { return nil }
        let share = min(0.95, max(0.05, (Double(v.gpuBytes) / total * 100).rounded(.up) / 100))
        var parts = ["vllm", "serve", repo, "--max-model-len", "\(context)", "--gpu-memory-utilization", String(format2: share)]
        if gpus.count > 1 { parts += ["--tensor-parallel-size", "\(gpus.count)"] }
        if o.batch > 1 { parts += ["--max-num-seqs", "\(o.batch)"] }
        if o.kvDType == .fp8 { parts += ["--kv-cache-dtype", "fp8"] }
        var note: String?
        switch v.format {
        case .int4 where nativeFormat != .int4: parts += ["--quantization", "bitsandbytes"]
        case .int8 where nativeFormat != .int8: parts += ["--quantization", "fp8"]; note = "fp8 weights need an Ada, Hopper or newer GPU"
        case .fp16 where nativeFormat == .bf16: parts += ["--dtype", "float16"]
        case .fp32, .gguf: return nil
        default: break
        }
        if [.q8_0, .q4_0].contains(o.kvDType) { note = "vLLM has no \(o.kvDType.rawValue) KV cache; --kv-cache-dtype fp8 is the nearest" }
        return RunCommand(engine: .vllm, command: parts.joined(separator: " "), note: note)
    }

    /// `mlx_lm.generate --model ORG/NAME --max-kv-size N` for MLX repositories, and for safetensors checkpoints
    /// when the host is Apple silicon (MLX converts them on load).
    func mlx(_ v: FitVerdict, host: HostMemory, context: Int) -> RunCommand? {
        let apple = host.gpus.contains { $0.unified && $0.name.hasPrefix("Apple") }
        guard isMLXRepository || (apple && hasSafetensors) else { return nil }
        var note: String?
        if !isMLXRepository, [.int4, .int8].contains(v.format) {
            note = "for \(v.format) weights, convert first: mlx_lm.convert --hf-path \(repo) -q --q-bits \(v.format == .int4 ? 4 : 8), then pass the mlx_model folder as --model"
        }
        return RunCommand(engine: .mlx, command: "mlx_lm.generate --model \(repo) --max-kv-size \(context) --prompt \"Hello\"", note: note)
    }
}

extension String {
    /// `0.87`: two decimals without Foundation's locale-dependent formatting.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
