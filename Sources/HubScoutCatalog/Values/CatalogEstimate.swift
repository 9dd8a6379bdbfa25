import HubScoutCore
/// A memory estimate for one precision, computed by the caller's estimator and stored as-is.
/// Total for a context `c` is `weightsBytes + kvBytesPerToken × c + overheadBytes`.
public struct CatalogEstimate: Sendable, Equatable, Codable {
    /// The weight precision this row describes.
    public var precision: FitPrecision
    /// Bytes of the weights at this precision.
    public var weightsBytes: Int64
    /// KV-cache bytes per token of context (all layers, K and V).
    public var kvBytesPerToken: Int64
    /// Fixed runtime overhead (context, buffers) in bytes.
    public var overheadBytes: Int64
    /// The context used when a query does not name one.
    public var defaultContext: Int

    /// Creates an estimate row.
    public init(precision: FitPrecision, weightsBytes: Int64, kvBytesPerToken: Int64, overheadBytes: Int64, defaultContext: Int) {
        self.precision = precision
        self.weightsBytes = weightsBytes
        self.kvBytesPerToken = kvBytesPerToken
        self.overheadBytes = overheadBytes
        self.defaultContext = defaultContext
    }

    /// Total bytes at `context` tokens, nil on overflow.
    public func totalBytes(context: Int) -> Int64? {
        let (kv, o1) = kvBytesPerToken.multipliedReportingOverflow(by: Int64(context))
        let (sum, o2) = weightsBytes.addingReportingOverflow(kv)
        let (total, o3) = sum.addingReportingOverflow(overheadBytes)
        return o1 || o2 || o3 ? nil : total
    }
}
