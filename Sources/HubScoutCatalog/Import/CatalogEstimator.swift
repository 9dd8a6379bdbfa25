import HubScoutCore

/// Turns the one memory model, Core's `MemoryEstimator`, into the rows the catalog stores
/// (`CatalogEstimate`): one per precision (fp16, int8, int4) at the default context, so offline `--fits`
/// answers like online `--fits`. Facts become an estimator through `ModelFacts.sizing()`, the path online
/// inspection takes too, so a model sized from the catalog's config facts gets the bytes it gets online (the
/// FFN width the facts leave out is derived from the count, not dropped). A model it cannot size gets no
/// row (unknown, so a fit search never claims it fits).
///
/// A catalog row is linear in the context (`weights + kvPerToken × context + overhead`); the KV figure is
/// the estimator's cache at the default context divided by that context, so it is exact there and, for
/// models with sliding-window layers, an over-estimate at longer contexts (never an under-estimate).
public enum CatalogEstimator {
    /// How a model's estimates were made.
    public enum Method: String, Sendable, Codable, Equatable {
        /// `MemoryEstimator` over the config formula's breakdown (scaled to a trusted count when there is one).
        case formula
        /// `MemoryEstimator` over a breakdown built from the parameter count: the config formula over the FFN
        /// width the count implies when that comes out whole (`ModelFacts.Basis.derivedShape`), else embeddings
        /// from vocab × hidden, the output head counted separately unless tied, the rest as quantizable linear weights.
        case parameterCount
        /// No estimate: the config cannot feed `MemoryEstimator` (no layer and head shape), or there is
        /// neither a formula nor a parameter count.
        case none
    }

    /// Estimates and how they were made.
    public struct Result: Sendable, Equatable {
        /// Rows to store, best precision first (may be empty).
        public var estimates: [CatalogEstimate]
        /// Which path produced them.
        public var method: Method
        /// Why the path was taken, and what was assumed.
        public var notes: [String]

        /// Estimates made by `method`.
        public init(estimates: [CatalogEstimate], method: Method, notes: [String]) {
            self.estimates = estimates
            self.method = method
            self.notes = notes
        }
    }

    /// The estimator `Catalog.importSnapshot` uses unless it is given another.
    public static let snapshotEstimator: SnapshotEstimator = { model in estimate(snapshot: model).estimates }

    /// Estimates for a model of the shipped snapshot (config facts + parameter count).
    public static func estimate(snapshot model: SnapshotModel) -> Result {
        guard let config = model.config else {
            return Result(estimates: [], method: .none, notes: ["no config facts: memory cannot be estimated"])
        }
        return estimate(config: config, parameters: model.parameters)
    }

    /// Estimates from a normalised config and a parameter count, through `ModelFacts.sizing()`.
    public static func estimate(config: ModelConfig, parameters: ParameterCount?) -> Result {
        estimate(facts: ModelFacts(config: config, parameters: parameters))
    }

    /// Estimates from sizing facts (the same path an online inspection takes).
    public static func estimate(facts: ModelFacts) -> Result {
        let sizing: ModelFacts.Sizing
        do {
            sizing = try facts.sizing()
        } catch {
            let missing = facts.parameters == nil ? "no parameter count; " : ""
            return Result(estimates: [], method: .none,
                          notes: ["\(missing)no estimate: \(error.reason) (layers, hidden size, heads, or the parameter count)"])
        }
        do {
            return Result(estimates: try rows(sizing.estimator), method: method(sizing.basis), notes: sizing.notes)
        } catch {
            return Result(estimates: [], method: .none, notes: sizing.notes + ["MemoryEstimator failed (\(error))"])
        }
    }

    /// The catalog's name for a sizing basis.
    static func method(_ basis: ModelFacts.Basis) -> Method {
        switch basis {
        case .formula: .formula
        case .derivedShape, .parameterCount: .parameterCount
        }
    }

    /// fp16, int8 and int4 rows at the default context; the checkpoint's native format (exact header
    /// bytes, or a pre-quantized format) replaces the row of the precision class it belongs to.
    package static func rows(_ estimator: MemoryEstimator) throws -> [CatalogEstimate] {
        var rows = [
            try row(estimator, format: .fp16, precision: .fp16),
            try row(estimator, format: .int8, precision: .int8),
            try row(estimator, format: .int4, precision: .int4),
        ]
        if let native = estimator.nativeFormat, !native.isFloatingPoint {
            let precision: FitPrecision = native.quantizedBitsPerWeight.value >= 8 ? .int8 : .int4
            rows.removeAll { $0.precision == precision }
            rows.append(try row(estimator, format: native, precision: precision))
            rows.sort { $0.precision < $1.precision }
        }
        return rows
    }

    /// One row: weights, KV per token (ceiling of the cache at the default context ÷ that context) and overhead.
    package static func row(_ estimator: MemoryEstimator, format: WeightFormat, precision: FitPrecision,
                            exactBytes: Int64? = nil) throws -> CatalogEstimate {
        let estimate = try estimator.estimate(format, options: EstimateOptions(), exactBytes: exactBytes)
        let context = max(1, estimate.context)
        let perToken = (estimate.kvCacheBytes + Int64(context) - 1) / Int64(context)
        return CatalogEstimate(precision: precision, weightsBytes: estimate.weightsBytes, kvBytesPerToken: perToken,
                               overheadBytes: estimate.overheadBytes, defaultContext: context)
    }
}
