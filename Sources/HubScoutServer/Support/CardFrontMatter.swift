import HubScoutCore
import Yams

/// Turns a model card's YAML front matter into the JSON the API reports as `cardData`.
///
/// Scalars follow the YAML 1.2 core schema, as the Hub does: `no`, `on` and `1.10`-like versions
/// stay strings (YAML 1.1's `Yams.load` would turn `language: no` into `false`).
enum CardFrontMatter {
    /// Front matter larger than this is ignored (a card header is a few KiB).
    static let maxBytes = 1 << 20
    /// Nesting deeper than this is cut (hostile input).
    static let maxDepth = 64

    /// The front matter of `text` as a JSON object, or nil when there is none or it is not a mapping.
    static func cardData(fromReadme text: String) -> JSONValue? {
        guard let yaml = frontMatter(of: text), let node = try? Yams.compose(yaml: yaml) else { return nil }
        let value = json(from: node, depth: 0)
        if case .object = value { return value }
        return nil
    }

    /// The text between a first line `---` and the next line `---`.
    static func frontMatter(of text: String) -> String? {
        let string = String(text.prefix(maxBytes))
        guard string.hasPrefix("---") else { return nil }
        var lines = string.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" || first.trimmingCharacters(in: .whitespaces) == "---\r" else { return nil }
        lines.removeFirst()
        var collected: [Substring] = []
        for line in lines {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.trimmingCharacters(in: .whitespaces) == "---" { return collected.joined(separator: "\n") }
            collected.append(trimmed)
        }
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
