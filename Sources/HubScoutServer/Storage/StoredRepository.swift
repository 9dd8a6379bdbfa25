import Foundation
import HubScoutCore

/// One repository as a storage knows it: identity, refs, commits and the facts a cache cannot hold.
public struct StoredRepository: Sendable, Equatable {
    /// The canonical id (casing as stored).
    public var id: RepoID
    /// Branch-like refs (`main`, `refs/pr/1`, …) → 40-hex commit.
    public var refs: [String: String]
    /// Names in `refs` that are tags rather than branches.
    public var tagNames: Set<String>
    /// Commits that have a snapshot, newest first.
    public var commits: [String]
    /// Sidecar facts (downloads, likes, gating, …); defaults when the sidecar says nothing.
    public var facts: RepoFacts
    /// When the repository first appeared in storage (oldest snapshot), unless the sidecar says otherwise.
    public var storedCreatedAt: Date
    /// When the repository last changed in storage (newest snapshot or ref), unless the sidecar says otherwise.
    public var storedLastModified: Date

    /// Creates a repository record.
    public init(id: RepoID, refs: [String: String] = [:], tagNames: Set<String> = [], commits: [String] = [],
                facts: RepoFacts = .init(), storedCreatedAt: Date = Date(timeIntervalSince1970: 0),
                storedLastModified: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id; self.refs = refs; self.tagNames = tagNames; self.commits = commits; self.facts = facts
        self.storedCreatedAt = storedCreatedAt; self.storedLastModified = storedLastModified
    }

    /// The commit of the default branch (`main`), else the newest snapshot.
    public var headCommit: String? { refs["main"] ?? commits.first }

    /// Resolves a branch, tag, `refs/pr/N`, full or short (≥ 5 hex) commit id to a stored commit; nil when unknown or ambiguous.
    public func resolve(revision: String) -> String? {
        if let commit = refs[revision], commits.contains(commit) { return commit }
        let lower = revision.lowercased()
        guard (5...40).contains(lower.count), lower.allSatisfy(\.isHexDigit) else { return nil }
        let matches = commits.filter { $0.hasPrefix(lower) }
        return matches.count == 1 ? matches[0] : nil
    }

    /// `createdAt` as the API reports it: the sidecar's value, else the storage's.
    public var createdAt: Date { facts.createdAt.flatMap(HubDate.parse) ?? storedCreatedAt }
    /// `lastModified` as the API reports it: the sidecar's value, else the storage's.
    public var lastModified: Date { facts.lastModified.flatMap(HubDate.parse) ?? storedLastModified }
    /// The gating mode, `notGated` unless the sidecar gates the repository.
    public var gated: GatedMode { facts.gated ?? .notGated }
    /// Whether the repository is private.
    public var isPrivate: Bool { facts.isPrivate ?? false }
}
