/// llama.cpp's own memory arithmetic for a GGUF, fed by its header: model buffers (mmapped span and CPU repack),
/// KV cache (256-cell padding, sliding-window cap, quantized types, MLA), recurrent state, compute and output buffers.
/// Checked against 416 llama.cpp loads in `Fixtures/golden/llamacpp` (ggml-org/llama.cpp@0c1e57098, CPU backend).
public struct LlamaCppMemoryModel: Sendable {
    /// The model as llama.cpp reads it.
    public let shape: GGUFModelShape

    /// Creates a model for one GGUF.
    public init(shape: GGUFModelShape) { self.shape = shape }

    /// Creates a model from a parsed header.
    public init(header: GGUFHeader) throws { self.init(shape: try GGUFModelShape(header: header)) }

    /// Tensor types the CPU backend's repack buffer type accepts (ggml-cpu `repack.cpp`, x86 AVX2 / ARM).
    static let repackableTypes: Set<GGMLTensorType> = [.q4_0, .q4_K, .iq4_NL]

    /// Whether llama.cpp moves this tensor into the `CPU_REPACK` buffer: a repackable type used by a plain matmul
    /// (2-D weights, or 3-D expert stacks used by MUL_MAT_ID) with rows in groups of 8. `token_embd` is read by
    /// GET_ROWS, which the repack type does not support, and other 3-D tensors (MLA's `attn_v_b`) are batched matmuls.
    static func isRepacked(_ t: GGUFTensorInfo) -> Bool {
        guard let type = t.type, repackableTypes.contains(type), t.name != "token_embd.weight" else { return false }
        let dims = t.dimensions
        let plain = dims.count == 2 || (dims.count == 3 && t.name.contains("_exps."))
        return plain && dims.count >= 2 && dims[1] % 8 == 0
    }

    /// Bytes of `cells` rows of `elements` each in the cache type (ggml row size: whole blocks).
    static func cacheBytes(_ dtype: KVCacheDType, elements: Int64, cells: Int) throws -> Int64 {
        let what = "llama.cpp KV bytes"
        let row: Int64
        switch dtype {
        case .f32: row = try GGMLTensorType.f32.bytes(elements: elements)
        case .f16: row = try GGMLTensorType.f16.bytes(elements: elements)
        case .bf16: row = try GGMLTensorType.bf16.bytes(elements: elements)
        case .q8_0: row = try GGMLTensorType.q8_0.bytes(elements: elements)
        case .q4_0: row = try GGMLTensorType.q4_0.bytes(elements: elements)
        case .fp8: row = try dtype.bitsPerElement.bytes(for: elements) // not a llama.cpp cache type; priced at 8 bits
        }
        return try CheckedMath.mul(row, Int64(cells), what)
    }

