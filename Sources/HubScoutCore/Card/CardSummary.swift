/// Extracts a clean one-paragraph summary from a card body: the first paragraph of prose,
/// skipping headings, badges and images, HTML, tables, code, lists, quotes and link-only lines.
public enum CardSummary {
    /// The first meaningful paragraph of `body`, inline Markdown removed, whitespace collapsed,
    /// cut at a word boundary to at most `limit` characters (an ellipsis marks a cut). Nil when there is none.
    public static func extract(from body: String, limit: Int = CardLimits.defaultSummaryLength) -> String? {
        var paragraph: [String] = []
        var inFence: Substring?
        var inComment = false
        for rawLine in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: " \t\r")
            if let fence = inFence {
                if line.hasPrefix(fence) { inFence = nil }
                continue
            }
            if inComment {
                if line.contains("-->") { inComment = false }
                continue
            }
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                if let done = finish(paragraph, limit: limit) { return done }
                paragraph = []
                inFence = line.prefix(3)
                continue
            }
            if line.hasPrefix("<!--") {
                if !line.contains("-->") { inComment = true }
                if let done = finish(paragraph, limit: limit) { return done }
                paragraph = []
                continue
            }
            if line.isEmpty || !isProse(line) {
                if let done = finish(paragraph, limit: limit) { return done }
                paragraph = []
                continue
            }
            paragraph.append(String(line))
        }
        return finish(paragraph, limit: limit)
    }

    /// A cleaned paragraph when it is long enough to be a sentence, else nil.
    private static func finish(_ lines: [String], limit: Int) -> String? {
        guard !lines.isEmpty else { return nil }
        let text = clean(lines.joined(separator: " "))
        // Short fragments ("Model card", "[More Information Needed]") are not a summary.
        guard text.count >= 20, text.split(separator: " ").count >= 4 else { return nil }
        return cap(text, limit: limit)
    }

    private static func isProse(_ line: Substring) -> Bool {
        if line.hasPrefix("#") || line.hasPrefix("|") || line.hasPrefix(">") || line.hasPrefix("<") { return false }
        if line.hasPrefix("![") || line.hasPrefix("[![") { return false }
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { return false }
        if let first = line.first, first.isNumber, line.drop(while: \.isNumber).hasPrefix(". ") { return false }
        if line.allSatisfy({ "-=*_".contains($0) || $0 == " " }) { return false }  // rules and setext underlines
        if line.contains("|") && line.contains("---") { return false }              // table separator rows
        if line.contains("[More Information Needed]") { return false }
        // A line made only of links, images and separators is navigation, not prose.
        return !clean(String(line)).isEmpty && !isLinkOnly(line)
    }

    private static func isLinkOnly(_ line: Substring) -> Bool {
        var rest = removeLinks(String(line), keepText: false)
        rest.removeAll { " |·•-–—,:;/".contains($0) }
        return rest.isEmpty
    }

    /// Removes inline Markdown and HTML, collapses whitespace.
    static func clean(_ text: String) -> String {
        var s = removeHTMLTags(text)
        s = removeLinks(s, keepText: true)
        s.removeAll { $0 == "`" || $0 == "*" }
        s = s.replacingOccurrences(of: "__", with: "")
        return s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `![alt](url)` → nothing; `[text](url)` → text (or nothing); bare `<url>` autolinks are dropped by the HTML pass.
    private static func removeLinks(_ text: String, keepText: Bool) -> String {
        var out = ""
        var chars = Substring(text)
        while let open = chars.firstIndex(where: { $0 == "[" || $0 == "!" }) {
            out += chars[..<open]
            var rest = chars[open...]
            let isImage = rest.hasPrefix("![")
            if isImage { rest = rest.dropFirst() }
            guard rest.hasPrefix("["), let close = matchingBracket(in: rest) else {
                out.append(chars[open])
                chars = chars[chars.index(after: open)...]
                continue
            }
            let label = rest[rest.index(after: rest.startIndex)..<close]
            var after = rest[rest.index(after: close)...]
            if after.hasPrefix("("), let end = after.firstIndex(of: ")") {
                after = after[after.index(after: end)...]
            } else if after.hasPrefix("["), let end = after.firstIndex(of: "]") {
                after = after[after.index(after: end)...]
            } else if !isImage {
                // Plain brackets, not a link: keep them.
                out += "[" + removeLinks(String(label), keepText: keepText) + "]"
                chars = after
                continue
            }
            if keepText && !isImage { out += removeLinks(String(label), keepText: true) }
            chars = after
        }
        out += chars
        return out
    }

    private static func matchingBracket(in s: Substring) -> Substring.Index? {
        var depth = 0
        for i in s.indices {
            if s[i] == "[" { depth += 1 }
            if s[i] == "]" { depth -= 1; if depth == 0 { return i } }
        }
        return nil
    }

    private static func removeHTMLTags(_ text: String) -> String {
        var out = ""
        var inTag = false
        for ch in text {
            if ch == "<" { inTag = true; continue }
            if ch == ">" && inTag { inTag = false; continue }
            if !inTag { out.append(ch) }
        }
        return out
    }

    /// Cuts at the last space before `limit` and appends an ellipsis.
    private static func cap(_ text: String, limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        let hard = text.prefix(limit - 1)
        let cut = hard.lastIndex(of: " ").map { hard[..<$0] } ?? hard
        return cut.trimmingCharacters(in: " ,;:") + "…"
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> Substring {
        let s = Substring(self)
        let start = s.firstIndex { !set.contains($0) } ?? s.endIndex
        let end = s.lastIndex { !set.contains($0) }.map { s.index(after: $0) } ?? start
        return start < end ? s[start..<end] : s[start..<start]
    }
}
