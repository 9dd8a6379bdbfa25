import Foundation
import HubScoutCore

/// One row of `cache ls`: a cached repository, or one of its revisions (`--revisions`).
public struct CacheListEntry: Sendable, Equatable, Codable {
    /// Repository id (`org/name`).
    public var id: String
    /// The snapshot's commit for a revision row; nil for a repository row.
    public var commit: String?
    /// Bytes on disk (the repository's, each blob once; or the revision's distinct files).
    public var sizeOnDisk: Int64
    /// The latest access of its files.
    public var lastAccessed: Date?
    /// The latest modification of its files.
    public var lastModified: Date?
    /// Ref names pointing into it, sorted `main` first.
    public var refs: [String]
    /// Absolute path of the repository folder or snapshot folder.
    public var path: String

    /// The row of a whole repository.
    public init(repo: CachedRepo) {
        id = repo.id
        commit = nil
        sizeOnDisk = repo.sizeOnDisk
        lastAccessed = repo.lastAccessed
        lastModified = repo.lastModified
        refs = repo.refs.keys.sorted { CacheScanner.refOrder($0, $1) }
        path = repo.path
    }

    /// The row of one revision of `repo`.
    public init(repo: CachedRepo, revision: CachedRevision) {
        id = repo.id
        commit = revision.commit
        sizeOnDisk = revision.sizeOnDisk
        lastAccessed = revision.lastAccessed
        lastModified = revision.lastModified
        refs = revision.refs
        path = revision.path
    }
}

/// The sort keys of `cache ls --sort`, as `hf cache ls` names them.
public enum CacheSortKey: String, Sendable, CaseIterable, Codable {
    /// Repository id, A to Z by default.
    case name
    /// Bytes on disk, largest first by default.
    case size
    /// Last access, most recent first by default.
    case accessed
    /// Last modification, most recent first by default.
    case modified

    /// `hf`'s default direction: names ascending, everything else descending (biggest, newest first).
    public var descendingByDefault: Bool { self != .name }
}

/// `--sort KEY[:asc|:desc]`.
public struct CacheSort: Sendable, Equatable, CustomStringConvertible {
    /// What to sort by.
    public var key: CacheSortKey
    /// Largest / newest / Z first.
    public var descending: Bool

    /// A sort by `key`, in `descending` order (the key's default when nil).
    public init(_ key: CacheSortKey, descending: Bool? = nil) {
        self.key = key
        self.descending = descending ?? key.descendingByDefault
    }

    /// Parses `size`, `size:asc`, `name:desc` (case-insensitive); nil for anything else.
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased().split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let key = CacheSortKey(rawValue: String(parts[0])) else { return nil }
        var descending: Bool?
        if parts.count == 2 {
            switch parts[1] {
            case "asc": descending = false
            case "desc": descending = true
            default: return nil
            }
        }
        self.init(key, descending: descending)
    }

    public var description: String { key.rawValue + (descending == key.descendingByDefault ? "" : (descending ? ":desc" : ":asc")) }

    /// True when `a` comes before `b`; ties (and missing dates) fall back to the id, then the commit, so output is stable.
    public func orders(_ a: CacheListEntry, before b: CacheListEntry) -> Bool {
        func tieBreak() -> Bool {
            let (x, y) = (a.id.lowercased(), b.id.lowercased())
            return x != y ? x < y : (a.commit ?? "") < (b.commit ?? "")
        }
        switch key {
        case .name:
            let (x, y) = (a.id.lowercased(), b.id.lowercased())
            if x == y { return (a.commit ?? "") < (b.commit ?? "") }
            return descending ? x > y : x < y
        case .size:
            if a.sizeOnDisk == b.sizeOnDisk { return tieBreak() }
            return descending ? a.sizeOnDisk > b.sizeOnDisk : a.sizeOnDisk < b.sizeOnDisk
        case .accessed, .modified:
            let x = (key == .accessed ? a.lastAccessed : a.lastModified) ?? .distantPast
            let y = (key == .accessed ? b.lastAccessed : b.lastModified) ?? .distantPast
            if x == y { return tieBreak() }
            return descending ? x > y : x < y
        }
    }
}

/// One `cache ls --filter`: text is matched against the repository id (a substring, or a glob when it holds `*` or
/// `?`; case-insensitive), and `hf cache ls` expressions compare a field: `size>1GB`, `accessed>30d` (last used more
/// than 30 days ago), `modified<7d`, `refs=main`, `type=model`. A repository id cannot hold `<`, `>`, `=` or `!`, so
/// the two forms never overlap.
public enum CacheFilter: Sendable, Equatable, CustomStringConvertible {
    /// The id contains this text (lower-cased).
    case idContains(String)
    /// The whole id matches this glob (lower-cased): `*` is any run of characters, `/` included; `?` is one.
    case idGlob(String)
    /// Bytes on disk compared with a size.
    case size(Comparison, Int64)
    /// Seconds since last access compared with a duration.
    case accessed(Comparison, TimeInterval)
    /// Seconds since last modification compared with a duration.
    case modified(Comparison, TimeInterval)
    /// A ref of this name points into it (case-insensitive).
    case ref(String)
    /// The repository type is this one (the cache holds models only, so `model` keeps everything).
    case type(String)

