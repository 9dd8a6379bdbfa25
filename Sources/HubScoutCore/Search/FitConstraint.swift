/// A memory budget a model's estimate must fit in: what `--fits` becomes once the budget is known.
public struct FitConstraint: Sendable, Equatable {
    /// Bytes a model may use in total (weights + KV cache + runtime overhead).
    public var budgetBytes: Int64
    /// One precision, or nil for the best that fits (fp16, then int8, then int4).
    public var precision: FitPrecision?
    /// Tokens of context to size the KV cache for; nil uses each model's default context.
    public var context: Int?

    /// A constraint of `budgetBytes`.
    public init(budgetBytes: Int64, precision: FitPrecision? = nil, context: Int? = nil) {
        self.budgetBytes = budgetBytes
        self.precision = precision
        self.context = context
    }
}
