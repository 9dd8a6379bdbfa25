import Foundation
import HubScoutCore

/// Frees space in a Hugging Face cache without ever breaking a snapshot that stays: a blob is deleted
/// only when no remaining snapshot of its repository links to it (checked when planning, and again on
/// disk right before the blob is deleted). Plans are plain values, so `--dry-run` prints one and stops.
public struct CacheCleaner: Sendable {
    /// The cache as scanned.
    public let inventory: CacheInventory

    /// Partial downloads and unreferenced blobs younger than this are left alone (a download may be writing them).
    public var inProgressGrace: TimeInterval

    /// A cleaner over `inventory`.
    public init(inventory: CacheInventory, inProgressGrace: TimeInterval = 3600) {
        self.inventory = inventory
        self.inProgressGrace = inProgressGrace
    }

    // MARK: - Planning

    /// `rm REPO[@REV]`: the whole repository, or one revision (a ref, commit or unique commit prefix) with
    /// the refs pointing to it and the blobs no other snapshot uses. Removing the last revision removes the folder.
    public func planRemoval(repo id: String, revision: String? = nil) throws(InventoryError) -> CleanupPlan {
        guard let repo = inventory.repo(id) else { throw .repoNotCached(repo: id, cacheRoot: inventory.root) }
        guard let revision else {
            return CleanupPlan(actions: withStoreReleases([repositoryAction(repo, reason: "removed on request")]))
        }
        guard let found = repo.revision(revision) else {
            throw .revisionNotCached(repo: repo.id, revision: revision,
                                     available: repo.revisions.map { ($0.refs + [String($0.commit.prefix(12))]).joined(separator: "/") })
        }
        return CleanupPlan(actions: withStoreReleases(actions(removing: [found.commit], from: repo, reason: "removed on request")))
    }

    /// `rm TARGET…`: several repositories or revisions at once. Revisions of one repository are planned together, so
    /// blobs only they share go too, and naming every revision (or the repository) removes the whole folder.
    public func planRemoval(_ targets: [CacheTarget]) throws(InventoryError) -> CleanupPlan {
        var whole = Set<String>()
        var commits: [String: Set<String>] = [:]
        var order: [String] = []
        for target in targets {
            let repo: CachedRepo
            let commit: String?
            switch target {
            case let .repo(id, revision):
                guard let found = inventory.repo(id) else { throw .repoNotCached(repo: id, cacheRoot: inventory.root) }
                repo = found
                if let revision {
                    guard let match = found.revision(revision) else {
                        throw .revisionNotCached(repo: found.id, revision: revision,
                                                 available: found.revisions.map { ($0.refs + [String($0.commit.prefix(12))]).joined(separator: "/") })
                    }
                    commit = match.commit
                } else {
                    commit = nil
                }
            case let .commit(hash):
                let lowered = hash.lowercased()
                guard let found = inventory.repos.first(where: { $0.revisions.contains { $0.commit == lowered } }) else {
                    throw .repoNotCached(repo: hash, cacheRoot: inventory.root)
                }
                repo = found
                commit = lowered
            }
            if !order.contains(repo.id) { order.append(repo.id) }
            if let commit { commits[repo.id, default: []].insert(commit) } else { whole.insert(repo.id) }
        }
        var actions: [CleanupAction] = []
        for id in order {
            guard let repo = inventory.repo(id) else { continue }
            if whole.contains(id) {
                actions.append(repositoryAction(repo, reason: "removed on request"))
            } else {
                actions += self.actions(removing: commits[id] ?? [], from: repo, reason: "removed on request")
            }
        }
        return CleanupPlan(actions: withStoreReleases(actions))
    }

