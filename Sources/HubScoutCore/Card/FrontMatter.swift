/// Splits a Markdown document into its YAML front matter (between a first line `---` and the next `---`) and body.
public struct FrontMatter: Sendable, Equatable {
    /// The YAML text without the fences; nil when the document has none.
    public var yaml: String?
    /// The Markdown after the closing fence (the whole text when there is no front matter).
    public var body: String

    /// Splits `markdown`. An opening fence without a closing one is not front matter: the whole text is body.
    public init(splitting markdown: String) {
        var text = Substring(markdown)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, Self.isFence(first) else {
            yaml = nil
            body = String(text)
            return
        }
        for index in lines.indices.dropFirst() where Self.isFence(lines[index]) || Self.isEnd(lines[index]) {
            yaml = lines[1..<index].joined(separator: "\n")
            body = lines[(index + 1)...].joined(separator: "\n")
            return
        }
        yaml = nil
        body = String(text)
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
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
