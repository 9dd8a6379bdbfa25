/// Overflow-checked sums of sizes that came from a server or the disk: a listing of files of
/// `Int64.max` bytes each is a protocol error, never a crash.
public enum ByteTotal {
    /// The sum of `sizes`, or `WireValueError.sizeOutOfRange(field)` when one is negative or the sum overflows.
    public static func sum<S: Sequence>(_ sizes: S, field: String) throws(WireValueError) -> Int64 where S.Element == Int64 {
        var total: Int64 = 0
        for size in sizes {
            guard size >= 0 else { throw .sizeOutOfRange(field: field) }
            let (next, overflow) = total.addingReportingOverflow(size)
            guard !overflow else { throw .sizeOutOfRange(field: field) }
            total = next
        }
        return total
    }

    /// The sum of `sizes`, saturating at `Int64.max` (for display and comparisons where "more than
    /// anything" is the right answer); negative terms count as zero.
    public static func saturatingSum<S: Sequence>(_ sizes: S) -> Int64 where S.Element == Int64 {
        var total: Int64 = 0
        for size in sizes where size > 0 {
            let (next, overflow) = total.addingReportingOverflow(size)
            if overflow { return .max }
            total = next
        }
        return total
    }

    /// `a + b` for non-negative sizes, saturating at `Int64.max` (negative terms count as zero).
    public static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = max(a, 0).addingReportingOverflow(max(b, 0))
        return overflow ? .max : sum
    }
}
