import HubScoutCore

/// What a model is sized against: this machine, a literal memory budget, or a described host.
public enum FitTarget: Sendable, Equatable {
    /// This machine as ``HardwareDetector`` sees it: the largest GPU (Apple silicon's unified memory counts
    /// as one), else the available RAM, with 1 GiB kept free.
    case thisHost
    /// One device of exactly this many bytes, nothing kept free: a model fits when weights + KV cache +
    /// runtime overhead fit (`--fits 16GB`).
    case budget(Int64)
    /// A host you describe (another machine, a planned purchase): its largest GPU, else its available RAM,
    /// with 1 GiB kept free.
    case host(HostMemory)

    /// The ``FitBudget`` this target stands for; ``thisHost`` is detected with `detector`.
    public func budget(detector: HardwareDetector = HardwareDetector()) async -> FitBudget {
        switch self {
        case .thisHost: .hardware(await detector.detect().hostMemory)
        case .budget(let bytes): .size(bytes)
        case .host(let memory): .hardware(memory)
        }
    }
}
