/// What llama.cpp reads from a GGUF header to size its buffers: per-layer cache shape (sliding,
/// recurrent, MLA), vocabulary, embedding width, SSM dims and the tensor list.
/// Defaults follow llama.cpp's `llama_model::load_hparams` (ggml-org/llama.cpp@0c1e57098).
public struct GGUFModelShape: Sendable, Equatable {
    /// `general.architecture`.
    public var architecture: String
    /// `n_embd`.
    public var embeddingLength: Int
    /// `n_vocab`: tokenizer tokens, else `<arch>.vocab_size`, else the rows of `token_embd`.
    public var vocabSize: Int
    /// One entry per block.
    public var layers: [Layer]
    /// `n_swa`, when llama.cpp runs this architecture with sliding-window attention.
    public var slidingWindow: Int?
    /// True when the cache holds MLA's compressed latent (K only): `key_length_mla` is present.
    public var usesMLA: Bool
    /// State-space dims of recurrent layers (zeros for pure attention models).
    public var ssm: SSMDims
    /// The tensors, as llama.cpp places them into buffers.
    public var tensors: [GGUFTensorInfo]

    /// One block's cache shape.
    public struct Layer: Sendable, Equatable {
        /// Query heads.
        public var headCount: Int
        /// KV heads (0 on recurrent layers of hybrids that give per-layer arrays).
        public var headCountKV: Int
        /// K elements per head (`key_length`; for MLA the latent width kv_lora_rank + rope dims).
        public var keyLength: Int
        /// V elements per head (`value_length`).
        public var valueLength: Int
        /// Sliding-window layer (its cache may be capped at window + ubatch).
        public var isSliding: Bool
        /// Recurrent (SSM / linear-attention) layer: a fixed-size state instead of KV cells.
        public var isRecurrent: Bool

        /// Creates a layer.
        public init(headCount: Int, headCountKV: Int, keyLength: Int, valueLength: Int, isSliding: Bool, isRecurrent: Bool) {
            self.headCount = headCount; self.headCountKV = headCountKV; self.keyLength = keyLength; self.valueLength = valueLength
            self.isSliding = isSliding; self.isRecurrent = isRecurrent
        }
    }

    /// Dimensions of the recurrent state (llama.cpp's `n_embd_r` / `n_embd_s`).
    public struct SSMDims: Sendable, Equatable {
        /// `ssm.conv_kernel` (d_conv).
        public var convKernel: Int
        /// `ssm.inner_size` (d_inner).
        public var innerSize: Int
        /// `ssm.state_size` (d_state).
        public var stateSize: Int
        /// `ssm.group_count` (n_group; 0 for Mamba-1).
        public var groupCount: Int

        /// Creates SSM dims.
        public init(convKernel: Int = 0, innerSize: Int = 0, stateSize: Int = 0, groupCount: Int = 0) {
            self.convKernel = convKernel; self.innerSize = innerSize; self.stateSize = stateSize; self.groupCount = groupCount
        }

        /// Floats of rolling conv state per layer and sequence: (d_conv − 1) × (d_inner + 2 · n_group · d_state).
        public var convStateElements: Int64 {
            Int64(max(0, convKernel - 1)) * (Int64(innerSize) + 2 * Int64(groupCount) * Int64(stateSize))
        }
        /// Floats of SSM state per layer and sequence: d_state × d_inner.
        public var ssmStateElements: Int64 { Int64(stateSize) * Int64(innerSize) }
    }

    /// Sliding-window patterns llama.cpp hard-codes per architecture (`set_swa_pattern(n)`: every n-th layer is
    /// global). Architectures not listed run full attention even if the file names a window: llama.cpp ignores
    /// phi3's `sliding_window` ("Phi SWA is currently disabled") and the `llama` arch (Mistral) has none.
    static let slidingPatterns: [String: Int] = ["gemma2": 2, "gemma3": 6, "cohere2": 4, "exaone4": 4, "gpt-oss": 2]

