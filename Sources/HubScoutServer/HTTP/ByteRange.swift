/// A single `Range: bytes=…` request against a file of known size (multi-range requests are served whole).
enum ByteRange: Equatable {
    /// No usable Range header: send everything with 200.
    case whole
    /// A satisfiable range, inclusive bounds.
    case partial(ClosedRange<Int64>)
    /// A syntactically valid range that does not overlap the file: 416.
    case unsatisfiable

    /// Interprets `header` for a file of `size` bytes; malformed headers are ignored, as RFC 9110 allows.
    init(header: String?, size: Int64) {
        guard let header, header.count < 200 else { self = .whole; return }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes="), !trimmed.contains(",") else { self = .whole; return }
        let spec = trimmed.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { self = .whole; return }
        let first = parts[0].trimmingCharacters(in: .whitespaces), second = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            // suffix range: the last N bytes (n <= Int64.max and size >= 1, so size - n cannot overflow)
            guard let n = Self.position(second) else { self = .whole; return }
            guard n > 0, size > 0 else { self = .unsatisfiable; return }
            self = .partial(max(0, size - n)...(size - 1))
            return
        }
        guard let start = Self.position(first) else { self = .whole; return }
        var end = size - 1
        if !second.isEmpty {
            guard let e = Self.position(second), e >= start else { self = .whole; return }
            end = min(e, size - 1)
        }
        guard start < size else { self = .unsatisfiable; return }
        self = .partial(start...end)
    }

    /// A byte position: ASCII digits only (no sign, no spaces), within Int64; nil otherwise.
    private static func position(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int64(text)
    }
}

import Foundation
