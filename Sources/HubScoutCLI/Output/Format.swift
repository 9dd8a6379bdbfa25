import Foundation
import HubScoutCore

/// Short human formats for table cells.
enum Format {
    /// `8.03B`, `494M`, `124M`, `—` when unknown.
    static func parameters(_ count: Int64?) -> String {
        guard let count, count > 0 else { return "—" }
        let value = Double(count)
        if value >= 1e12 { return String(format: "%.2fT", value / 1e12) }
        if value >= 1e9 { return String(format: "%.2fB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.0fM", value / 1e6) }
        return String(format: "%.0fK", value / 1e3)
    }

    /// `5.8M`, `12.3K`, `950`.
    static func count(_ value: Int?) -> String {
        guard let value else { return "—" }
        let d = Double(value)
        if d >= 1e6 { return String(format: "%.1fM", d / 1e6) }
        if d >= 1e4 { return String(format: "%.1fK", d / 1e3) }
        return String(value)
    }

    /// `2024-09-25`.
    static func day(_ date: Date?) -> String {
        guard let date else { return "—" }
        return String(HubDate.format(date).prefix(10))
    }

    /// `no`, `auto`, `manual`.
    static func gated(_ mode: GatedMode?) -> String {
        switch mode {
        case .none: "?"   // the source did not say; unknown is not "no"
        case .notGated?: "no"
        case .auto?: "auto"
        case .manual?: "manual"
        }
    }

    /// Pretty JSON with sorted keys.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(HubDate.format(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
