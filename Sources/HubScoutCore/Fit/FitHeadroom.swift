/// How much room a placement leaves: the usable budget (after the policy's margins) minus what it needs, per side.
/// Stated with every recommendation, so "fits" comes with how comfortably.
public struct FitHeadroom: Sendable, Equatable, Codable {
    /// Bytes left on the GPUs the placement uses (summed over them); nil for a CPU-only placement.
    public var gpuBytes: Int64?
    /// Bytes of usable RAM left.
    public var ramBytes: Int64

    /// Creates a headroom figure.
    public init(gpuBytes: Int64?, ramBytes: Int64) { self.gpuBytes = gpuBytes; self.ramBytes = ramBytes }
}

extension FitPlanner {
    /// The room `verdict` leaves on this host under this planner's policy; nil when it does not fit.
    public func headroom(of verdict: FitVerdict, engine: EngineProfile) -> FitHeadroom? {
        guard verdict.kind != .doesNotFit else { return nil }
        let ram = ramBudget - verdict.ramBytes
        guard !verdict.gpuIndices.isEmpty else { return FitHeadroom(gpuBytes: nil, ramBytes: ram) }
        let used = host.gpus.filter { verdict.gpuIndices.contains($0.index) }
        let budget = used.reduce(Int64(0)) { Self.saturatingAdd($0, gpuBudget($1, engine)) }
        // Unified memory: what the GPU side takes comes out of the same RAM, so RAM headroom is the one figure.
        if used.allSatisfy(\.unified) { return FitHeadroom(gpuBytes: min(budget - verdict.gpuBytes, ram), ramBytes: ram) }
        return FitHeadroom(gpuBytes: budget - verdict.gpuBytes, ramBytes: ram)
    }
}
