/// A shell-style pattern with Python `fnmatch.fnmatchcase` semantics, as huggingface_hub filters files:
/// case-sensitive, `*` matches any run of characters including `/`, `?` one character, `[abc]`/`[!abc]`/`[a-z]`
/// a set; a pattern ending in `/` matches everything under that folder.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as given.
    public let text: String
    private let tokens: [Token]

    private enum Token: Hashable {
        case literal(Character)
        case any
        case star
        case set(items: [SetItem], negated: Bool)
    }

    private enum SetItem: Hashable {
        case single(Character)
        case range(Character, Character)
    }

    /// Longest pattern accepted.
    static let maxLength = 1_024

    /// Parses a pattern; an unclosed `[` is a literal `[`, as in fnmatch.
    public init(_ pattern: String) throws(DownloadError) {
        guard pattern.count <= Self.maxLength else { throw .invalidPattern(String(pattern.prefix(40)), reason: "it is longer than \(Self.maxLength) characters") }
        text = pattern
        var source = Array(pattern)
        if source.last == "/" { source.append("*") }
        var result: [Token] = []
        var index = 0
        while index < source.count {
            let character = source[index]
            switch character {
            case "*":
                if result.last != .star { result.append(.star) }
                index += 1
            case "?":
                result.append(.any)
                index += 1
            case "[":
                if let (token, next) = Self.parseSet(source, from: index) {
                    result.append(token)
                    index = next
                } else {
                    result.append(.literal("["))
                    index += 1
                }
            default:
                result.append(.literal(character))
                index += 1
            }
        }
        tokens = result
    }

    /// True when the pattern has a wildcard (otherwise it names one path).
    public static func hasWildcard(_ text: String) -> Bool { text.contains { "*?[".contains($0) } || text.hasSuffix("/") }

    private static func parseSet(_ source: [Character], from start: Int) -> (Token, Int)? {
        var index = start + 1
        var negated = false
        if index < source.count, source[index] == "!" { negated = true; index += 1 }
        var items: [SetItem] = []
        var first = true
        while index < source.count {
            let character = source[index]
            if character == "]" && !first { return (.set(items: items, negated: negated), index + 1) }
            first = false
            if index + 2 < source.count, source[index + 1] == "-", source[index + 2] != "]" {
                items.append(.range(character, source[index + 2]))
                index += 3
            } else {
                items.append(.single(character))
                index += 1
            }
        }
        return nil
    }

    /// True when `path` matches the whole pattern. Linear backtracking on the last `*` keeps hostile
    /// patterns from exploding.
    public func matches(_ path: String) -> Bool {
        let text = Array(path)
        var t = 0, p = 0
        var starToken = -1, starText = 0
        while t < text.count {
            if p < tokens.count, tokens[p] != .star, Self.matchOne(tokens[p], text[t]) {
                t += 1; p += 1
            } else if p < tokens.count, tokens[p] == .star {
                starToken = p; starText = t; p += 1
            } else if starToken >= 0 {
                p = starToken + 1; starText += 1; t = starText
            } else {
                return false
            }
        }
        while p < tokens.count, tokens[p] == .star { p += 1 }
        return p == tokens.count
    }

    private static func matchOne(_ token: Token, _ character: Character) -> Bool {
        switch token {
        case let .literal(expected): return expected == character
        case .any: return true
        case .star: return true
        case let .set(items, negated):
            let hit = items.contains { item in
                switch item {
                case let .single(c): c == character
                case let .range(low, high): low <= character && character <= high
                }
            }
            return hit != negated
        }
    }

    /// The pattern as given.
    public var description: String { text }
}
