import Foundation
import HubScoutCache
import HubScoutCore

/// Takes one GGUF variant of a cached repository (`ORG/NAME:QUANT`) and states what `ModelLinker` needs: each file's
/// bytes on disk and their sha256, computed (or remembered for the unchanged file) and checked against the blob's
/// name, and the GGUF header's architecture, parameter count and chat template.
public struct CachedVariantReader: Sendable {
    public let cache: HubCache
    /// Remembers digests by device, inode, size and mtime, so a second link reads nothing again.
    public let memo: (any ContentHashMemo)?

    public init(cache: HubCache, memo: (any ContentHashMemo)? = nil) {
        self.cache = cache; self.memo = memo
    }

    /// The variant `reference` names (its `:QUANT`, else the only one), at its revision (default `main`).
    public func source(_ reference: ModelReference) async throws -> ModelLinkSource {
        let repo = reference.repo
        let revision = reference.revision ?? "main"
        let cache = self.cache
        let found = try await BlockingWork.run { () -> (CommitHash, CacheSnapshotListing)? in
            let folder = cache.repoFolderName(for: repo)
            guard let commit = cache.commit(repoFolder: folder, revision: revision),
                  let listing = cache.snapshotEntries(repoFolder: folder, snapshot: commit.value) else { return nil }
            return (commit, listing)
        }
        guard let (commit, listing) = found else {
            throw CachedVariantError.notInCache(repo: repo.description, revision: revision, cacheRoot: cache.root)
        }
        let entries = Dictionary(listing.entries.filter { $0.isContained && $0.contentPath != nil && $0.content?.isRegular == true }
            .map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let variants = GGUFVariants(paths: Array(entries.keys))
        guard !variants.variants.isEmpty else { throw CachedVariantError.noGGUF(repo: repo.description) }
        let names = variants.variants.map { $0.quantization?.rawValue ?? $0.mainFile }
        let chosen: GGUFVariants.Variant
        if let tag = reference.quantization {
            let matching = variants.variants(quantization: tag)
            guard !matching.isEmpty else {
                throw CachedVariantError.quantizationNotFound(repo: repo.description, quantization: tag.uppercased(), available: names)
            }
            guard matching.count == 1 else { throw CachedVariantError.ambiguous(repo: repo.description, available: matching.map(\.mainFile)) }
            chosen = matching[0]
        } else {
            guard variants.variants.count == 1 else { throw CachedVariantError.ambiguous(repo: repo.description, available: names) }
            chosen = variants.variants[0]
        }

        var weights: [ModelLinkSource.File] = []
        for path in chosen.files {
            guard let entry = entries[path] else { continue }
            weights.append(try await file(entry))
        }
        // A projector rides along only when there is exactly one: with several (f16, q8_0…) the choice is the user's.
        var projector: ModelLinkSource.File?
        if variants.projectors.count == 1, let entry = entries[variants.projectors[0]] { projector = try await file(entry) }

        var facts = ModelLinkSource.GGUFFacts()
        var quantization = chosen.quantization
        if let main = weights.first, let header = try? await HeaderReader(source: LocalFileReader(path: main.contentPath, size: main.size)).readGGUFHeader() {
            facts = ModelLinkSource.GGUFFacts(architecture: header.architecture, parameterCount: header.parameterCount,
                                              chatTemplate: header.metadata["tokenizer.chat_template"]?.stringValue)
            if quantization == nil { quantization = header.fileTypeName.flatMap(GGUFFileType.init(rawValue:)) }
        }
        return ModelLinkSource(repo: repo, commit: commit, quantization: quantization, weights: weights, projector: projector, facts: facts)
    }

    private func file(_ entry: CacheSnapshotEntry) async throws -> ModelLinkSource.File {
        guard let contentPath = entry.contentPath, let facts = entry.content, let relative = try? SafeRelativePath(entry.path) else {
            throw CachedVariantError.unreadable(path: entry.location, reason: "not a regular file in the cache")
        }
        let key = ContentHashKey(device: facts.identity.device, inode: facts.identity.inode, size: facts.size,
                                 modifiedNanoseconds: Int64((facts.modified.timeIntervalSince1970 * 1e9).rounded()))
        var digest = await memo?.sha256(for: key)
        if digest == nil {
            do {
                digest = try await BlockingWork.run { try BlobDigest.ofFile(atPath: contentPath, kind: .sha256, size: facts.size).digest }
            } catch {
                throw CachedVariantError.unreadable(path: contentPath, reason: "\(error)")
            }
            if let digest { await memo?.remember(digest, for: key) }
        }
        let sha256 = digest ?? ""
        if let named = entry.blobID, named.isSHA256, named.value != sha256 {
            throw CachedVariantError.corrupt(path: contentPath, expected: named.value, actual: sha256)
        }
        return ModelLinkSource.File(repoPath: relative, contentPath: contentPath, size: facts.size, sha256: sha256)
    }
}