    /// Memberwise initialiser.
    public init(architecture: String, embeddingLength: Int, vocabSize: Int, layers: [Layer], slidingWindow: Int?,
                usesMLA: Bool, ssm: SSMDims, tensors: [GGUFTensorInfo]) {
        self.architecture = architecture; self.embeddingLength = embeddingLength; self.vocabSize = vocabSize
        self.layers = layers; self.slidingWindow = slidingWindow; self.usesMLA = usesMLA; self.ssm = ssm; self.tensors = tensors
    }

    /// Reads the shape from a header.
    /// - Throws: `FitError.missingConfigValue` when the architecture, block count or embedding length is absent.
    public init(header h: GGUFHeader) throws {
        guard let arch = h.architecture else { throw FitError.missingConfigValue("general.architecture") }
        guard let blocks = h.blockCount, blocks > 0, blocks <= 1 << 16 else { throw FitError.missingConfigValue("\(arch).block_count") }
        guard let embd = h.embeddingLength, embd > 0 else { throw FitError.missingConfigValue("\(arch).embedding_length") }
        let heads = h.architectureInts("attention.head_count", layers: blocks)
        let kvHeads = h.metadata["\(arch).attention.head_count_kv"] != nil
            ? h.architectureInts("attention.head_count_kv", layers: blocks) : heads
        let maxHeads = max(1, heads.max() ?? 1)
        // llama.cpp: key/value length default to n_embd / n_head.
        let keyLength = h.architectureInt("attention.key_length") ?? embd / maxHeads
        let valueLength = h.architectureInt("attention.value_length") ?? embd / maxHeads

        let ssm = SSMDims(convKernel: h.architectureInt("ssm.conv_kernel") ?? 0, innerSize: h.architectureInt("ssm.inner_size") ?? 0,
                          stateSize: h.architectureInt("ssm.state_size") ?? 0, groupCount: h.architectureInt("ssm.group_count") ?? 0)
        let hasSSM = ssm.innerSize > 0 && ssm.stateSize > 0
        let perLayerKV = h.metadata["\(arch).attention.head_count_kv"]?.arrayValue != nil
        let interval = h.architectureInt("full_attention_interval")

        // Sliding layers: an explicit per-layer bool array or pattern in the file wins, else llama.cpp's per-arch default.
        var window: Int? = nil
        var sliding = [Bool](repeating: false, count: blocks)
        if let pattern = Self.slidingPatterns[arch], let n = h.architectureInt("attention.sliding_window"), n > 0 {
            window = n
            if let flags = h.metadata["\(arch).attention.sliding_window_pattern"]?.arrayValue?.values, flags.count == blocks {
                sliding = flags.map { $0.boolValue ?? ($0.intValue.map { $0 != 0 } ?? false) }
            } else {
                let p = h.architectureInt("attention.sliding_window_pattern") ?? pattern
                sliding = (0..<blocks).map { p == 0 || $0 % p < p - 1 }
            }
        }

        layers = (0..<blocks).map { il in
            // Hybrids mark recurrent layers by 0 KV heads or by a full-attention interval; pure SSMs are all recurrent.
            let recurrent: Bool
            if !hasSSM { recurrent = false }
            else if perLayerKV { recurrent = kvHeads[il] == 0 }
            else if let k = interval, k > 0 { recurrent = (il + 1) % k != 0 }
            else { recurrent = true }
            return Layer(headCount: heads[il], headCountKV: recurrent ? 0 : kvHeads[il], keyLength: keyLength, valueLength: valueLength,
                         isSliding: sliding[il], isRecurrent: recurrent)
        }
        architecture = arch
        embeddingLength = embd
        slidingWindow = window
        usesMLA = h.architectureInt("attention.key_length_mla") != nil
        self.ssm = ssm
        tensors = h.tensors
        let embeddingRows = h.tensors.first { $0.name == "token_embd.weight" }?.dimensions.last.map { Int(clamping: $0) }
        vocabSize = h.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count ?? h.architectureInt("vocab_size") ?? embeddingRows ?? 0
    }
}
