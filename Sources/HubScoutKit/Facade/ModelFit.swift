import HubScoutCore

/// Whether a model fits a ``FitTarget``, in which precision, and the full memory table behind the answer.
///
/// The decision is the one ``HubScout/search(_:fitting:precision:options:limit:)`` makes for each row
/// (``FitSearch/evaluate(_:)``): the highest-fidelity precision of fp16, int8 and int4 (or the one asked
/// for) whose total reaches the target's required placement (all on the GPU, or in RAM when there is none).
public struct ModelFit: Sendable {
    /// What was learned about the model (files, config, parameter count and its source).
    public var inspection: ModelInspection
    /// The memory the model was measured against.
    public var budget: FitBudget
    /// The one precision allowed, or nil for the best that fits.
    public var precision: FitPrecision?
    /// Context, batch, KV cache type and engine of every estimate.
    public var options: EstimateOptions
    /// Fits in a format, too large in every searched precision, or could not be sized (with the reason).
    public var outcome: FitSearch.Outcome
    /// One verdict per format of the memory table (fp32, fp16, int8, int4 and the native format) on the
    /// budget's host, each with its largest context and cheapest fix; empty when the model could not be sized.
    public var verdicts: [FitVerdict]
    /// The verdict of the chosen format when the model fits, else nil.
    public var recommended: FitVerdict?

    /// Creates a fit result.
    public init(inspection: ModelInspection, budget: FitBudget, precision: FitPrecision?, options: EstimateOptions,
                outcome: FitSearch.Outcome, verdicts: [FitVerdict], recommended: FitVerdict?) {
        self.inspection = inspection; self.budget = budget; self.precision = precision; self.options = options
        self.outcome = outcome; self.verdicts = verdicts; self.recommended = recommended
    }

    /// True when the model fits in at least one searched precision.
    public var fits: Bool {
        if case .fits = outcome { return true }
        return false
    }

    /// The format to download when the model fits (`fp16`, `int8`, `int4`), else nil.
    public var format: WeightFormat? {
        if case let .fits(format, _, _, _, _) = outcome { return format }
        return nil
    }

    /// Weights + KV cache + runtime overhead in bytes, in the chosen format, when the model fits.
    public var totalBytes: Int64? {
        if case let .fits(_, _, total, _, _) = outcome { return total }
        return nil
    }

    /// Why the model does not fit or could not be sized, in one sentence; nil when it fits.
    public var reason: String? {
        switch outcome {
        case .fits: nil
        case .tooLarge(let why), .skipped(let why): why
        }
    }
}
