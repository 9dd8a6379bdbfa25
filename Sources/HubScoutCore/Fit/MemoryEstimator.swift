/// Estimates the memory a model needs from its normalised config and parameter breakdown.
/// Weights come from exact header bytes when given, else parameters × bits of each part;
/// KV cache is summed per layer type; overhead comes from the engine profile.
public struct MemoryEstimator: Sendable {
    /// The model's normalised config.
    public let config: ModelConfig
    /// Where the parameters sit.
    public let parameters: ParameterBreakdown
    /// Where the parameter count came from.
    public let parameterSource: ParameterSource
    /// Per-layer cache shape.
    public let layout: AttentionLayout
    /// Dimensions for compute-buffer estimates.
    public let shape: ModelShape
    /// The checkpoint's own format (from `quantization_config`, else `torch_dtype`), when known.
    public let nativeFormat: WeightFormat?
    /// Exact bytes of the checkpoint's tensors (safetensors headers, `index.json` total_size, GGUF tensor infos).
    public let exactWeightBytes: Int64?
    /// The GGUF's shape as llama.cpp reads it, when a header was read: llama.cpp estimates then use
    /// `LlamaCppMemoryModel` for the KV cache, recurrent state, compute and output buffers.
    public var ggufShape: GGUFModelShape?

    /// Largest total an estimate accepts (64 PiB): far beyond any model, far below overflow.
    static let maxTotalBytes: Int64 = 1 << 56

    /// The what-if precisions every table shows.
    public static let whatIfFormats: [WeightFormat] = [.fp32, .fp16, .int8, .int4]

    /// Creates an estimator.
    /// - Parameters:
    ///   - nativeFormat: the checkpoint's format; nil = derived from `quantization_config` or `torch_dtype`.
    ///   - exactWeightBytes: exact tensor bytes of the checkpoint in `nativeFormat`, when the headers were read.
    ///   - ggufShape: a GGUF header's shape; llama.cpp estimates then follow llama.cpp's own buffer arithmetic.
    /// - Throws: `FitError` when the config lacks the layer count or head shape.
    public init(config: ModelConfig, parameters: ParameterBreakdown, parameterSource: ParameterSource = .configFormula,
                nativeFormat: WeightFormat? = nil, exactWeightBytes: Int64? = nil, ggufShape: GGUFModelShape? = nil) throws {
        guard parameters.total >= 0, [parameters.embedding, parameters.lmHead, parameters.attention, parameters.denseMLP,
              parameters.routedExperts, parameters.sharedExpertsAndRouters, parameters.other, parameters.vision].allSatisfy({ $0 >= 0 })
        else { throw FitError.invalidValue(name: "parameter count", value: parameters.total) }
        if let exact = exactWeightBytes, exact < 0 { throw FitError.invalidValue(name: "weight bytes", value: exact) }
        self.config = config
        self.parameters = parameters
        self.parameterSource = parameterSource
        self.layout = try AttentionLayout(config: config)
        self.shape = ModelShape(config: config)
        self.nativeFormat = nativeFormat
            ?? config.quantization.flatMap { WeightFormat(quantization: $0) }
            ?? config.dtype.flatMap { WeightFormat(dtype: $0) }
        self.exactWeightBytes = exactWeightBytes
        self.ggufShape = ggufShape
    }

    /// The context an estimate uses: the requested one, else 8k capped at the model's context length.
    public func resolvedContext(_ options: EstimateOptions) -> Int {
        if let c = options.context { return max(1, c) }
        return min(EstimateOptions.defaultContext, max(1, config.contextLength ?? EstimateOptions.defaultContext))
    }