    /// `gc`: partial downloads and unreferenced blobs older than the grace period (or `olderThan`, if longer);
    /// revisions not used for `olderThan`; then least recently used revisions until the cache is at most `maxSize`.
    public func planGC(olderThan: TimeInterval? = nil, maxSize: Int64? = nil, now: Date = Date()) -> CleanupPlan {
        let staleBefore = now.addingTimeInterval(-max(olderThan ?? inProgressGrace, inProgressGrace))
        var removals: [String: Set<String>] = [:]     // repo id → commits to remove
        var reasons: [String: String] = [:]           // repo id + commit → reason
        let revisions = inventory.repos.flatMap { repo in repo.revisions.map { (repo, $0) } }

        if let olderThan {
            let cutoff = now.addingTimeInterval(-olderThan)
            for (repo, revision) in revisions where (revision.lastAccessed ?? .distantPast) < cutoff {
                removals[repo.id, default: []].insert(revision.commit)
                reasons[repo.id + "@" + revision.commit] = "last used \(Self.day(revision.lastAccessed)), before the --older-than cutoff"
            }
        }

        func plan() -> [CleanupAction] {
            var actions: [CleanupAction] = []
            for repo in inventory.repos {
                let commits = removals[repo.id] ?? []
                if !commits.isEmpty {
                    let reason = commits.count == 1 ? (reasons[repo.id + "@" + (commits.first ?? "")] ?? "least recently used")
                        : "least recently used / older than the cutoff"
                    let repoActions = self.actions(removing: commits, from: repo, reason: reason)
                    actions += repoActions
                    if repoActions.contains(where: { $0.kind == .repository }) { continue }
                }
                // Leftovers of interrupted downloads in repositories that stay.
                for file in repo.incomplete where file.modified < staleBefore {
                    actions.append(CleanupAction(kind: .incomplete, repo: repo.id, commit: nil, path: file.path, bytes: file.size,
                                                 reason: "partial download untouched since \(Self.day(file.modified))"))
                }
                for blob in repo.blobs where blob.referencedBy.isEmpty && blob.modified < staleBefore
                    && !actions.contains(where: { $0.kind == .blob && $0.path == blob.path }) {
                    actions.append(CleanupAction(kind: .blob, repo: repo.id, commit: nil, path: blob.path, bytes: blob.bytesFreedByRemoval,
                                                 reason: "no snapshot links to it"))
                }
            }
            return withStoreReleases(actions + unlinkedStoreBlobs(before: staleBefore))
        }

        var actions = plan()
        if let maxSize {
            // Least recently used first, across repositories.
            let byAge = revisions.sorted { ($0.1.lastAccessed ?? .distantPast) < ($1.1.lastAccessed ?? .distantPast) }
            var index = 0
            while inventory.totalBytes - ByteTotal.saturatingSum(actions.map(\.bytes)) > maxSize, index < byAge.count {
                let (repo, revision) = byAge[index]
                index += 1
                guard !(removals[repo.id]?.contains(revision.commit) ?? false) else { continue }
                removals[repo.id, default: []].insert(revision.commit)
                reasons[repo.id + "@" + revision.commit] = "least recently used (last used \(Self.day(revision.lastAccessed))) to get under --max-size"
                actions = plan()
            }
        }
        return CleanupPlan(actions: actions)
    }

    /// `prune`, as `hf cache prune` does it: every detached revision (no ref points to it), with the blobs only
    /// it used, and partial downloads. Blobs a remaining revision links to stay; a repository whose revisions are
    /// all detached goes whole. Unlike `hf`, partial downloads younger than the grace period stay (one may be running).
    public func planPrune(now: Date = Date()) -> CleanupPlan {
        let staleBefore = now.addingTimeInterval(-inProgressGrace)
        var actions: [CleanupAction] = []
        for repo in inventory.repos {
            let detached = Set(repo.detachedRevisions.map(\.commit))
            if !detached.isEmpty {
                let repoActions = self.actions(removing: detached, from: repo, reason: "no ref points to it (detached)")
                actions += repoActions
                if repoActions.contains(where: { $0.kind == .repository }) { continue }
            }
            for file in repo.incomplete where file.modified < staleBefore {
                actions.append(CleanupAction(kind: .incomplete, repo: repo.id, commit: nil, path: file.path, bytes: file.size,
                                             reason: "partial download untouched since \(Self.day(file.modified))"))
            }
        }
        return CleanupPlan(actions: withStoreReleases(actions + unlinkedStoreBlobs(before: staleBefore)))
    }

    // MARK: - The shared store

    /// Store blobs no repository entry links to, neither they nor their manifests changed since `cutoff`: huggingface_hub
    /// lists a new link in the manifest before it creates the link, so a recent change may be a link on its way.
    func unlinkedStoreBlobs(before cutoff: Date) -> [CleanupAction] {
        (inventory.store?.unlinked ?? []).filter { $0.modified < cutoff && ($0.manifestModified ?? .distantPast) < cutoff }.map {
            CleanupAction(kind: .storeBlob, repo: "", commit: nil, path: $0.path, bytes: $0.size,
                          reason: "shared store blob no repository links to")
        }
    }

