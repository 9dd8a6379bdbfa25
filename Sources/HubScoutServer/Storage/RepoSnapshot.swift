import HubScoutCore

/// The content of one commit: its files (sorted by path) and what the server derives from them.
public struct RepoSnapshot: Sendable, Equatable {
    /// The 40-hex commit id.
    public var commit: String
    /// The files of the commit, sorted by path.
    public var files: [StoredFile]
    /// The README front matter as JSON (`cardData`), when the README has one.
    public var cardData: JSONValue?
    /// The API's `config` summary built from `config.json`, when present.
    public var configSummary: JSONValue?

    /// Creates a snapshot.
    public init(commit: String, files: [StoredFile], cardData: JSONValue? = nil, configSummary: JSONValue? = nil) {
        self.commit = commit; self.files = files.sorted { $0.path < $1.path }
        self.cardData = cardData; self.configSummary = configSummary
    }

    /// The file at `path` (case-sensitive, as on the Hub).
    public func file(at path: String) -> StoredFile? {
        var low = 0, high = files.count
        while low < high {
            let mid = (low + high) / 2
            if files[mid].path < path { low = mid + 1 } else { high = mid }
        }
        return low < files.count && files[low].path == path ? files[low] : nil
    }
}
