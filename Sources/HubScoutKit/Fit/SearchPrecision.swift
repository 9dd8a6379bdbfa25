import HubScoutCore

/// Which weight precisions `search --fits` may use to make a model fit (`--precision`).
public enum SearchPrecision: String, Sendable, CaseIterable, Codable {
    /// 16-bit weights only.
    case fp16
    /// 8-bit linear weights only.
    case int8
    /// 4-bit (group-128) linear weights only.
    case int4
    /// The best of fp16, int8 and int4 that fits, in that order.
    case any

    /// Formats tried, highest fidelity first.
    public var formats: [WeightFormat] {
        switch self {
        case .fp16: return [.fp16]
        case .int8: return [.int8]
        case .int4: return [.int4]
        case .any: return [.fp16, .int8, .int4]
        }
    }

    /// The fewest bits per weight any tried format stores (all are at least 4), for a lower bound on size
    /// from a bare parameter count.
    var minimumBitsPerWeight: Int64 {
        switch self {
        case .fp16: return 16
        case .int8: return 8
        case .int4, .any: return 4
        }
    }
}
