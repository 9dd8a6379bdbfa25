import Foundation

/// Byte, speed and time formats for download progress.
enum ProgressFormat {
    /// `512 B`, `12.3 KiB`, `1.50 GiB`.
    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 { amount /= 1024; unit += 1 }
        if unit == 0 { return "\(value) B" }
        return String(format: amount >= 100 ? "%.0f %@" : amount >= 10 ? "%.1f %@" : "%.2f %@", amount, units[unit])
    }

    /// `85.3 MiB/s`.
    static func speed(_ bytesPerSecond: Double) -> String {
        bytes(Int64(max(0, bytesPerSecond))) + "/s"
    }

    /// `42s`, `3m05s`, `1h02m`, `--` when unknown.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0, seconds < 360_000 else { return "--" }
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
    }

    /// `45.2%`.
    static func percent(_ done: Int64, of total: Int64) -> String {
        guard total > 0 else { return "100%" }
        return String(format: "%.1f%%", min(100, Double(done) / Double(total) * 100))
    }

    /// A bar of `width` cells.
    static func bar(_ done: Int64, of total: Int64, width: Int) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        return String(repeating: "#", count: filled) + String(repeating: "-", count: max(0, width - filled))
    }

    /// Keeps the end of a long path, which is the informative part.
    static func shorten(_ text: String, to width: Int) -> String {
        guard text.count > width, width > 1 else { return text }
        return "…" + text.suffix(width - 1)
    }
}
