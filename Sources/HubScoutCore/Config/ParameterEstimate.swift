/// A parameter count computed from a config, with where the parameters sit and what was assumed.
public struct ParameterEstimate: Sendable, Equatable {
    /// Parameters per part of the model.
    public var breakdown: ParameterBreakdown
    /// The layout the formula used, e.g. `decoder (gated MLP, GQA)`, `MoE decoder (MLA)`, `encoder-decoder (T5)`.
    public var layout: String
    /// True when routed experts make the active count differ from the total.
    public var isMoE: Bool
    /// Assumptions and omissions, as sentences.
    public var notes: [String]

    /// Creates an estimate.
    public init(breakdown: ParameterBreakdown, layout: String, isMoE: Bool, notes: [String] = []) {
        self.breakdown = breakdown; self.layout = layout; self.isMoE = isMoE; self.notes = notes
    }

    /// The count to report: total, plus active parameters for MoE models.
    public var count: ParameterCount {
        ParameterCount(total: breakdown.total, active: isMoE ? breakdown.active : nil, source: .configFormula)
    }
}
