/// Turns estimates into verdicts for a host: where the model fits, the largest context, the cheapest fix,
/// and the best format among several.
public struct FitPlanner: Sendable {
    /// The model's estimator.
    public let estimator: MemoryEstimator
    /// The host's memory.
    public let host: HostMemory
    /// Margins kept free.
    public let policy: FitPolicy
    /// The smaller formats a fix may suggest (a GGUF-only repository's own files, say); nil = the what-if
    /// `fallbackFormats`.
    public let choices: [FormatChoice]?

    /// A format the model can be had in, with its exact weight bytes when known (a GGUF file's tensors).
    public struct FormatChoice: Sendable, Hashable {
        /// The weight format.
        public var format: WeightFormat
        /// Exact weight bytes, when known.
        public var exactBytes: Int64?

        /// A choice.
        public init(_ format: WeightFormat, exactBytes: Int64? = nil) { self.format = format; self.exactBytes = exactBytes }
    }

    /// Creates a planner.
    public init(estimator: MemoryEstimator, host: HostMemory, policy: FitPolicy = FitPolicy(), choices: [FormatChoice]? = nil) {
        self.estimator = estimator; self.host = host; self.policy = policy; self.choices = choices
    }

    /// Placement of one estimate, before max-context and fix search.
    struct Placement {
        var kind: FitVerdict.Kind
        var gpus: [Int]
        var gpuLayers: Int
        var gpuBytes: Int64
        var ramBytes: Int64
        /// The one figure of the option: `gpuBytes + ramBytes`, or what the failed placement needed.
        var totalBytes: Int64
        var reason: String
    }

    /// Usable bytes on one GPU under this engine and policy.
    func gpuBudget(_ gpu: GPUMemory, _ engine: EngineProfile) -> Int64 {
        let available = gpu.freeBytes.map { min($0, gpu.memoryBytes) } ?? gpu.memoryBytes
        if let pct = engine.memoryUtilizationPercent {
            // vLLM reserves a fraction of *total* memory and refuses to start when less than that is free (§2.6).
            let requested = gpu.memoryBytes / 100 * Int64(pct)
            return min(requested, available)
        }
        return max(0, available - policy.gpuMarginBytes)
    }

