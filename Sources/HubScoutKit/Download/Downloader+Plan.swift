import Foundation
import HubScoutCore
import HubScoutNetwork

extension Downloader {
    /// Resolves the revision to a commit once, lists and selects files, validates their paths, and checks
    /// what is already on disk and how much space is free. With `probeAccess`, a gated or private
    /// repository is probed with one HEAD so the plan can say whether the token may download it.
    public func plan(_ request: DownloadRequest, probeAccess: Bool = false) async throws -> DownloadPlan {
        let revision = request.revision ?? "main"
        _ = try SafeRelativePath(revision)   // a revision becomes a refs/ path
        let cache = HubCache(root: request.cacheDirectory ?? client.environment.hubCache)
        if client.environment.offline { return try offlinePlan(request, revision: revision, cache: cache) }

        let info = try await client.modelInfo(request.repo, revision: request.revision, blobs: true)
        let infoURL = client.environment.endpoint + "/api/models/\(request.repo)"
        guard let sha = info.sha else {
            throw HubError.invalidResponse(url: infoURL, reason: "no commit sha in the model info")
        }
        let commit: CommitHash
        do { commit = try CommitHash(wire: sha, field: "sha") } catch { throw HubError.invalidResponse(url: infoURL, reason: error.description) }
        let repo = (try? RepoID(info.id)) ?? request.repo
        var listing: [Listed] = []
        do {
            if let siblings = info.siblings, !siblings.isEmpty, siblings.allSatisfy({ $0.size != nil }) {
                listing = try siblings.map { sibling throws(WireValueError) in
                    try Listed(name: sibling.path, size: sibling.size ?? 0, lfsSHA256: sibling.lfs?.sha256, gitID: sibling.blobID)
                }
            } else {
                for try await entry in client.listTree(repo, revision: commit.value) where entry.isFile {
                    listing.append(try Listed(name: entry.path, size: entry.size, lfsSHA256: entry.lfs?.sha256, gitID: entry.oid))
                    guard listing.count <= 1_000_000 else { break }
                }
            }
        } catch let error as WireValueError {
            throw HubError.invalidResponse(url: infoURL, reason: error.description)
        }
        let selected = try Self.select(listing, request: request, repo: repo, commit: commit)

        let target: DownloadTarget
        if let localRoot = request.localDirectory {
            target = .localDirectory(LocalDirectory(root: localRoot))
        } else {
            target = .cache(cache, repoFolder: cache.repoFolderName(for: repo))
        }
        var plan = DownloadPlan(repo: repo, revision: revision, commit: commit, target: target,
                                files: selected.map { Self.state(of: $0, target: target, commit: commit) },
                                gated: info.gated, tokenSource: client.token?.source)
        plan.freeBytes = options.availableSpace?(target.spaceProbePath) ?? DiskSpace.available(at: target.spaceProbePath)

        let restricted = plan.isGated || info.isPrivate == true
        if probeAccess, restricted, let first = plan.files.first {
            do {
                _ = try await client.fileMetadata(repo, revision: commit.value, path: first.path.value)
                plan.access = .granted
            } catch let error as HubError {
                plan.access = .denied(error.description)
            }
        }
        return plan
    }

    /// One file as the listing reports it: its ids validated, and its name validated as a path once,
    /// here, where the listing arrives. An unsafe name is kept with its reason, so it fails the plan
    /// only when it is selected.
    struct Listed {
        /// The name as the listing spells it (what names and patterns match).
        var name: String
        /// The name as a safe relative path, or why it is not one.
        var path: Result<SafeRelativePath, CacheError>
        var size: Int64
        var etag: BlobID?
        var isLFS: Bool

        init(name: String, size: Int64, etag: BlobID?, isLFS: Bool) {
            self.name = name
            self.path = Result { () throws(CacheError) in try SafeRelativePath(name) }
            self.size = size; self.etag = etag; self.isLFS = isLFS
        }

        /// From a listing entry: the LFS sha256 when there is one, else the git blob id. An id that is
        /// present but malformed, or a negative size, is a protocol error.
        init(name: String, size: Int64, lfsSHA256: String?, gitID: String?) throws(WireValueError) {
            guard size >= 0 else { throw .sizeOutOfRange(field: "size of \(name)") }
            if let lfsSHA256 {
                let id = try BlobID(wire: lfsSHA256, field: "lfs.sha256 of \(name)")
                guard id.isSHA256 else { throw .invalid(field: "lfs.sha256 of \(name)", value: lfsSHA256, expected: "64 hex digits") }
                self.init(name: name, size: size, etag: id, isLFS: true)
            } else {
                self.init(name: name, size: size, etag: try gitID.map { id throws(WireValueError) in try BlobID(wire: id, field: "blob id of \(name)") },
                          isLFS: false)
            }
        }
    }

