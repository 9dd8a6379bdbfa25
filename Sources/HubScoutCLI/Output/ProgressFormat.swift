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

    // MARK: - Lines of the live display

    /// One file's line, at most `width` characters: `name [#####-----]  45.2% 1.2 MiB/2.6 MiB`. Room goes, in this
    /// order, to 16 characters of the name (its end kept), a bar of 6 cells, the rest of the name (up to 40), and a
    /// bar of up to 20; so a narrow terminal loses the bar before the name. `longestName` (the longest path shown in
    /// the same redraw) gives every line the same layout.
    static func fileLine(_ path: String, completed: Int64, size: Int64, width: Int, longestName: Int? = nil) -> String {
        let numbers = " \(percent(completed, of: size).leftPad(6)) \(bytes(completed).leftPad(8))/\(bytes(size))"
        // Sized for the widest figures (`1023 MiB/1023 MiB`), so the lines of one redraw stay aligned.
        var remaining = width - max(numbers.count, 25)
        let wanted = min(40, max(1, longestName ?? path.count))
        var nameWidth = max(1, min(wanted, 16, remaining))
        remaining -= nameWidth
        var cells = 0
        if remaining >= 9 { cells = 6; remaining -= 9 }
        let more = max(0, min(wanted - nameWidth, remaining))
        nameWidth += more
        remaining -= more
        if cells > 0 { cells += max(0, min(14, remaining)) }
        let barText = cells > 0 ? " [\(bar(completed, of: size, width: cells))]" : ""
        let name = shorten(path, to: nameWidth).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        return String((name + barText + numbers).prefix(width))
    }

    /// The total line, at most `width` characters:
    /// `total 3/5 files [#####-----] 45.2% 1.2 GiB/2.6 GiB 85.3 MiB/s ETA 3m05s`. On narrow terminals the bar goes
    /// first, then the speed, then the end of the line.
    static func totalLine(filesDone: Int, filesTotal: Int, completed: Int64, total: Int64, bytesPerSecond: Double,
                          eta: Double?, width: Int) -> String {
        let head = "total \(filesDone)/\(filesTotal) \(Plural.word(filesTotal, "file"))"
        let amount = " \(percent(completed, of: total)) \(bytes(completed))/\(bytes(total))"
        let rate = " \(speed(bytesPerSecond))"
        let time = " ETA \(duration(eta))"
        let cells = min(20, width - head.count - amount.count - rate.count - time.count - 3)
        if cells >= 6 { return head + " [\(bar(completed, of: total, width: cells))]" + amount + rate + time }
        if (head + amount + rate + time).count <= width { return head + amount + rate + time }
        return String((head + amount + time).prefix(width))
    }
}
