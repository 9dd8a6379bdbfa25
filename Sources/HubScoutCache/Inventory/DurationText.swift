import Foundation

/// Durations as people type them for `cache gc --older-than`: `30d`, `12h`, `2w`, `90m`, `45s`, `1d12h`.
public enum DurationText {
    /// Seconds per unit letter.
    static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800, "y": 31_536_000]

    /// Parses a duration into seconds; a bare number means days.
    public static func parse(_ text: String) throws(InventoryError) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty, trimmed.count <= 32 else { throw .invalidDuration(text) }
        if let days = Int(trimmed), days >= 0 { return Double(days) * 86_400 }
        var total: Double = 0
        var number = ""
        for character in trimmed {
            if character.isASCII, character.isNumber {
                number.append(character)
            } else if let unit = units[character], let value = Int(number) {
                total += Double(value) * unit
                number = ""
            } else {
                throw .invalidDuration(text)
            }
        }
        guard number.isEmpty else { throw .invalidDuration(text) }
        return total
    }

    /// `3d 4h`, `25m`, `12s`: the two largest units of a duration.
    public static func format(_ seconds: TimeInterval) -> String {
        var rest = Int(max(0, seconds))
        var parts: [String] = []
        for (letter, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size || (parts.isEmpty && size == 1) {
            parts.append("\(rest / size)\(letter)")
            rest %= size
            if parts.count == 2 { break }
        }
        return parts.joined(separator: " ")
    }
}