    /// `a + b`, clamped at Int64.max: host sizes come from user overrides and may be absurd.
    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? (b > 0 ? Int64.max : Int64.min) : r
    }

    /// RAM usable by the model.
    var ramBudget: Int64 { max(0, host.ramAvailableBytes - policy.ramMarginBytes) }

    /// Where an estimate fits on this host. Each reason names the placement's total as `GiBText` writes it, so
    /// the sentence, the table and the JSON show one figure.
    func place(_ e: MemoryEstimate, engine: EngineProfile) -> Placement {
        let hostNeed = e.hostWeightsBytes + e.hostOverheadBytes
        let device = e.deviceBytes
        let L = max(1, e.layerCount)
        let gpus = host.gpus.map { (gpu: $0, budget: gpuBudget($0, engine)) }.sorted { $0.budget > $1.budget }
        let fixedPerGPU = e.runtimeBytes + e.computeBytes
        let expertsNote = e.expertsOnCPU ? " with the routed experts in RAM" : ""
        let offloadKind: FitVerdict.Kind = e.expertsOnCPU ? .fitsWithOffload : .fitsOnGPU
        let gib = GiBText.text
        func inRAM(_ bytes: Int64) -> String { bytes > 0 ? " and \(gib(bytes)) in RAM" : "" }

        // 1. One GPU holds everything the engine puts on a device.
        if let best = gpus.first, device <= best.budget {
            let ramNeed = best.gpu.unified ? hostNeed + device : hostNeed
            // Unified memory: the GPU's share comes out of the same RAM.
            if ramNeed <= ramBudget {
                let total = Self.saturatingAdd(device, hostNeed)
                return Placement(kind: offloadKind, gpus: [best.gpu.index], gpuLayers: L, gpuBytes: device, ramBytes: hostNeed, totalBytes: total,
                                 reason: "\(gib(total)) in total: \(gib(device)) on GPU \(best.gpu.index) (\(best.gpu.name), \(gib(best.budget)) usable)\(inRAM(hostNeed))\(expertsNote).")
            }
        }
        // 2. Several discrete GPUs, layers split between them; each pays its own runtime and compute buffers.
        let discrete = gpus.filter { !$0.gpu.unified && $0.budget > fixedPerGPU }
        if discrete.count >= 2 {
            var used: [(gpu: GPUMemory, budget: Int64)] = []
            var capacity: Int64 = 0
            for g in discrete {
                used.append(g); capacity = Self.saturatingAdd(capacity, g.budget - fixedPerGPU)
                if used.count >= 2, device - fixedPerGPU <= capacity, hostNeed <= ramBudget {
                    let onGPUs = Self.saturatingAdd(device, fixedPerGPU * Int64(used.count - 1))
                    let total = Self.saturatingAdd(onGPUs, hostNeed)
                    return Placement(kind: offloadKind, gpus: used.map { $0.gpu.index }, gpuLayers: L, gpuBytes: onGPUs, ramBytes: hostNeed, totalBytes: total,
                                     reason: "\(gib(total)) in total, split by layers across \(used.count) GPUs (\(used.map { "\($0.gpu.index)" }.joined(separator: ", "))): \(gib(onGPUs)) on them (\(gib(capacity)) of layers usable, each GPU with its own runtime)\(inRAM(hostNeed))\(expertsNote).")
                }
            }
        }
        // 3. Partial offload: N of L layers on discrete GPUs, the rest (and embeddings/head) in RAM.
        if !discrete.isEmpty {
            let layerWeights = e.layerWeightsBytes - (e.expertsOnCPU ? e.routedExpertBytes : 0)
            let perLayer = max(1, (layerWeights + e.kvCacheBytes) / Int64(L))
            let capacity = discrete.reduce(Int64(0)) { Self.saturatingAdd($0, $1.budget - fixedPerGPU) }
            let n = Int(min(Int64(L - 1), capacity / perLayer))
            if n >= 1 {
                let onGPU = perLayer * Int64(n)
                let ramNeed = e.weightsBytes + e.kvCacheBytes + e.computeBytes + e.hostOverheadBytes - onGPU
                if ramNeed <= ramBudget {
                    let gpuBytes = onGPU + fixedPerGPU * Int64(discrete.count)
                    let total = Self.saturatingAdd(gpuBytes, ramNeed)
                    return Placement(kind: .fitsWithOffload, gpus: discrete.map { $0.gpu.index }, gpuLayers: n,
                                     gpuBytes: gpuBytes, ramBytes: ramNeed, totalBytes: total,
                                     reason: "\(gib(total)) in total: \(n) of \(L) layers fit on the GPU (\(gib(perLayer)) each incl. KV), \(gib(gpuBytes)) there\(inRAM(ramNeed)) for the rest.")
                }
            }
        }
        // 4. CPU only: no GPU runtime to pay.
        let cpuNeed = e.cpuOnlyBytes
        if cpuNeed <= ramBudget {
            let why = gpus.isEmpty ? "no GPU detected" : "too large for the GPU"
            return Placement(kind: .fitsInRAM, gpus: [], gpuLayers: 0, gpuBytes: 0, ramBytes: cpuNeed, totalBytes: cpuNeed,
                             reason: "\(gib(cpuNeed)) in total fits in \(gib(ramBudget)) of usable RAM (CPU only; \(why)).")
        }
        // What the best placement tried would have needed: everything on one GPU, or everything in RAM.
        let needed = gpus.isEmpty ? cpuNeed : Self.saturatingAdd(device, hostNeed)
        let bestGPU = gpus.first.map { " or \(gib($0.budget)) on GPU \($0.gpu.index)" } ?? ""
        return Placement(kind: .doesNotFit, gpus: [], gpuLayers: 0, gpuBytes: 0, ramBytes: 0, totalBytes: needed,
                         reason: "Needs \(gib(needed)) in total; only \(gib(ramBudget)) of usable RAM\(bestGPU).")
    }

    /// The kind of placement an estimate gets (for searches).
    func kind(_ format: WeightFormat, _ options: EstimateOptions, exactBytes: Int64?) throws -> FitVerdict.Kind {
        place(try estimator.estimate(format, options: options, exactBytes: exactBytes), engine: options.engine).kind
    }

    /// The largest context (tokens) at which `format` still gets `placement` or better, capped by the model's
    /// context length (or the requested context when the model states none); nil when even one token does not.
    public func maxContext(_ format: WeightFormat, options: EstimateOptions = EstimateOptions(), placement: FitVerdict.Kind = .fitsOnGPU,
                           exactBytes: Int64? = nil) throws -> Int? {
        let cap = estimator.config.contextLength ?? max(estimator.resolvedContext(options), EstimateOptions.defaultContext)
        func fits(_ c: Int) throws -> Bool {
            var o = options; o.context = c
            return try kind(format, o, exactBytes: exactBytes) <= placement
        }
        guard cap >= 1, try fits(1) else { return nil }
        if try fits(cap) { return cap }
        var lo = 1, hi = cap        // fits(lo) && !fits(hi); memory grows with context, so this is monotone.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if try fits(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The verdict for one format, with max context and cheapest fix.
    public func verdict(_ format: WeightFormat, options: EstimateOptions = EstimateOptions(), exactBytes: Int64? = nil) throws -> FitVerdict {
        let e = try estimator.estimate(format, options: options, exactBytes: exactBytes)
        let p = place(e, engine: options.engine)
        let maxContext = p.kind == .doesNotFit ? nil : try maxContext(format, options: options, placement: p.kind, exactBytes: exactBytes)
        let fix = try cheapestFix(format, options: options, current: p.kind, estimate: e, exactBytes: exactBytes)
        return FitVerdict(kind: p.kind, estimate: e, gpuIndices: p.gpus, gpuLayers: p.gpuLayers, totalLayers: e.layerCount,
                          gpuBytes: p.gpuBytes, ramBytes: p.ramBytes, maxContext: maxContext,
                          biggestContributor: e.biggestContributor, cheapestFix: fix, reason: p.reason, totalBytes: p.totalBytes)
    }

    /// Smaller formats tried as fixes, largest first.
    static let fallbackFormats: [WeightFormat] = [.fp16, .int8, .int4, .gguf(.q3_K_M), .gguf(.q2_K)]

    /// The first of: KV q8_0, a shorter context (≥ 2048 tokens), experts on CPU, a smaller format — that
    /// reaches the best placement the host allows (all on GPU when there is one, else RAM).
    func cheapestFix(_ format: WeightFormat, options: EstimateOptions, current: FitVerdict.Kind, estimate e: MemoryEstimate,
                     exactBytes: Int64?) throws -> FitFix? {
        let target: FitVerdict.Kind = host.gpus.isEmpty ? .fitsInRAM : .fitsOnGPU
        guard current > target else { return nil }
        let context = estimator.resolvedContext(options)
        if [.f32, .f16, .bf16].contains(options.kvDType), e.kvCacheBytes > 0 {
            var o = options; o.kvDType = .q8_0
            if try kind(format, o, exactBytes: exactBytes) <= target { return .kvCache(.q8_0) }
        }
        if context > 2048, let c = try maxContext(format, options: options, placement: target, exactBytes: exactBytes), c >= 2048, c < context {
            return .shorterContext(c)
        }
        if estimator.config.isMoE, !options.expertsOnCPU, !host.gpus.isEmpty {
            var o = options; o.expertsOnCPU = true
            if try kind(format, o, exactBytes: exactBytes) <= .fitsWithOffload { return .expertsOnCPU }
        }
        // Only formats the model can be had in: the repository's own files when the caller names them.
        let smaller = (choices ?? Self.fallbackFormats.map { FormatChoice($0) })
            .filter { $0.format.rankBits < format.rankBits }
            .sorted { $0.format.rankBits > $1.format.rankBits }
        for choice in smaller {
            if try kind(choice.format, options, exactBytes: choice.exactBytes) <= target { return .smallerFormat(choice.format) }
        }
        return nil
    }

    /// Verdicts for several formats (default: the estimator's table formats).
    public func verdicts(_ formats: [WeightFormat]? = nil, options: EstimateOptions = EstimateOptions()) throws -> [FitVerdict] {
        try (formats ?? estimator.tableFormats).map { try verdict($0, options: options) }
    }

    /// Most bits per weight of what CPU users run: 4-bit mixes (Q4_K_M, Q4_0, Q4_1, IQ4, int4) and below.
    public static let cpuClassMaxBits = 5.2

    /// The index of the verdict to recommend, nil when nothing fits. The best placement comes first; among equals
    /// the highest fidelity, with fp32 only when it is the native format. When the best a host offers is RAM (no GPU,
    /// or none large enough), the choice is what CPU users run: the most faithful 4-bit-class format that fits,
    /// else the smallest that does, since CPU speed falls with every byte read per token.
    public static func preferredIndex(_ verdicts: [FitVerdict], nativeFormat: WeightFormat?) -> Int? {
        let fitting = verdicts.indices.filter {
            verdicts[$0].kind != .doesNotFit && (verdicts[$0].format != .fp32 || nativeFormat == .fp32)
        }
        guard let bestKind = fitting.map({ verdicts[$0].kind }).min() else { return nil }
        let placed = fitting.filter { verdicts[$0].kind == bestKind }
        func bits(_ i: Int) -> Double { verdicts[i].format.rankBits }
        if bestKind == .fitsInRAM {
            let cpuClass = placed.filter { bits($0) <= cpuClassMaxBits }
            if let best = cpuClass.max(by: { bits($0) < bits($1) }) { return best }
            return placed.min { bits($0) < bits($1) }
        }
        return placed.max { bits($0) < bits($1) }
    }

    /// The best verdict (see `preferredIndex`); nil when nothing fits.
    public func best(_ formats: [WeightFormat]? = nil, options: EstimateOptions = EstimateOptions()) throws -> FitVerdict? {
        let all = try verdicts(formats, options: options)
        return Self.preferredIndex(all, nativeFormat: estimator.nativeFormat).map { all[$0] }
    }
}