    /// The buffers llama.cpp allocates for `options`.
    /// - Throws: `FitError` for a non-positive context or sequence count, or on overflow.
    public func memory(_ options: LlamaCppContextOptions) throws -> LlamaCppMemory {
        guard options.context > 0, options.context <= 1 << 30 else { throw FitError.invalidValue(name: "context", value: Int64(options.context)) }
        guard options.sequences > 0, options.sequences <= 1 << 16 else {
            throw FitError.invalidValue(name: "sequences", value: Int64(options.sequences))
        }
        let what = "llama.cpp memory"
        let cells = options.cells
        let ubatch = options.effectiveMicroBatch

        // Model buffers: mmap maps the span of the tensors that stay in the file; repacked tensors get their own copy.
        let tensorBytes = try CheckedMath.sum(shape.tensors.map(\.byteCount), what)
        let repacked = options.cpuRepack ? shape.tensors.filter(Self.isRepacked) : []
        let names = Set(repacked.map(\.name))
        let mapped = shape.tensors.filter { !names.contains($0.name) }
        var span: Int64 = 0
        if let start = mapped.map(\.offset).min(), let end = mapped.map({ $0.offset + $0.byteCount }).max() { span = end - start }
        let repackBytes = try CheckedMath.sum(repacked.map(\.byteCount), what)

        // Sliding layers keep window + one ubatch (per sequence) unless swa_full; both caches pad to 256 cells.
        let swaCells: Int
        if let window = shape.slidingWindow, shape.layers.contains(where: \.isSliding) {
            let capped = LlamaCppContextOptions.pad(window * options.sequences + ubatch, 256)
            swaCells = options.swaFull ? cells : min(cells, capped)
        } else {
            swaCells = 0
        }
        var kvK: Int64 = 0, kvV: Int64 = 0, swaK: Int64 = 0, swaV: Int64 = 0
        var recurrentLayers: Int64 = 0
        for layer in shape.layers {
            if layer.isRecurrent { recurrentLayers += 1; continue }
            guard layer.headCountKV > 0 else { continue }
            let k = Int64(layer.headCountKV) * Int64(layer.keyLength)
            // MLA caches only the latent; V is read as a view of K.
            let v = shape.usesMLA ? 0 : Int64(layer.headCountKV) * Int64(layer.valueLength)
            let sliding = layer.isSliding && swaCells > 0
            let n = sliding ? swaCells : cells
            let kb = try Self.cacheBytes(options.kvTypeK, elements: k, cells: n)
            let vb = v > 0 ? try Self.cacheBytes(options.kvTypeV, elements: v, cells: n) : 0
            if sliding { swaK += kb; swaV += vb } else { kvK += kb; kvV += vb }
        }

        // Recurrent state: one f32 cell per sequence, whatever the KV type.
        let seqs = Int64(options.sequences)
        let rBytes = try CheckedMath.product([shape.ssm.convStateElements, 4, recurrentLayers, seqs], what)
        let sBytes = try CheckedMath.product([shape.ssm.ssmStateElements, 4, recurrentLayers, seqs], what)

        // Compute buffer (CPU, flash attention). ggml's graph allocator reuses freed space, so the peak is the
        // ubatch's f32 logits plus what is still live beside them: two hidden-width rows per token (the SSM's
        // d_inner when wider). Attention scores and FFN intermediates are freed before the logits are allocated,
        // so n_ctx barely matters. Fitted on the golden loads (see LlamaCppGoldenTests), two cases added:
        let vocab = Int64(shape.vocabSize), embd = Int64(shape.embeddingLength)
        var perToken = embd + max(embd, Int64(shape.ssm.innerSize))
        if shape.usesMLA {
            // MLA absorbs W_UK into the query: every head's latent-width query/output (n_head × (kv_lora + rope)).
            perToken += Int64(shape.layers.map { $0.headCount * $0.keyLength }.max() ?? 0)
        }
        var scratch = try CheckedMath.product([Int64(ubatch), perToken, 4], what)
        if shape.layers.contains(where: \.isRecurrent) && shape.layers.contains(where: { !$0.isRecurrent && $0.headCountKV > 0 }) {
            // Hybrids (attention layers between recurrent ones) keep the f16 KQ mask (n_kv × n_ubatch) alive
            // beside the logits: their compute buffer grows with n_ctx where pure transformers' does not.
            let mask = try CheckedMath.product([Int64(cells), Int64(ubatch), 2], what)
            scratch = max(scratch, try CheckedMath.product([Int64(ubatch), 2 * embd, 4], what) + mask)
        }
        let compute = try CheckedMath.sum([try CheckedMath.product([Int64(ubatch), vocab, 4], what), scratch], what)
        // Output buffer: one row of f32 logits per sequence.
        let output = try CheckedMath.product([vocab, 4, seqs], what)

        return LlamaCppMemory(tensorBytes: tensorBytes, mappedModelBytes: span, repackedModelBytes: repackBytes,
                              kvCells: cells, kvKBytes: kvK, kvVBytes: kvV, swaCells: swaCells, swaKBytes: swaK, swaVBytes: swaV,
                              recurrentRBytes: rBytes, recurrentSBytes: sBytes, computeBytes: compute, outputBytes: output,
                              batch: options.effectiveBatch, microBatch: ubatch)
    }
}