    /// `=`, `!=`, `<`, `<=`, `>`, `>=`.
    public enum Comparison: String, Sendable, CaseIterable {
        /// `=` (`==` reads the same).
        case equal = "="
        /// `!=`.
        case notEqual = "!="
        /// `<`.
        case less = "<"
        /// `<=`.
        case lessOrEqual = "<="
        /// `>`.
        case greater = ">"
        /// `>=`.
        case greaterOrEqual = ">="

        func holds<T: Comparable>(_ left: T, _ right: T) -> Bool {
            switch self {
            case .equal: left == right
            case .notEqual: left != right
            case .less: left < right
            case .lessOrEqual: left <= right
            case .greater: left > right
            case .greaterOrEqual: left >= right
            }
        }
    }

    /// Parses one `--filter` value; the error names the keys and forms accepted.
    public init(parsing text: String) throws(InventoryError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 256 else { throw .invalidFilter(text, reason: "it is empty or too long") }
        guard let operatorStart = trimmed.firstIndex(where: { "<>=!".contains($0) }) else {
            let pattern = trimmed.lowercased()
            self = pattern.contains("*") || pattern.contains("?") ? .idGlob(pattern) : .idContains(pattern)
            return
        }
        let key = trimmed[..<operatorStart].trimmingCharacters(in: .whitespaces).lowercased()
        var rest = trimmed[operatorStart...]
        let symbol = rest.prefix { "<>=!".contains($0) }
        rest = rest.dropFirst(symbol.count)
        let value = rest.trimmingCharacters(in: .whitespaces)
        guard let comparison = Comparison(rawValue: symbol == "==" ? "=" : String(symbol)) else {
            throw .invalidFilter(text, reason: "'\(symbol)' is not one of =, !=, <, <=, >, >=")
        }
        guard !value.isEmpty else { throw .invalidFilter(text, reason: "nothing after '\(symbol)'") }
        switch key {
        case "size":
            guard let size = ByteCount.parse(value) else { throw .invalidFilter(text, reason: "'\(value)' is not a size such as 1GB or 500MiB") }
            self = .size(comparison, size.bytes)
        case "accessed", "modified":
            let seconds: TimeInterval
            do { seconds = try DurationText.parse(value) } catch { throw .invalidFilter(text, reason: "'\(value)' is not a duration such as 30d or 12h") }
            self = key == "accessed" ? .accessed(comparison, seconds) : .modified(comparison, seconds)
        case "refs", "ref":
            guard comparison == .equal else { throw .invalidFilter(text, reason: "refs takes '=' only") }
            self = .ref(value.lowercased())
        case "type":
            guard comparison == .equal else { throw .invalidFilter(text, reason: "type takes '=' only") }
            self = .type(value.lowercased())
        default:
            throw .invalidFilter(text, reason: "'\(key)' is not a filter key; use size, accessed, modified, refs or type (or text to find in the id)")
        }
    }

    public var description: String {
        switch self {
        case let .idContains(text): text
        case let .idGlob(pattern): pattern
        case let .size(op, bytes): "size\(op.rawValue)\(bytes)"
        case let .accessed(op, seconds): "accessed\(op.rawValue)\(Int(seconds))s"
        case let .modified(op, seconds): "modified\(op.rawValue)\(Int(seconds))s"
        case let .ref(name): "refs=\(name)"
        case let .type(name): "type=\(name)"
        }
    }

    /// True when `entry` passes; an entry without the date a time filter needs never passes.
    public func matches(_ entry: CacheListEntry, now: Date = Date()) -> Bool {
        switch self {
        case let .idContains(text): return entry.id.lowercased().contains(text)
        case let .idGlob(pattern): return Self.glob(Array(pattern), matches: Array(entry.id.lowercased()))
        case let .size(op, bytes): return op.holds(entry.sizeOnDisk, bytes)
        case let .accessed(op, seconds):
            guard let date = entry.lastAccessed else { return false }
            return op.holds(now.timeIntervalSince(date), seconds)
        case let .modified(op, seconds):
            guard let date = entry.lastModified else { return false }
            return op.holds(now.timeIntervalSince(date), seconds)
        case let .ref(name): return entry.refs.contains { $0.lowercased() == name || $0.lowercased() == "refs/" + name }
        case let .type(name): return name == "model" || name == "models"
        }
    }

    /// `*` and `?` glob over characters, iteratively (backtracking to the last `*`), so no pattern can blow up.
    static func glob(_ pattern: [Character], matches text: [Character]) -> Bool {
        var (p, t) = (0, 0)
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p; resume = t; p += 1
            } else if let star {
                p = star + 1; resume += 1; t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension CacheInventory {
    /// `cache ls`: one entry per repository (or per revision), kept when every filter matches, sorted, then cut to `limit`.
    /// Without a sort, entries are in id order (revisions by commit), as `hf cache ls` prints them.
    public func list(revisions: Bool = false, filters: [CacheFilter] = [], sort: CacheSort? = nil, limit: Int? = nil,
                     now: Date = Date()) -> [CacheListEntry] {
        var entries = repos.flatMap { repo in
            revisions ? repo.revisions.map { CacheListEntry(repo: repo, revision: $0) } : [CacheListEntry(repo: repo)]
        }
        entries = entries.filter { entry in filters.allSatisfy { $0.matches(entry, now: now) } }
        let order = sort ?? CacheSort(.name)
        entries.sort { order.orders($0, before: $1) }
        if let limit { entries = Array(entries.prefix(max(0, limit))) }
        return entries
    }
}
