import Foundation
import HubScoutCache
import HubScoutCore

/// Inspects a model already in the local Hugging Face cache, without the network (`HF_HUB_OFFLINE`, or a Hub that
/// cannot be reached): the snapshot's files stand for the listing, and config.json, the card and the
/// safetensors/GGUF headers are read from the cached files through the same code as an online inspection.
/// What only the Hub knows (downloads, likes, gating, the API's parameter count) is absent, not guessed.
public struct CachedModelInspector: Sendable {
    /// The cache read.
    public let cache: HubCache
    /// Most weight files whose headers are read per repo.
    public var maxHeaderFiles: Int

    /// An inspector over `cache`.
    public init(cache: HubCache, maxHeaderFiles: Int = 64) {
        self.cache = cache
        self.maxHeaderFiles = maxHeaderFiles
    }

    /// Inspects the snapshot `revision` (a ref name or a commit; default `main`) of `repo`.
    /// - Throws: `InspectionError.notInCache` when the cache has no such snapshot.
    public func inspect(_ repo: RepoID, revision: String? = nil, readHeaders: Bool = true, readCard: Bool = true) async throws -> ModelInspection {
        let ref = revision ?? "main"
        let cache = self.cache
        let found = try await BlockingWork.run { () -> (id: String, commit: CommitHash, listing: CacheSnapshotListing)? in
            let folder = cache.repoFolderName(for: repo)
            guard let commit = cache.commit(repoFolder: folder, revision: ref),
                  let listing = cache.snapshotEntries(repoFolder: folder, snapshot: commit.value) else { return nil }
            return (HubCache.repoID(folderName: folder)?.description ?? repo.description, commit, listing)
        }
        guard let found, !found.listing.entries.isEmpty else {
            throw InspectionError.notInCache(repo: repo.description, revision: ref, cacheRoot: cache.root)
        }
        // Only content that is the repository's own counts (a link out of the cache is not this model's file).
        let entries = found.listing.entries.filter { $0.isContained && $0.contentPath != nil && $0.content != nil }
        var contents: [String: String] = [:]
        var siblings: [RepoSibling] = []
        for entry in entries {
            guard let location = entry.contentPath, let size = entry.content?.size else { continue }
            contents[entry.path] = location
            let lfs = entry.blobID.flatMap { $0.isSHA256 ? LFSInfo(sha256: $0.value, size: size) : nil }
            siblings.append(RepoSibling(path: entry.path, size: size, lfs: lfs))
        }
        let source = CacheFileSource(contents: contents)
        var info = ModelInfo(id: found.id, sha: found.commit.value, siblings: siblings)
        // The card is the only source of task, library and license offline; read it first so the file
        // classification (MLX) and the report see them.
        if let data = try? await source.smallFile("README.md", maxBytes: 4 << 20) {
            let metadata = ModelCard(data: data).metadata
            info.libraryName = metadata.libraryName
            info.pipelineTag = metadata.pipelineTag
            info.tags = metadata.licenses.map { "license:" + $0 }
        }
        var inspection = try await FactGatherer(maxHeaderFiles: maxHeaderFiles)
            .gather(info: info, revision: revision, source: source, readHeaders: readHeaders, readCard: readCard,
                    origin: .cache(snapshotPath: cache.snapshotPath(repoFolder: cache.repoFolderName(for: repo), commit: found.commit)))
        inspection.warnings += found.listing.warnings
        return inspection
    }
}
