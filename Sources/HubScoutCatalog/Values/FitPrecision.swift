/// Weight precision of a stored memory estimate, best quality first.
public enum FitPrecision: String, Sendable, Codable, CaseIterable, Comparable {
    case fp16
    case int8
    case int4

    /// Preference order for "best precision that fits": fp16 before int8 before int4.
    public var rank: Int {
        switch self {
        case .fp16: 0
        case .int8: 1
        case .int4: 2
        }
    }

    public static func < (lhs: FitPrecision, rhs: FitPrecision) -> Bool { lhs.rank < rhs.rank }
}
