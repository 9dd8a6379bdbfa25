import HubScoutCore

/// `{weightsBytes, kvCacheBytes, overheadBytes, totalBytes}` of one estimate, built from its (computed) properties.
struct MemoryBreakdownJSON: Encodable {
    var format: String?
    var weightsBytes: Int64
    var kvCacheBytes: Int64
    var overheadBytes: Int64
    var totalBytes: Int64
    /// True when the weights come from tensor headers rather than parameters × bits.
    var weightsExact: Bool

    init(_ e: MemoryEstimate, includeFormat: Bool = false) {
        format = includeFormat ? e.format.description : nil
        weightsBytes = e.weightsBytes
        kvCacheBytes = e.kvCacheBytes
        overheadBytes = e.overheadBytes
        totalBytes = e.totalBytes
        weightsExact = e.weightsExact
    }
}

/// `memory: {fp32, fp16, int8, int4, native?}`.
struct MemoryTableJSON: Encodable {
    var fp32: MemoryBreakdownJSON
    var fp16: MemoryBreakdownJSON
    var int8: MemoryBreakdownJSON
    var int4: MemoryBreakdownJSON
    /// The checkpoint's own format (with a `format` key), when known.
    var native: MemoryBreakdownJSON?

    init(estimator: MemoryEstimator, options: EstimateOptions) throws {
        fp32 = MemoryBreakdownJSON(try estimator.estimate(.fp32, options: options))
        fp16 = MemoryBreakdownJSON(try estimator.estimate(.fp16, options: options))
        int8 = MemoryBreakdownJSON(try estimator.estimate(.int8, options: options))
        int4 = MemoryBreakdownJSON(try estimator.estimate(.int4, options: options))
        native = try estimator.nativeFormat.map { MemoryBreakdownJSON(try estimator.estimate($0, options: options), includeFormat: true) }
    }
}
