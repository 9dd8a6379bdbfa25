/// Splits a Markdown document (a model card's `README.md`) into its YAML front matter and body. The one
/// splitter: the client's `ModelCard` and the server's `cardData` both read a README through it, so they
/// agree on what its metadata is.
///
/// - The front matter starts at a first line `---` (after an optional byte-order mark) and ends at the next
///   line `---` or `...` (YAML's document end); trailing spaces, tabs and `\r` on a fence line are ignored.
/// - Without a closing fence there is no front matter: the whole text is body.
/// - Lines end with `\n` or `\r\n`; the YAML comes back with `\n` only, the body as written.
public struct FrontMatter: Sendable, Equatable {
    /// The YAML text without the fences; nil when the document has none.
    public var yaml: String?
    /// The Markdown after the closing fence (the whole text, less a byte-order mark, when there is no front matter).
    public var body: String

    /// Splits `markdown`.
    public init(splitting markdown: String) {
        var text = Substring(markdown)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        // Split on "\n" scalars: a "\r\n" pair is one Character, which splitting by Character would not cut.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Substring.init)
        guard let first = lines.first, Self.isFence(first) else {
            yaml = nil
            body = String(text)
            return
        }
        for index in lines.indices.dropFirst() where Self.isFence(lines[index]) || Self.isEnd(lines[index]) {
            yaml = lines[1..<index].map { $0.unicodeScalars.last == "\r" ? Substring($0.unicodeScalars.dropLast()) : $0 }.joined(separator: "\n")
            body = lines[(index + 1)...].joined(separator: "\n")
            return
        }
        yaml = nil
        body = String(text)
    }

    /// Why `yaml` must not be handed to a YAML parser (too large, nested or indented too deep, too many
    /// anchors), as a clause for a sentence; nil when it looks safe. Checked before any parse, client or server.
    public static func problem(in yaml: String) -> String? {
        if yaml.utf8.count > CardLimits.maxFrontMatterBytes {
            return "it is \(yaml.utf8.count) bytes, over the \(CardLimits.maxFrontMatterBytes)-byte limit"
        }
        return YAMLShapeCheck.problem(in: yaml)
    }

    private static func isFence(_ line: Substring) -> Bool {
        line.trimmingTrailingWhitespace() == "---"
    }

    private static func isEnd(_ line: Substring) -> Bool {
        line.trimmingTrailingWhitespace() == "..."
    }
}

extension Substring {
    /// The line without trailing spaces, tabs or carriage returns.
    func trimmingTrailingWhitespace() -> Substring {
        var s = self
        while let last = s.unicodeScalars.last, last == " " || last == "\t" || last == "\r" { s = Substring(s.unicodeScalars.dropLast()) }
        return s
    }
}
