/// Whether a repository is gated, as the API reports it: `false`, `"auto"` or `"manual"`.
public enum GatedMode: String, Sendable, Codable, Equatable, Hashable {
    case notGated = "false"
    case auto
    case manual

    /// True for `auto` and `manual`.
    public var isGated: Bool { self != .notGated }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let flag = try? c.decode(Bool.self) {
            self = flag ? .auto : .notGated   // cards may write `gated: true`; the API never does
        } else if let s = try? c.decode(String.self) {
            switch s.lowercased() {
            case "manual": self = .manual
            case "false", "": self = .notGated
            default: self = .auto
            }
        } else {
            self = .notGated
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .notGated: try c.encode(false)
        case .auto, .manual: try c.encode(rawValue)
        }
    }
}