    /// `actions` plus the store blobs they leave unlinked: a store blob goes only when every entry linking to it
    /// (by the links found on disk, not the manifest) is removed by these actions. Ordered for running.
    func withStoreReleases(_ actions: [CleanupAction]) -> [CleanupAction] {
        guard let store = inventory.store else { return Self.ordered(actions) }
        var removedEntries = Set<String>()
        for action in actions {
            guard let repo = inventory.repo(action.repo) else { continue }
            switch action.kind {
            case .repository:
                for blob in repo.blobs where blob.storePath != nil { removedEntries.insert(SharedBlobStore.entryName(repoFolder: repo.folder, blob: blob.name)) }
            case .blob:
                removedEntries.insert(SharedBlobStore.entryName(repoFolder: repo.folder, blob: (action.path as NSString).lastPathComponent))
            default: break
            }
        }
        let planned = Set(actions.filter { $0.kind == .storeBlob }.map(\.path))
        var all = actions
        for blob in store.blobs where !blob.linkedBy.isEmpty && !planned.contains(blob.path) && blob.linkedBy.allSatisfy(removedEntries.contains) {
            all.append(CleanupAction(kind: .storeBlob, repo: "", commit: nil, path: blob.path, bytes: blob.size,
                                     reason: "shared store blob only the removed entries linked to"))
        }
        return Self.ordered(all)
    }

    /// The deletions that remove `commits` from `repo`: everything when no revision would remain.
    func actions(removing commits: Set<String>, from repo: CachedRepo, reason: String) -> [CleanupAction] {
        let remaining = repo.revisions.filter { !commits.contains($0.commit) }
        if remaining.isEmpty { return [repositoryAction(repo, reason: reason)] }
        // Blobs any remaining snapshot links to: never deleted.
        let kept = Set(remaining.flatMap { $0.files.compactMap(\.blob) })
        var actions: [CleanupAction] = []
        var planned = Set<String>()
        for revision in repo.revisions where commits.contains(revision.commit) {
            // Plain files (no blob) live in the snapshot folder itself.
            let plainBytes = ByteTotal.saturatingSum(revision.files.filter { $0.blob == nil && !$0.missing }.map(\.size))
            actions.append(CleanupAction(kind: .revision, repo: repo.id, commit: revision.commit, path: revision.path,
                                         bytes: plainBytes, reason: reason))
            for ref in revision.refs {
                actions.append(CleanupAction(kind: .ref, repo: repo.id, commit: revision.commit, path: repo.path + "/refs/" + ref,
                                             bytes: 0, reason: "pointed to the removed revision"))
            }
            for name in Set(revision.files.compactMap(\.blob)) where !kept.contains(name) && planned.insert(name).inserted {
                guard let blob = repo.blobs.first(where: { $0.name == name }) else { continue }
                actions.append(CleanupAction(kind: .blob, repo: repo.id, commit: revision.commit, path: blob.path, bytes: blob.bytesFreedByRemoval,
                                             reason: "only used by the removed revision"))
            }
        }
        return Self.ordered(actions)
    }

    /// The whole folder: its bytes without the shared-store blobs it links to (those are counted on `.storeBlob`
    /// actions, when nothing else links to them).
    private func repositoryAction(_ repo: CachedRepo, reason: String) -> CleanupAction {
        CleanupAction(kind: .repository, repo: repo.id, commit: nil, path: repo.path, bytes: repo.sizeOnDisk - repo.sharedBytes, reason: reason)
    }

    /// Snapshot folders first (so no link points to a deleted blob at any moment), then refs, blobs, partial files, folders.
    static func ordered(_ actions: [CleanupAction]) -> [CleanupAction] {
        let rank: [CleanupAction.Kind: Int] = [.revision: 0, .ref: 1, .blob: 2, .incomplete: 3, .repository: 4, .storeBlob: 5]
        return actions.enumerated().sorted { a, b in
            let (x, y) = (rank[a.element.kind] ?? 9, rank[b.element.kind] ?? 9)
            return x == y ? a.offset < b.offset : x < y
        }.map(\.element)
    }

    static func day(_ date: Date?) -> String {
        guard let date else { return "never" }
        return String(HubDate.format(date).prefix(10))
    }

    // MARK: - Running

