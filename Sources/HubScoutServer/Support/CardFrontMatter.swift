import HubScoutCore
import Yams

/// Turns a model card's YAML front matter into the JSON the API reports as `cardData`.
///
/// The README is split by Core's `FrontMatter` and the YAML refused on the same grounds (`FrontMatter.problem`) as
/// the client's `ModelCard`, so server and client read one README the same way. Scalars follow the YAML 1.2 core
/// schema, as the Hub does: `no`, `on` and `1.10`-like versions stay strings (YAML 1.1's `Yams.load` would turn
/// `language: no` into `false`).
enum CardFrontMatter {
    /// Bytes of a README read to find its front matter (a card header is a few KiB; `CardLimits.maxFrontMatterBytes` caps it).
    static let maxBytes = 1 << 20
    /// Nesting deeper than this is cut (hostile input).
    static let maxDepth = 64

    /// The front matter of `text` as a JSON object, or nil when there is none, it is refused, or it is not a mapping.
    static func cardData(fromReadme text: String) -> JSONValue? {
        guard let yaml = FrontMatter(splitting: text).yaml, FrontMatter.problem(in: yaml) == nil,
              let node = try? Yams.compose(yaml: yaml) else { return nil }
        let value = json(from: node, depth: 0)
        if case .object = value { return value }
        return nil
    }

    private static func json(from node: Node, depth: Int) -> JSONValue {
        guard depth < maxDepth else { return .null }
        switch node {
        case let .mapping(mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { continue }
                object[name] = json(from: value, depth: depth + 1)
            }
            return .object(object)
        case let .sequence(sequence):
            return .array(sequence.map { json(from: $0, depth: depth + 1) })
        case let .scalar(scalar):
            return value(of: scalar)
        case .alias:
            return .null
        }
    }

    private static func value(of scalar: Node.Scalar) -> JSONValue {
        let s = scalar.string
        guard scalar.style == .plain else { return .string(s) }
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if isInteger(s), let i = Int(s) { return .int(i) }
        if isFloat(s), let d = Double(s), d.isFinite { return .double(d) }
        return .string(s)
    }

    private static func isInteger(_ s: String) -> Bool {
        let body = s.hasPrefix("-") || s.hasPrefix("+") ? s.dropFirst() : Substring(s)
        return !body.isEmpty && body.count < 19 && body.allSatisfy(\.isASCIIDigit)
    }

    private static func isFloat(_ s: String) -> Bool {
        // YAML 1.2 core: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var chars = Substring(s)
        if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
        guard !chars.isEmpty, chars.count < 64 else { return false }
        var sawDigit = false, sawDot = false, sawExp = false, expDigits = false
        var previous: Character = " "
        for ch in chars {
            if ch.isASCIIDigit { if sawExp { expDigits = true } else { sawDigit = true } }
            else if ch == ".", !sawDot, !sawExp { sawDot = true }
            else if ch == "e" || ch == "E", !sawExp, sawDigit { sawExp = true }
            else if (ch == "-" || ch == "+"), previous == "e" || previous == "E" { }
            else { return false }
            previous = ch
        }
        return sawDigit && (!sawExp || expDigits)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