    /// Applies names/globs, then `--include`, then `--exclude` (fnmatch-case); a kept file whose name is
    /// not a safe path fails the plan with the reason found when the listing arrived.
    static func select(_ listing: [Listed], request: DownloadRequest, repo: RepoID, commit: CommitHash) throws -> [DownloadPlan.File] {
        var kept = listing
        if let tag = request.quantization {
            let files = try quantizedFiles(listing.map(\.name), tag: tag, repo: repo)
            kept = kept.filter { files.contains($0.name) }
        }
        if !request.files.isEmpty {
            let exact = Set(request.files.filter { !GlobPattern.hasWildcard($0) })
            let patterns = try request.files.filter(GlobPattern.hasWildcard).map { try GlobPattern($0) }
            let known = Set(listing.map(\.name))
            for name in exact.sorted() where !known.contains(name) {
                throw DownloadError.fileNotInRepo(repo: repo.description, path: name, commit: commit.value)
            }
            kept = kept.filter { file in exact.contains(file.name) || patterns.contains { $0.matches(file.name) } }
        }
        if !request.include.isEmpty {
            let include = try request.include.map { try GlobPattern($0) }
            kept = kept.filter { file in include.contains { $0.matches(file.name) } }
        }
        if !request.exclude.isEmpty {
            let exclude = try request.exclude.map { try GlobPattern($0) }
            kept = kept.filter { file in !exclude.contains { $0.matches(file.name) } }
        }
        guard !kept.isEmpty else {
            throw DownloadError.nothingSelected(repo: repo.description, patterns: request.files + request.include + request.exclude.map { "not \($0)" })
        }
        var seen = Set<String>()
        var unique: [DownloadPlan.File] = []
        for file in kept where seen.insert(file.name).inserted {
            guard file.size >= 0 else { throw HubError.invalidResponse(url: repo.description, reason: "negative size for \(file.name)") }
            unique.append(DownloadPlan.File(path: try file.path.get(), size: file.size, etag: file.etag, isLFS: file.isLFS))
        }
        // Sizes add up to the download's total and the free-space check: they must fit in 64 bits.
        do { _ = try ByteTotal.sum(unique.map(\.size), field: "total size of the selected files") } catch {
            throw HubError.invalidResponse(url: repo.description, reason: error.description)
        }
        return unique
    }

    /// The files of the one GGUF variant `tag` names: all parts of a split file, no projector, nothing else.
    static func quantizedFiles(_ names: [String], tag: String, repo: RepoID) throws -> Set<String> {
        let variants = GGUFVariants(paths: names)
        let matching = variants.variants(quantization: tag)
        guard let only = matching.first else {
            throw DownloadError.quantizationNotFound(repo: repo.description, quantization: tag.uppercased(),
                                                     available: variants.quantizations.map(\.rawValue))
        }
        guard matching.count == 1 else {
            throw DownloadError.ambiguousQuantization(repo: repo.description, quantization: tag.uppercased(), candidates: matching.map(\.mainFile))
        }
        return Set(only.files)
    }

    /// Where one file stands on disk.
    static func state(of file: DownloadPlan.File, target: DownloadTarget, commit: CommitHash) -> DownloadPlan.File {
        var planned = file
        planned.state = .missing
        planned.partialBytes = 0
        let path = file.path
        switch target {
        case let .cache(cache, folder):
            if cache.hasSnapshotFile(repoFolder: folder, commit: commit, path: path) {
                planned.state = .present
                return planned
            }
            if let etag = file.etag, cache.blobSize(repoFolder: folder, etag: etag) == file.size {
                planned.state = .blobCached
                return planned
            }
        case let .localDirectory(local):
            if let etag = file.etag, let metadata = local.metadata(for: path), metadata.etag == etag.value,
               let destination = try? local.filePath(path), PartialFile.fileSize(destination) == file.size {
                planned.state = .present
                return planned
            }
        }
        if let etag = file.etag, let incomplete = try? target.incompletePath(for: path, etag: etag) {
            let onDisk: Int64
            if let state = PartialFile.loadState(sidecarPath: incomplete + ".json", etag: etag, size: file.size) {
                onDisk = state.bytesDone
            } else if case .cache = target, !FileManager.default.fileExists(atPath: incomplete + ".json") {
                let size = PartialFile.fileSize(incomplete)
                onDisk = size <= file.size ? size : 0
            } else {
                onDisk = 0
            }
            if onDisk > 0 {
                planned.state = .partial
                planned.partialBytes = onDisk
            }
        }
        return planned
    }

    /// HF_HUB_OFFLINE: answer from the cache only (`refs/<revision>` → snapshot), never the network.
    private func offlinePlan(_ request: DownloadRequest, revision: String, cache: HubCache) throws -> DownloadPlan {
        let folder = cache.repoFolderName(for: request.repo)
        guard let commit = cache.commit(repoFolder: folder, revision: revision) else {
            throw DownloadError.notInCache(repo: request.repo.description, revision: revision)
        }
        let target = DownloadTarget.cache(cache, repoFolder: folder)
        let snapshot = target.destination(commit: commit)
        var listing: [Listed] = []
        if let walker = FileManager.default.enumerator(atPath: snapshot) {
            while let relative = walker.nextObject() as? String {
                let full = snapshot + "/" + relative
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                let etag = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)).flatMap { BlobID(($0 as NSString).lastPathComponent) }
                listing.append(Listed(name: relative, size: PartialFile.fileSize(full), etag: etag, isLFS: etag?.isSHA256 ?? false))
            }
        }
        guard !listing.isEmpty else { throw DownloadError.notInCache(repo: request.repo.description, revision: revision) }
        let selected: [DownloadPlan.File]
        do {
            selected = try Self.select(listing.sorted { $0.name < $1.name }, request: request, repo: request.repo, commit: commit)
        } catch DownloadError.fileNotInRepo {
            throw DownloadError.notInCache(repo: request.repo.description, revision: revision)
        }
        return DownloadPlan(repo: request.repo, revision: revision, commit: commit, target: target,
                            files: selected.map { Self.state(of: $0, target: target, commit: commit) },
                            tokenSource: client.token?.source, offline: true)
    }
}
