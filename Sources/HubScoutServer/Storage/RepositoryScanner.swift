import Foundation
import HubScoutCache
import HubScoutCore

/// Lists the repositories of a cache root through `HubCache`'s read primitives: folders, snapshot commits and refs,
/// with the sidecar's facts. Blocking file-system work, run off the storage actor (see `BlockingIO`).
struct RepositoryScanner: Sendable {
    /// The canonical storage root.
    let root: String

    /// Caps against hostile or broken caches.
    static let limits = CacheReadLimits(maxRepositories: 100_000, maxRefs: 10_000, maxRefDepth: 4, maxFolderEntries: 1_000_000)

    /// Every `models--…` folder (a real directory, never a link) with at least one snapshot folder named by a commit.
    func scan(sidecar: ServerSidecar) -> [StoredRepository] {
        let cache = HubCache(root: root)
        var result: [StoredRepository] = []
        for folder in cache.repositoryFolders(limits: Self.limits).folders where !folder.isLink {
            var commits: [(String, Date)] = []
            for snapshot in cache.snapshotFolders(repoFolder: folder.name, limits: Self.limits) where snapshot.isWalkable {
                if let commit = snapshot.commit { commits.append((commit.value, snapshot.facts.modified)) }
            }
            guard !commits.isEmpty else { continue }
            let refs = cache.refs(repoFolder: folder.name, limits: Self.limits).refs
            let newest = max(commits.map(\.1).max() ?? .distantPast, refs.map(\.modified).max() ?? .distantPast)
            let facts = sidecar.facts(for: folder.id.description) ?? RepoFacts()
            commits.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            result.append(StoredRepository(
                id: folder.id, refs: Dictionary(refs.map { ($0.name, $0.commit.value) }, uniquingKeysWith: { first, _ in first }),
                tagNames: Set(facts.gitTags ?? []), commits: commits.map(\.0), facts: facts,
                storedCreatedAt: commits.map(\.1).min() ?? .distantPast, storedLastModified: newest))
        }
        return result
    }
}
