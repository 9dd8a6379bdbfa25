/// Whether and where a model fits on a host, with the reason and the cheapest fix.
public struct FitVerdict: Sendable, Equatable, Codable {
    /// Where the model can run, best first.
    public enum Kind: String, Sendable, Codable, Comparable, CaseIterable {
        /// Every layer on the GPU(s).
        case fitsOnGPU = "fits-on-gpu"
        /// Some layers (or the experts) in RAM.
        case fitsWithOffload = "fits-with-offload"
        /// Only on the CPU, from RAM.
        case fitsInRAM = "fits-in-ram"
        /// Nowhere.
        case doesNotFit = "does-not-fit"

        /// Rank for ordering: lower is better.
        var rank: Int { Kind.allCases.firstIndex(of: self) ?? 3 }
        /// Orders better placements first.
        public static func < (a: Kind, b: Kind) -> Bool { a.rank < b.rank }
    }

    /// Where it fits.
    public var kind: Kind
    /// The estimate the verdict was made from.
    public var estimate: MemoryEstimate
    /// Indices of the GPUs used (empty for CPU-only or does-not-fit).
    public var gpuIndices: [Int]
    /// Repeating layers on the GPU(s); equals `totalLayers` for a full offload.
    public var gpuLayers: Int
    /// Repeating layers of the model.
    public var totalLayers: Int
    /// Bytes planned on the GPU(s) and in RAM.
    public var gpuBytes: Int64
    /// Bytes planned in RAM.
    public var ramBytes: Int64
    /// What this option needs on this host, the one figure to show for it: `gpuBytes + ramBytes` when it fits
    /// (every GPU pays its own runtime and compute buffers; a CPU-only run pays no GPU runtime), else what the
    /// placement it failed would have needed.
    public var totalBytes: Int64
    /// The largest context (tokens) that keeps this placement, capped by the model's context length; nil when it does not fit.
    public var maxContext: Int?
    /// The biggest part of the estimate.
    public var biggestContributor: MemoryComponent
    /// The cheapest change that improves the placement, when one exists.
    public var cheapestFix: FitFix?
    /// One sentence explaining the verdict.
    public var reason: String

    /// Creates a verdict; `totalBytes` defaults to `gpuBytes + ramBytes` when that is not zero, else the estimate's total.
    public init(kind: Kind, estimate: MemoryEstimate, gpuIndices: [Int], gpuLayers: Int, totalLayers: Int, gpuBytes: Int64,
                ramBytes: Int64, maxContext: Int?, biggestContributor: MemoryComponent, cheapestFix: FitFix?, reason: String,
                totalBytes: Int64? = nil) {
        self.kind = kind; self.estimate = estimate; self.gpuIndices = gpuIndices; self.gpuLayers = gpuLayers
        self.totalLayers = totalLayers; self.gpuBytes = gpuBytes; self.ramBytes = ramBytes; self.maxContext = maxContext
        self.biggestContributor = biggestContributor; self.cheapestFix = cheapestFix; self.reason = reason
        self.totalBytes = totalBytes ?? (gpuBytes + ramBytes > 0 ? gpuBytes + ramBytes : estimate.totalBytes)
    }

    /// Everything besides weights and KV cache in `totalBytes`: compute buffers, GPU runtime, the process footprint.
    public var overheadBytes: Int64 { max(0, totalBytes - estimate.weightsBytes - estimate.kvCacheBytes) }

    /// The format the verdict is for.
    public var format: WeightFormat { estimate.format }
}
