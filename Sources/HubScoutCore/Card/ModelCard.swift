import Foundation
import Yams

/// A model card (`README.md`): typed front matter, the Markdown body and a clean summary.
/// Parsing never throws: broken or oversized YAML leaves the metadata empty and adds a warning.
public struct ModelCard: Sendable, Equatable {
    /// The known front matter keys (empty when the card has none or it could not be read).
    public var metadata: CardMetadata
    /// The raw front matter text, kept as written (no YAML 1.1 round trip).
    public var frontMatter: String?
    /// The Markdown after the front matter.
    public var body: String
    /// The first meaningful paragraph of the body, capped; nil when the body has only headings, code, tables…
    public var summary: String?
    /// Problems met while reading the card, as sentences for the user.
    public var warnings: [String]

    /// Parses a card from its Markdown text.
    public init(markdown: String, summaryLimit: Int = CardLimits.defaultSummaryLength) {
        let split = FrontMatter(splitting: markdown)
        frontMatter = split.yaml
        body = split.body
        summary = CardSummary.extract(from: split.body, limit: summaryLimit)
        warnings = []
        metadata = CardMetadata()
        if let yaml = split.yaml {
            metadata = Self.decodeFrontMatter(yaml, warnings: &warnings)
        }
    }

    /// Parses a card from the bytes of `README.md` (invalid UTF-8 is replaced, not rejected).
    public init(data: Data, summaryLimit: Int = CardLimits.defaultSummaryLength) {
        self.init(markdown: String(decoding: data, as: UTF8.self), summaryLimit: summaryLimit)
    }

    private static func decodeFrontMatter(_ yaml: String, warnings: inout [String]) -> CardMetadata {
        if let problem = FrontMatter.problem(in: yaml) {
            warnings.append("The card's front matter was ignored: \(problem).")
            return CardMetadata()
        }
        if yaml.allSatisfy({ $0.isWhitespace }) { return CardMetadata() }
        do {
            // Typed decoding keeps scalars as written: `language: [en, no]` stays ["en", "no"].
            return try YAMLDecoder().decode(CardMetadata.self, from: yaml)
        } catch {
            warnings.append("The card's YAML front matter could not be parsed (\(Self.describe(error))); fix the block between the `---` lines. The card text was still read.")
            return CardMetadata()
        }
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unknown error"
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// Cheap textual checks run before handing YAML to the parser, so hostile nesting cannot exhaust the stack.
enum YAMLShapeCheck {
    /// A sentence describing why `yaml` is refused, or nil when it looks safe to parse.
    static func problem(in yaml: String) -> String? {
        var flowDepth = 0
        var maxFlow = 0
        var quote: Character?
        var atLineStart = true
        var indent = 0
        var anchors = 0
        for ch in yaml {
            if ch == "\n" { atLineStart = true; indent = 0; continue }
            if atLineStart {
                if ch == " " || ch == "-" {
                    indent += 1
                    if indent > CardLimits.maxIndentation {
                        return "it is indented deeper than \(CardLimits.maxIndentation) columns"
                    }
                    continue
                }
                atLineStart = false
            }
            if let q = quote {
                if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "\"", "'": if flowDepth > 0 { quote = ch }
            case "[", "{": flowDepth += 1; maxFlow = max(maxFlow, flowDepth)
            case "]", "}": flowDepth = max(0, flowDepth - 1)
            case "&": anchors += 1
            default: break
            }
            if maxFlow > CardLimits.maxFlowDepth {
                return "it nests lists or maps deeper than \(CardLimits.maxFlowDepth) levels"
            }
        }
        // Aliases of aliases can expand exponentially while decoding ("billion laughs").
        if anchors > 1_000 { return "it defines more than 1000 anchors" }
        return nil
    }
}
