/// Hand-written JSON string escaping, for the few places that write JSON text directly
/// (headers byte for byte, bulk SQL values, the server's responses) where `JSONEncoder` is too slow or too loose.
public enum JSONText {
    /// Appends `s` to `out` as a JSON string literal, escaped as RFC 8259 requires.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        // Most strings (ids, tags) need no escape: append them whole instead of scalar by scalar.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }
}