    /// Deletes what `plan` lists. Before each blob, the repository's remaining snapshots are re-read from
    /// disk and the blob is skipped if any of them links to it (a download may have added one since the scan).
    public func execute(_ plan: CleanupPlan) -> CleanupResult {
        var result = CleanupResult(removed: [], skipped: [])
        let scanner = CacheScanner(root: inventory.root)
        for action in plan.actions {
            switch action.kind {
            case .blob:
                guard let repo = inventory.repo(action.repo) else { continue }
                var warnings: [String] = []
                let name = (action.path as NSString).lastPathComponent
                if let current = scanner.scanRepo(folder: repo.folder, warnings: &warnings),
                   let users = current.blobs.first(where: { $0.name == name })?.referencedBy, !users.isEmpty {
                    result.skipped.append(.init(action: action, reason: "still linked from snapshot \(users[0])"))
                    continue
                }
                let storeHash = storeHash(linkedFrom: action.path)
                remove(action, into: &result)
                if let storeHash, let store = sharedStore {
                    try? store.removeManifestEntry(SharedBlobStore.entryName(repoFolder: repo.folder, blob: name), from: storeHash)
                }
            case .incomplete:
                remove(action, into: &result)
                // hubscout keeps a resume sidecar beside its partial files.
                let sidecar = action.path + ".json"
                if FileManager.default.fileExists(atPath: sidecar) { try? FileManager.default.removeItem(atPath: sidecar) }
            case .repository:
                // The manifests of the store blobs it linked to stop naming it (they are hints, kept tidy as hf does).
                let storeLinks = inventory.repo(action.repo)?.blobs.compactMap { blob in
                    storeHash(linkedFrom: blob.path).map { (blob.name, $0) }
                } ?? []
                remove(action, into: &result)
                if let repo = inventory.repo(action.repo) {
                    try? FileManager.default.removeItem(atPath: inventory.root + "/.locks/" + repo.folder)
                    if let store = sharedStore {
                        for (name, hash) in storeLinks {
                            try? store.removeManifestEntry(SharedBlobStore.entryName(repoFolder: repo.folder, blob: name), from: hash)
                        }
                    }
                }
            case .storeBlob:
                // Deleted only if, checked again on disk under its lock, nothing links to it.
                let hash = (action.path as NSString).lastPathComponent
                guard let store = sharedStore else { continue }
                do {
                    if try store.releaseIfUnlinked(cacheRoot: inventory.root, hash: hash) > 0 {
                        result.removed.append(action)
                    } else if FileFacts.lstat(action.path) == nil {
                        result.skipped.append(.init(action: action, reason: "already gone"))
                    } else {
                        let users = store.linkingEntries(cacheRoot: inventory.root, hash: hash)
                        result.skipped.append(.init(action: action, reason: "still linked from \(users.first ?? "another repository")"))
                    }
                } catch {
                    result.skipped.append(.init(action: action, reason: "\(error)"))
                }
            case .revision, .ref:
                remove(action, into: &result)
                if action.kind == .ref { removeEmptyParents(of: action.path, upTo: (inventory.repo(action.repo)?.path ?? "") + "/refs") }
            }
        }
        return result
    }

    /// The cache's shared store, when it has one.
    private var sharedStore: SharedBlobStore? { FileFacts.realPath(inventory.root).flatMap(SharedBlobStore.init(realRoot:)) }

    /// The store blob hash a repository blob entry links to, nil for a blob of its own.
    private func storeHash(linkedFrom path: String) -> String? {
        guard let store = sharedStore, FileFacts.lstat(path)?.isSymlink == true, let real = FileFacts.realPath(path) else { return nil }
        return store.hash(ofBlobAt: real)
    }

    private func remove(_ action: CleanupAction, into result: inout CleanupResult) {
        do {
            try FileManager.default.removeItem(atPath: action.path)
            result.removed.append(action)
        } catch {
            if !FileManager.default.fileExists(atPath: action.path) {
                result.skipped.append(.init(action: action, reason: "already gone"))
            } else {
                result.skipped.append(.init(action: action, reason: error.localizedDescription))
            }
        }
    }

    /// Removes `refs/pr/` left empty after deleting `refs/pr/1`.
    private func removeEmptyParents(of path: String, upTo stop: String) {
        var folder = (path as NSString).deletingLastPathComponent
        while folder.count > stop.count, folder.hasPrefix(stop + "/"),
              (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true {
            try? FileManager.default.removeItem(atPath: folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
    }
}
