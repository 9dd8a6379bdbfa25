/// A memory estimate for one weight format and run configuration. All figures are bytes.
public struct MemoryEstimate: Sendable, Equatable, Codable {
    /// Format the weights are stored in.
    public var format: WeightFormat
    /// Tokens per sequence the KV cache was sized for (before engine padding).
    public var context: Int
    /// Parallel sequences.
    public var batch: Int
    /// KV cache storage type.
    public var kvDType: KVCacheDType
    /// Engine whose constants were assumed.
    public var engine: Engine
    /// All weights (all experts resident).
    public var weightsBytes: Int64
    /// True when `weightsBytes` comes from tensor headers rather than parameters × bits.
    public var weightsExact: Bool
    /// KV cache (or recurrent state) for all sequences.
    public var kvCacheBytes: Int64
    /// Activations / compute buffers of one step.
    public var computeBytes: Int64
    /// Fixed runtime cost per GPU (CUDA context etc.).
    public var runtimeBytes: Int64
    /// `computeBytes + runtimeBytes`.
    public var overheadBytes: Int64 { computeBytes + runtimeBytes }
    /// Weights + KV + overhead.
    public var totalBytes: Int64 { weightsBytes + kvCacheBytes + overheadBytes }
    /// Weights the engine keeps in host RAM even with every layer on the GPU (llama.cpp's token embeddings, or experts on CPU).
    public var hostWeightsBytes: Int64
    /// Fixed host RAM the process needs besides weights.
    public var hostOverheadBytes: Int64
    /// Bytes that must sit on the GPU for a full offload.
    public var deviceBytes: Int64 { totalBytes - hostWeightsBytes }
    /// Routed-expert weights (what "experts on CPU" moves to RAM).
    public var routedExpertBytes: Int64
    /// Whether routed experts are placed in host RAM.
    public var expertsOnCPU: Bool
    /// Repeating decoder layers (the unit of partial offload).
    public var layerCount: Int
    /// Weights inside the repeating layers (excludes embeddings, output head, final norm, vision).
    public var layerWeightsBytes: Int64
    /// Total parameters and parameters active per token.
    public var parameters: ParameterCount
    /// Derivations and assumptions to print with the figures.
    public var notes: [String]

    /// Creates an estimate from its parts.
    public init(format: WeightFormat, context: Int, batch: Int, kvDType: KVCacheDType, engine: Engine, weightsBytes: Int64,
                weightsExact: Bool, kvCacheBytes: Int64, computeBytes: Int64, runtimeBytes: Int64, hostWeightsBytes: Int64,
                hostOverheadBytes: Int64, routedExpertBytes: Int64, expertsOnCPU: Bool, layerCount: Int,
                layerWeightsBytes: Int64, parameters: ParameterCount, notes: [String]) {
        self.format = format; self.context = context; self.batch = batch; self.kvDType = kvDType; self.engine = engine
        self.weightsBytes = weightsBytes; self.weightsExact = weightsExact; self.kvCacheBytes = kvCacheBytes
        self.computeBytes = computeBytes; self.runtimeBytes = runtimeBytes; self.hostWeightsBytes = hostWeightsBytes
        self.hostOverheadBytes = hostOverheadBytes; self.routedExpertBytes = routedExpertBytes; self.expertsOnCPU = expertsOnCPU
        self.layerCount = layerCount; self.layerWeightsBytes = layerWeightsBytes; self.parameters = parameters; self.notes = notes
    }

    /// The largest of weights, KV cache and overhead.
    public var biggestContributor: MemoryComponent {
        if weightsBytes >= kvCacheBytes && weightsBytes >= overheadBytes { return .weights }
        return kvCacheBytes >= overheadBytes ? .kvCache : .overhead
    }

    /// Memory needed to run entirely on the CPU: no GPU runtime, everything in RAM.
    public var cpuOnlyBytes: Int64 { weightsBytes + kvCacheBytes + computeBytes + hostOverheadBytes }
}

/// One of the three parts of an estimate.
public enum MemoryComponent: String, Sendable, Codable {
    /// Model weights.
    case weights
    /// KV cache.
    case kvCache = "kv-cache"
    /// Runtime and compute buffers.
    case overhead
}
