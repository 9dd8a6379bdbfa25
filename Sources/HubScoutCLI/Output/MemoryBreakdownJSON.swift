import HubScoutCore

/// `{weightsBytes, kvCacheBytes, overheadBytes, totalBytes}` of one option on this host: the verdict's figures,
/// so `totalBytes` is the same number the table, the reason and `fit.totalBytes` show.
struct MemoryBreakdownJSON: Encodable {
    var format: String?
    var weightsBytes: Int64
    var kvCacheBytes: Int64
    /// Compute buffers, the GPU runtime (none on a CPU-only run) and the process footprint.
    var overheadBytes: Int64
    var totalBytes: Int64
    /// True when the weights come from tensor headers rather than parameters × bits.
    var weightsExact: Bool

    init(_ v: FitVerdict, format: String? = nil) {
        self.format = format
        weightsBytes = v.estimate.weightsBytes
        kvCacheBytes = v.estimate.kvCacheBytes
        overheadBytes = v.overheadBytes
        totalBytes = v.totalBytes
        weightsExact = v.estimate.weightsExact
    }
}

/// `memory: {fp32, fp16, int8, int4, native?}`: the what-if rows shown (none for a GGUF-only repository unless
/// asked for; its files are under `ggufFiles`).
struct MemoryTableJSON: Encodable {
    var fp32: MemoryBreakdownJSON?
    var fp16: MemoryBreakdownJSON?
    var int8: MemoryBreakdownJSON?
    var int4: MemoryBreakdownJSON?
    /// The checkpoint's own format (with a `format` key), when known and shown.
    var native: MemoryBreakdownJSON?

    init(rows: [FitReport.Row], nativeFormat: WeightFormat?) {
        func row(_ f: WeightFormat) -> MemoryBreakdownJSON? { rows.first { $0.verdict.format == f }.map { MemoryBreakdownJSON($0.verdict) } }
        fp32 = row(.fp32)
        fp16 = row(.fp16)
        int8 = row(.int8)
        int4 = row(.int4)
        native = nativeFormat.flatMap { f in rows.first { $0.isNative }.map { MemoryBreakdownJSON($0.verdict, format: f.description) } }
    }
}
