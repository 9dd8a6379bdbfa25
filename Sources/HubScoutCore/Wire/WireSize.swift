/// A byte count from a header (`Content-Length`, `X-Linked-Size`): decimal digits only, no sign,
/// no spaces inside, and it fits in 64 bits.
public enum WireSize {
    /// The size `text` states, or a protocol error naming `field`.
    public static func parse(_ text: String, field: String) throws(WireValueError) -> Int64 {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.utf8.count <= 19, trimmed.utf8.allSatisfy({ (48...57).contains($0) }),
              let size = Int64(trimmed) else {
            throw .invalid(field: field, value: text, expected: "a byte count (decimal digits)")
        }
        return size
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (header whitespace), without Foundation.
    var trimmingSpaces: Substring {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
