import Foundation

/// The fields of `/proc/meminfo` memory estimates need.
public struct MemInfo: Sendable, Equatable {
    /// `MemTotal` in bytes.
    public var totalBytes: Int64
    /// `MemAvailable` in bytes (falls back to MemFree + Buffers + Cached on kernels older than 3.14).
    public var availableBytes: Int64

    /// Parses `/proc/meminfo` text; nil when `MemTotal` is missing. Reads at most 1000 lines.
    public static func parse(_ text: String) -> MemInfo? {
        var values: [String: Int64] = [:]
        for line in text.split(separator: "\n").prefix(1000) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let fields = parts[1].split(separator: " ")
            guard let first = fields.first, let n = Int64(first), n >= 0 else { continue }
            let unit = fields.count > 1 ? fields[1].lowercased() : ""
            let (bytes, o) = n.multipliedReportingOverflow(by: unit == "kb" ? 1024 : 1)
            if !o { values[String(parts[0])] = bytes }
        }
        guard let total = values["MemTotal"] else { return nil }
        let available = values["MemAvailable"]
            ?? ((values["MemFree"] ?? 0) + (values["Buffers"] ?? 0) + (values["Cached"] ?? 0))
        return MemInfo(totalBytes: total, availableBytes: min(available, total))
    }
}