    /// Bytes of each parameter group in `format`, in the order embedding, lmHead, layers, routed experts, vision.
    func weightParts(_ format: WeightFormat) throws -> (embedding: Int64, lmHead: Int64, layers: Int64, routedExperts: Int64, vision: Int64) {
        let q = format.quantizedBitsPerWeight, u = format.unquantizedBits, parts = format.quantizedParts
        func bytes(_ part: QuantizedParts, _ count: Int64) throws -> Int64 {
            try (parts.contains(part) ? q : u).bytes(for: count)
        }
        let p = parameters
        let layers = try CheckedMath.sum([
            try bytes(.attention, p.attention), try bytes(.denseMLP, p.denseMLP),
            try bytes(.sharedExpertsAndRouters, p.sharedExpertsAndRouters), try bytes(.other, p.other),
        ], "layer weight bytes")
        return (try bytes(.embedding, p.embedding), try bytes(.lmHead, p.lmHead), layers,
                try bytes(.routedExperts, p.routedExperts), try bytes(.vision, p.vision))
    }

    /// Weight bytes in `format`: exact when it is the native format and header bytes are known.
    public func weightBytes(_ format: WeightFormat, exactBytes: Int64? = nil) throws -> Int64 {
        if let exact = exactBytes ?? (isNative(format) ? exactWeightBytes : nil) { return exact }
        let w = try weightParts(format)
        return try CheckedMath.sum([w.embedding, w.lmHead, w.layers, w.routedExperts, w.vision], "weight bytes")
    }

    /// True when `format` is the checkpoint's own (fp16 and bf16 count as the same size).
    public func isNative(_ format: WeightFormat) -> Bool {
        guard let native = nativeFormat else { return false }
        if native == format { return true }
        let sixteen: Set<WeightFormat> = [.fp16, .bf16]
        return sixteen.contains(native) && sixteen.contains(format)
    }

