/// A weight precision a model can be sized and searched at, best quality first.
///
/// `--precision fp16|int8|int4` is one of these; `any` is `nil` ("the best that fits").
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

    /// The weight format estimated for this precision.
    public var format: WeightFormat {
        switch self {
        case .fp16: .fp16
        case .int8: .int8
        case .int4: .int4
        }
    }

    /// Bits each weight takes at least (for a lower bound on size from a bare parameter count).
    public var minimumBitsPerWeight: Int64 {
        switch self {
        case .fp16: 16
        case .int8: 8
        case .int4: 4
        }
    }

    /// The precisions to try for a choice: the one given, or all, best first, for `nil` (any).
    public static func candidates(_ choice: FitPrecision?) -> [FitPrecision] { choice.map { [$0] } ?? allCases }

    /// Parses `fp16`, `int8`, `int4` or `any` (nil), case-insensitively; throws for anything else.
    public static func choice(_ text: String) -> FitPrecision?? {
        let lower = text.lowercased()
        if lower == "any" { return .some(nil) }
        return FitPrecision(rawValue: lower).map { .some($0) }
    }

    public static func < (lhs: FitPrecision, rhs: FitPrecision) -> Bool { lhs.rank < rhs.rank }
}
