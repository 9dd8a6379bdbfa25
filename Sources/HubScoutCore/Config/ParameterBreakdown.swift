/// Where a model's parameters sit, so memory estimates can quantize only the linear weights.
/// All counts are parameters (elements), not bytes.
public struct ParameterBreakdown: Sendable, Equatable, Codable {
    /// Input token embeddings.
    public var embedding: Int64
    /// Output projection; 0 when tied to the embeddings.
    public var lmHead: Int64
    /// Attention projections (q, k, v, o, incl. MLA down/up projections) over all layers.
    public var attention: Int64
    /// Dense MLP weights over all dense layers.
    public var denseMLP: Int64
    /// Routed expert weights over all MoE layers (all experts).
    public var routedExperts: Int64
    /// Shared-expert and router weights over all MoE layers.
    public var sharedExpertsAndRouters: Int64
    /// Norms, biases and other small tensors.
    public var other: Int64
    /// Vision/audio tower and projector of multimodal models.
    public var vision: Int64
    /// Routed-expert parameters active for one token (experts per token / experts × routedExperts).
    public var activeRoutedExperts: Int64

    /// Creates a breakdown (all parts default to 0).
    public init(embedding: Int64 = 0, lmHead: Int64 = 0, attention: Int64 = 0, denseMLP: Int64 = 0,
                routedExperts: Int64 = 0, sharedExpertsAndRouters: Int64 = 0, other: Int64 = 0, vision: Int64 = 0,
                activeRoutedExperts: Int64 = 0) {
        self.embedding = embedding; self.lmHead = lmHead; self.attention = attention; self.denseMLP = denseMLP
        self.routedExperts = routedExperts; self.sharedExpertsAndRouters = sharedExpertsAndRouters
        self.other = other; self.vision = vision; self.activeRoutedExperts = activeRoutedExperts
    }

    /// All parameters.
    public var total: Int64 { embedding + lmHead + attention + denseMLP + routedExperts + sharedExpertsAndRouters + other + vision }
    /// Parameters used per token (all but the inactive routed experts).
    public var active: Int64 { total - routedExperts + activeRoutedExperts }
    /// Linear weights that weight-only quantization converts (attention, MLP, experts; not embeddings, norms, vision).
    public var quantizableLinear: Int64 { attention + denseMLP + routedExperts + sharedExpertsAndRouters }

    /// The same proportions scaled so that `total` equals `newTotal` (rounding goes to `other`): a config
    /// formula's layout over a trusted count (tensor headers, the Hub API). Unchanged when either total is
    /// not positive. Parts are clamped so that they never add up past `newTotal` (no overflow at the top
    /// of the range, whatever count a server sent).
    public func scaled(toTotal newTotal: Int64) -> ParameterBreakdown {
        let old = total
        guard old > 0, newTotal > 0 else { return self }
        let factor = Double(newTotal) / Double(old)
        var room = newTotal
        func s(_ v: Int64) -> Int64 {
            let part = min(Int64(clamping: v, scaledBy: factor, limit: newTotal), room)
            room -= part
            return part
        }
        var result = ParameterBreakdown(embedding: s(embedding), lmHead: s(lmHead), attention: s(attention), denseMLP: s(denseMLP),
                                        routedExperts: s(routedExperts), sharedExpertsAndRouters: s(sharedExpertsAndRouters),
                                        vision: s(vision))
        result.other = room
        result.activeRoutedExperts = min(Int64(clamping: activeRoutedExperts, scaledBy: factor, limit: newTotal), result.routedExperts)
        return result
    }
}

private extension Int64 {
    /// `value × factor` rounded, within `0...limit`.
    init(clamping value: Int64, scaledBy factor: Double, limit: Int64) {
        let scaled = (Double(value) * factor).rounded()
        guard scaled.isFinite, scaled > 0 else { self = 0; return }
        self = scaled >= Double(limit) ? limit : Int64(scaled)
    }
}

/// Where a parameter count came from, in order of trust.
public enum ParameterSource: String, Sendable, Codable, Equatable {
    /// Summed from tensor headers (safetensors/GGUF): exact.
    case tensorHeaders
    /// The API's `safetensors`/`gguf` block: stored elements, buffers and packed ints included.
    case hubAPI
    /// A formula over the normalised config: an estimate.
    case configFormula
}

/// A parameter count with its source; `active` only for MoE models.
public struct ParameterCount: Sendable, Equatable, Codable {
    /// All parameters.
    public var total: Int64
    /// Parameters used per token (MoE only).
    public var active: Int64?
    /// Where the count came from.
    public var source: ParameterSource

    /// Creates a count.
    public init(total: Int64, active: Int64? = nil, source: ParameterSource) {
        self.total = total
        self.active = active
        self.source = source
    }
}