    /// Estimates memory for `format`.
    /// - Parameter exactBytes: exact tensor bytes of this variant (e.g. one GGUF file); overrides the computed weights.
    public func estimate(_ format: WeightFormat, options: EstimateOptions = EstimateOptions(), exactBytes: Int64? = nil) throws -> MemoryEstimate {
        guard options.batch > 0, options.batch <= 1 << 20 else { throw FitError.invalidValue(name: "batch", value: Int64(options.batch)) }
        if let c = options.context, c <= 0 || c > 1 << 30 { throw FitError.invalidValue(name: "context", value: Int64(c)) }
        let engine = options.engine
        let context = resolvedContext(options)
        var notes = layout.notes

        // Weights by part; exact header bytes rescale the parts so offload planning keeps their proportions.
        var w = try weightParts(format)
        let computed = try CheckedMath.sum([w.embedding, w.lmHead, w.layers, w.routedExperts, w.vision], "weight bytes")
        let exact = exactBytes ?? (isNative(format) ? exactWeightBytes : nil)
        var weights = computed
        if let exact, computed > 0 {
            let scale = { (x: Int64) throws -> Int64 in try CheckedMath.mulDivFloor(x, exact, computed, "weight bytes") }
            w = (try scale(w.embedding), try scale(w.lmHead), try scale(w.layers), try scale(w.routedExperts), try scale(w.vision))
            weights = exact
        } else if let exact {
            weights = exact
        }
        switch format {
        case .fp32, .fp16, .bf16: break
        case .gguf(let t) where exact == nil:
            notes.append("\(t.rawValue) what-if: whole-file \(t.effectiveBitsPerWeight) bits per weight (measured on Llama-3-8B).")
        case .gguf: break
        default:
            if exact == nil {
                let kept = format.quantizedParts.contains(.embedding) ? "norms and vision" : "embeddings, output head, norms and vision"
                notes.append("\(format): quantized weights at \(format.quantizedBitsPerWeight) bits per weight incl. scales; \(kept) stay 16-bit.")
            }
        }

        // KV cache per layer type, per sequence, padded to the engine's allocation unit.
        let kvContext = engine.paddedContext(context)
        let perSequence = try layout.kvBytes(context: kvContext, dtype: options.kvDType, slidingExtra: engine.slidingExtraTokens)
        var kv = try CheckedMath.mul(perSequence, Int64(options.batch), "KV cache bytes")
        if let max = config.contextLength, context > max {
            notes.append("Context \(context) exceeds the model's trained context of \(max) tokens.")
        }

        var compute = try engine.computeBytes(shape: shape, context: kvContext, batch: options.batch)
        if engine.engine == .llamaCpp, let gguf = ggufShape {
            // llama.cpp's own arithmetic from the GGUF header (checked against llama.cpp's logs): 256-cell padding,
            // SWA capped at window + ubatch (llama-server's swa_full=false), MLA's K-only latent, recurrent state,
            // and its compute + output buffers. n_ctx covers all sequences (`-c` = context × `--parallel`).
            let nCtx = try CheckedMath.mul(Int64(context), Int64(options.batch), "llama.cpp n_ctx")
            guard nCtx <= 1 << 30 else { throw FitError.invalidValue(name: "context × batch", value: nCtx) }
            let llama = try LlamaCppMemoryModel(shape: gguf).memory(LlamaCppContextOptions(
                context: Int(nCtx), kvTypeK: options.kvDType, swaFull: false, sequences: options.batch, cpuRepack: false))
            kv = llama.cacheBytes
            compute = try CheckedMath.add(llama.computeBytes, llama.outputBytes, "compute buffer")
            notes.append("llama.cpp buffers from the GGUF header: KV \(llama.kvCells) cells"
                         + (llama.swaCells > 0 ? ", sliding-window layers \(llama.swaCells) cells" : "")
                         + (llama.recurrentRBytes + llama.recurrentSBytes > 0 ? ", recurrent state" : "")
                         + ", compute \(ByteCount.format(llama.computeBytes)), output \(ByteCount.format(llama.outputBytes)).")
        }

        // What stays in RAM with every layer offloaded.
        var hostWeights: Int64 = 0
        if engine.embeddingsOnHost {
            hostWeights += w.embedding
            if parameters.lmHead == 0 && parameters.embedding > 0 {
                // Tied: llama.cpp keeps token_embd on the host and uses a copy as the output matrix on the GPU (§2.4).
                weights = try CheckedMath.add(weights, w.embedding, "weight bytes")
                notes.append("Tied embeddings: llama.cpp keeps token_embd in RAM and a copy as the output matrix on the GPU.")
            }
        }
        if options.expertsOnCPU && w.routedExperts > 0 {
            hostWeights += w.routedExperts
            notes.append("Experts on CPU: \(ByteCount.format(w.routedExperts)) of routed-expert weights in RAM.")
        }

        if config.isMoE {
            notes.append("MoE: all \(config.numExperts ?? 0) experts resident; \(parameters.active) of \(parameters.total) parameters active per token.")
        }

        // Every derived sum (total, device, CPU-only) must stay far from Int64.max, whatever the headers claimed.
        let grandTotal = try CheckedMath.sum([weights, kv, compute, engine.runtimeOverheadBytes, engine.hostOverheadBytes], "total memory")
        guard grandTotal < Self.maxTotalBytes else { throw FitError.overflow("a total of \(grandTotal) bytes") }

        return MemoryEstimate(
            format: format, context: context, batch: options.batch, kvDType: options.kvDType, engine: engine.engine,
            weightsBytes: weights, weightsExact: exact != nil, kvCacheBytes: kv, computeBytes: compute,
            runtimeBytes: engine.runtimeOverheadBytes, hostWeightsBytes: hostWeights, hostOverheadBytes: engine.hostOverheadBytes,
            routedExpertBytes: w.routedExperts, expertsOnCPU: options.expertsOnCPU, layerCount: layout.layers.count,
            layerWeightsBytes: w.layers + w.routedExperts,
            parameters: ParameterCount(total: parameters.total, active: config.isMoE ? parameters.active : nil, source: parameterSource),
            notes: notes)
    }

    /// Formats a table shows: the what-ifs plus the native format when it is not one of them.
    public var tableFormats: [WeightFormat] {
        var formats = Self.whatIfFormats
        if let native = nativeFormat, native != .bf16, !formats.contains(native) { formats.append(native) }
        return formats
    }

    /// One estimate per format in `tableFormats` (fp32, fp16, int8, int4, native).
    public func table(options: EstimateOptions = EstimateOptions()) throws -> [MemoryEstimate] {
        try tableFormats.map { try estimate($0, options: options) }
    }
}
