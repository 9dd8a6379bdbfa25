import Foundation
import HubScoutCore

/// Lists the repositories of a cache root: folders, snapshot commits and refs, with the sidecar's facts.
/// Blocking file-system work, run off the storage actor (see `BlockingIO`).
struct RepositoryScanner: Sendable {
    /// The canonical storage root.
    let root: String

    /// Most repositories read.
    static let maxRepositories = 100_000

    /// Every `models--…` folder (a real directory, never a link) with at least one snapshot.
    func scan(sidecar: ServerSidecar) -> [StoredRepository] {
        var result: [StoredRepository] = []
        for name in FileProbe.list(root, limit: Self.maxRepositories) where name.hasPrefix("models--") {
            guard let parsedID = RepoID(cacheFolderName: name), let id = try? RepoID(parsedID.description) else { continue }
            let dir = root + "/" + name
            guard FileProbe.info(dir, follow: false).kind == .directory else { continue }
            var commits: [(String, Date)] = []
            for entry in FileProbe.list(dir + "/snapshots") where entry.count == 40 && GitHash.isEtag(entry) {
                let info = FileProbe.info(dir + "/snapshots/" + entry, follow: true)
                if info.kind == .directory { commits.append((entry, info.modified)) }
            }
            guard !commits.isEmpty else { continue }
            var refs: [String: String] = [:]
            var newest = commits.map(\.1).max() ?? .distantPast
            collectRefs(directory: dir + "/refs", prefix: "", depth: 0, into: &refs, newest: &newest)
            let facts = sidecar.facts(for: id.description) ?? RepoFacts()
            commits.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            result.append(StoredRepository(
                id: id, refs: refs, tagNames: Set(facts.gitTags ?? []), commits: commits.map(\.0), facts: facts,
                storedCreatedAt: commits.map(\.1).min() ?? .distantPast, storedLastModified: newest))
        }
        return result
    }

    /// Ref files (nested ones too) holding a 40-hex commit; links are not followed.
    private func collectRefs(directory: String, prefix: String, depth: Int, into refs: inout [String: String], newest: inout Date) {
        guard depth < 4 else { return }
        for name in FileProbe.list(directory, limit: 10_000) {
            let path = directory + "/" + name
            let info = FileProbe.info(path, follow: false)
            switch info.kind {
            case .directory:
                collectRefs(directory: path, prefix: prefix + name + "/", depth: depth + 1, into: &refs, newest: &newest)
            case .file where info.size <= 128:
                guard let data = FileManager.default.contents(atPath: path),
                      let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                      text.count == 40, GitHash.isEtag(text) else { continue }
                refs[prefix + name] = text
                newest = max(newest, info.modified)
            default:
                continue
            }
        }
    }
}
