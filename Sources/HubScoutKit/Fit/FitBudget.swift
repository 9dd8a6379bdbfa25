import HubScoutCore

/// The memory `search --fits` measures models against.
public enum FitBudget: Sendable, Equatable {
    /// A literal size (`--fits 16GB`): one device of exactly this many bytes, with no margin kept free
    /// (`FitPolicy.none`), so a model is kept when its whole estimate (weights + KV cache + overhead) fits.
    case size(Int64)
    /// Detected hardware (`--fits auto`): the largest GPU, else the available RAM, with the default margins.
    case hardware(HostMemory)

    /// The host the planner sees: for `.hardware`, only the largest GPU is kept (a search row names one device).
    public var host: HostMemory {
        switch self {
        case .size(let bytes):
            // RAM as large as the device: the engine's small host footprint must not make a model "not fit".
            return HostMemory(ramTotalBytes: bytes, ramAvailableBytes: bytes,
                              gpus: [GPUMemory(index: 0, name: "budget", memoryBytes: bytes, freeBytes: nil, unified: false)])
        case .hardware(let memory):
            var host = memory
            if let largest = memory.gpus.max(by: { $0.memoryBytes < $1.memoryBytes }) { host.gpus = [largest] }
            return host
        }
    }

    /// Margins kept free: none for a literal size, the defaults (1 GiB per device) for real hardware.
    public var policy: FitPolicy {
        switch self {
        case .size: return .none
        case .hardware: return FitPolicy()
        }
    }

    /// The placement a model must reach to count as fitting: all on the GPU, or in RAM when there is no GPU.
    public var requiredPlacement: FitVerdict.Kind {
        host.gpus.isEmpty ? .fitsInRAM : .fitsOnGPU
    }

    /// The bytes a model can use at most: the device size (or free memory), else the available RAM.
    public var capacityBytes: Int64 {
        let h = host
        if let gpu = h.gpus.first { return gpu.freeBytes.map { min($0, gpu.memoryBytes) } ?? gpu.memoryBytes }
        return h.ramAvailableBytes
    }

    /// The bytes a model may use once the margin is kept free: the literal size as is; for detected
    /// hardware, the capacity minus the policy's margin (1 GiB by default).
    public var usableBytes: Int64 {
        guard case .hardware = self else { return capacityBytes }
        let margin = host.gpus.isEmpty ? policy.ramMarginBytes : policy.gpuMarginBytes
        return max(0, capacityBytes - margin)
    }

    /// The constraint a catalog search applies for this budget.
    public func constraint(precision: FitPrecision? = nil, context: Int? = nil) -> FitConstraint {
        FitConstraint(budgetBytes: usableBytes, precision: precision, context: context)
    }

    /// `16 GB budget` or `GPU 0 (NVIDIA H100) 79.2 GiB` style text.
    public var summary: String {
        switch self {
        case .size(let bytes):
            return "\(ByteCount.format(bytes)) (one device, nothing kept free)"
        case .hardware:
            if let gpu = host.gpus.first { return "GPU \(gpu.index) (\(gpu.name)): \(ByteCount.format(capacityBytes)), 1 GiB kept free" }
            return "\(ByteCount.format(capacityBytes)) of available RAM (no GPU detected), 1 GiB kept free"
        }
    }
}
