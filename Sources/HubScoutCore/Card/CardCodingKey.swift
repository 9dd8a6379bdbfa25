/// A coding key built from any string, for front matter whose keys are not known in advance.
struct CardCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// Decodes anything and keeps nothing, so a lenient list decoder can step over an element of the wrong type.
struct SkippedValue: Decodable {
    init(from decoder: any Decoder) throws {}
}

extension KeyedDecodingContainer {
    /// Decodes `key` as a string or a list of strings; other element types are skipped; at most `limit` kept.
    func lenientStrings(_ key: Key, limit: Int = CardLimits.maxListElements) -> [String]? {
        guard contains(key) else { return nil }
        if let one = try? decode(String.self, forKey: key) { return [one] }
        guard var list = try? nestedUnkeyedContainer(forKey: key) else { return nil }
        var out: [String] = []
        while !list.isAtEnd && out.count < limit {
            if let s = try? list.decode(String.self) {
                out.append(s)
            } else if (try? list.decode(SkippedValue.self)) == nil {
                break
            }
        }
        return out
    }
}

/// Hard limits applied while reading a model card, so hostile cards cost bounded time and memory.
public enum CardLimits {
    /// Largest front matter parsed as YAML (bytes); bigger blocks are skipped with a warning.
    public static let maxFrontMatterBytes = 512 * 1024
    /// Deepest flow (`[`/`{`) nesting accepted in front matter.
    public static let maxFlowDepth = 64
    /// Deepest block indentation (columns) accepted in front matter.
    public static let maxIndentation = 256
    /// Most elements kept from any list (tags, datasets, eval results).
    public static let maxListElements = 10_000
    /// Default summary length in characters.
    public static let defaultSummaryLength = 400
}
