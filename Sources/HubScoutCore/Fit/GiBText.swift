import Foundation

/// The one way memory figures are written wherever a fit is explained: GiB (2^30 bytes) with two decimals.
/// Verdict reasons use it and so do the tables that print them, so a row's total reads the same in every place.
public enum GiBText {
    /// Bytes per GiB.
    public static let bytesPerGiB = Double(1 << 30)

    /// `16.06`.
    public static func number(_ bytes: Int64) -> String {
        String(format: "%.2f", Double(bytes) / bytesPerGiB)
    }

    /// `16.06 GiB`.
    public static func text(_ bytes: Int64) -> String { number(bytes) + " GiB" }
}
