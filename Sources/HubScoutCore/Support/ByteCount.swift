/// Parsing and formatting of byte sizes. Human output uses binary units (GiB) and says so.
public enum ByteCount {
    /// Formats bytes in binary units: `15.0 GiB`, `512 MiB`, `823 B`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : "\(rounded) \(units[unit])"
    }

    /// Parses `16GB`, `16 GiB`, `16G`, `1.5TB`, `512MiB`, `1024` (bytes).
    /// Decimal units (GB, MB) are powers of 1000, binary ones (GiB, MiB) powers of 1024;
    /// a bare letter (`16G`) is read as binary, as memory is sold and reported that way.
    public static func parse(_ text: String) -> ParsedSize? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var numberPart = ""
        var unitPart = ""
        for ch in trimmed {
            if unitPart.isEmpty, ch.isNumber || ch == "." { numberPart.append(ch) } else if ch != " " { unitPart.append(ch) }
        }
        guard let number = Double(numberPart), number >= 0, number.isFinite else { return nil }
        let table: [String: (Double, Bool)] = [
            "": (1, false), "b": (1, false),
            "k": (1024, true), "kib": (1024, true), "kb": (1e3, false),
            "m": (1024 * 1024, true), "mib": (1024 * 1024, true), "mb": (1e6, false),
            "g": (1024 * 1024 * 1024, true), "gib": (1024 * 1024 * 1024, true), "gb": (1e9, false),
            "t": (1024 * 1024 * 1024 * 1024, true), "tib": (1024 * 1024 * 1024 * 1024, true), "tb": (1e12, false),
        ]
        guard let (multiplier, binary) = table[unitPart.lowercased()] else { return nil }
        let bytes = number * multiplier
        guard bytes < 9.0e18 else { return nil }
        return ParsedSize(bytes: Int64(bytes), isBinary: binary, text: trimmed)
    }

    /// A parsed size and whether its unit was binary.
    public struct ParsedSize: Sendable, Equatable {
        public var bytes: Int64
        public var isBinary: Bool
        public var text: String
    }
}

import Foundation
