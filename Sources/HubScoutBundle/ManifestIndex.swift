import HubScoutCache
import HubScoutCore

/// A manifest checked once, field by field, and indexed by member name: every id typed (`RepoID`,
/// `CommitHash`, `BlobID`), every path a `SafeRelativePath`, sizes summed with checked arithmetic.
/// Members of the archive are matched against this index, never against raw manifest text.
struct ManifestIndex: Sendable {
    /// One file the bundle must hold.
    struct Entry: Sendable {
        var repoIndex: Int
        var repo: RepoID
        var commit: CommitHash
        var path: SafeRelativePath
        var blob: BlobID
        var size: Int64
        var member: String
    }

    /// One repository revision.
    struct Repo: Sendable {
        var id: RepoID
        var commit: CommitHash
        var refs: [String]
        /// Member names of its files.
        var members: [String]
    }

    let manifest: BundleManifest
    let repos: [Repo]
    /// Every file, by member name.
    let entries: [String: Entry]
    /// Member names in manifest order.
    let order: [String]
    /// Bytes of all files.
    let totalBytes: Int64

    init(_ manifest: BundleManifest) throws(BundleError) {
        guard manifest.formatVersion == BundleManifest.currentFormatVersion else {
            throw .unsupportedManifestVersion(found: manifest.formatVersion, supported: BundleManifest.currentFormatVersion)
        }
        var repos: [Repo] = []
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var sizes: [Int64] = []
        for (repoIndex, repo) in manifest.repos.enumerated() {
            let id: RepoID
            do { id = try RepoID(repo.id) } catch { throw .invalidManifest("repository \(repo.id): \(error.description)") }
            guard let commit = CommitHash(repo.commit) else {
                throw .invalidManifest("the commit of \(repo.id) is not 40 lower-case hex digits: \(BundleError.shown(repo.commit))")
            }
            var refs: [String] = []
            for ref in repo.refs {
                // A ref becomes `refs/<name>`: the same rules as a repository path, and never a commit id.
                guard (try? SafeRelativePath(ref)) != nil, !CommitHash.isCommitHash(ref) else {
                    throw .invalidManifest("\(repo.id) has an unusable ref name '\(BundleError.shown(ref))'")
                }
                refs.append(ref)
            }
            var members: [String] = []
            for file in repo.files {
                let path: SafeRelativePath
                do { path = try SafeRelativePath(file.path) } catch {
                    throw .unsafeMember(BundleManifest.memberName(repo: id, commit: commit.value, path: file.path), reason: error.description)
                }
                let member = BundleManifest.memberName(repo: id, commit: commit.value, path: path.value)
                guard file.size >= 0 else { throw .invalidManifest("\(member) has a negative size") }
                guard let blob = file.blobID else {
                    throw .invalidManifest("\(member) has no valid \(file.lfs ? "sha256 (64 hex digits)" : "git blob id (40 hex digits)")")
                }
                guard entries[member] == nil else { throw .duplicateMember(member) }
                entries[member] = Entry(repoIndex: repoIndex, repo: id, commit: commit, path: path, blob: blob, size: file.size, member: member)
                order.append(member)
                members.append(member)
                sizes.append(file.size)
            }
            repos.append(Repo(id: id, commit: commit, refs: refs, members: members))
        }
        do { totalBytes = try ByteTotal.sum(sizes, field: "total size") } catch {
            throw .invalidManifest("the file sizes do not add up in 64 bits")
        }
        self.manifest = manifest
        self.repos = repos
        self.entries = entries
        self.order = order
    }

    /// The first two member names (or folders on their way) that are equal ignoring case, if any:
    /// on a case-insensitive disk they would land on one file.
    func caseCollision() -> (String, String)? {
        var seen: [String: String] = [:]
        for member in order {
            // Every folder on the way counts too: `A/x` and `a/y` share a folder there.
            let parts = member.split(separator: "/", omittingEmptySubsequences: false)
            var prefix = ""
            for (index, part) in parts.enumerated() {
                prefix += (index == 0 ? "" : "/") + part
                let key = prefix.lowercased()
                if let other = seen[key], other != prefix { return (other, prefix) }
                seen[key] = prefix
            }
        }
        return nil
    }
}
