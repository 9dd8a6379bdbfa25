import Foundation
import HubScoutCore
import HubScoutNetwork
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Brings one planned file into place: reuse or relink what is there, else HEAD, lock, fetch into a
/// partial file (resuming, in parallel ranges for large files), verify, and publish atomically.
struct FileJob: Sendable {
    let client: HubClient
    let transport: any HTTPTransport
    let options: DownloadOptions
    let target: DownloadTarget
    let repo: RepoID
    let commit: CommitHash
    let file: DownloadPlan.File
    let progress: ProgressTracker
    let emit: @Sendable (DownloadEvent) -> Void

    func run() async throws -> DownloadedFile {
        let path = file.path
        if let reused = try await reuseExisting(path) {
            progress.skipped(plannedBytes: countedBytes)
            return reused
        }
        var etagChanges = 0
        var badContent = 0
        while true {
            let metadata = try await client.fileMetadata(repo, revision: commit.value, path: path.value)
            do {
                return try await fetch(path, metadata: metadata)
            } catch let RestartReason.etagChanged(old, new) where etagChanges < 2 {
                etagChanges += 1
                emit(.notice(path: path.value, message: RestartReason.etagChanged(old: old, new: new).description))
            } catch let error as DownloadError where error.isBadContent && badContent == 0 {
                // Wrong bytes (hash or size): they were dropped; ask the Hub again and try once more from zero.
                badContent += 1
                progress.reset(path.value, completed: 0)
                emit(.notice(path: path.value, message: "\(error.description.split(separator: ";").first ?? ""); retrying once from zero"))
            }
        }
    }

    /// The bytes this file adds to the progress total (files already in place add none).
    private var countedBytes: Int64 { file.state == .partial || file.state == .missing ? file.size : 0 }

    // MARK: - Already there

    private func reuseExisting(_ path: SafeRelativePath) async throws -> DownloadedFile? {
        switch target {
        case let .cache(cache, folder):
            let snapshot = try cache.snapshotFilePath(repoFolder: folder, commit: commit, path: path)
            if cache.hasSnapshotFile(repoFolder: folder, commit: commit, path: path) {
                return result(path, etag: file.etag, status: .reused, localPath: snapshot)
            }
            if let etag = file.etag, cache.blobSize(repoFolder: folder, etag: etag) == file.size {
                try cache.linkSnapshot(repoFolder: folder, commit: commit, path: path, etag: etag)
                return result(path, etag: etag, status: .linked, localPath: snapshot)
            }
        case let .localDirectory(local):
            let destination = try local.filePath(path)
            guard let etag = file.etag, PartialFile.fileSize(destination) == file.size,
                  FileManager.default.fileExists(atPath: destination) else { return nil }
            if let metadata = local.metadata(for: path), metadata.etag == etag.value {
                return result(path, etag: etag, status: .reused, localPath: destination)
            }
            // No (or stale) metadata: for LFS files, hash what is there and keep it when it matches.
            guard etag.isSHA256, let digest = try await FileHashing.digest(of: destination, kind: etag.kind, size: file.size),
                  digest.verification == etag else { return nil }
            try local.writeMetadata(for: path, commit: commit, etag: etag)
            var found = result(path, etag: etag, status: .reused, localPath: destination)
            found.verified = true
            return found
        }
        return nil
    }

    private func result(_ path: SafeRelativePath, etag: BlobID?, status: DownloadedFile.Status, localPath: String,
                        sha256: String? = nil, verified: Bool = false, size: Int64? = nil) -> DownloadedFile {
        let knownSHA = sha256 ?? (etag?.isSHA256 == true ? etag?.value : nil)
        return DownloadedFile(path: path.value, size: size ?? file.size, sha256: knownSHA, etag: etag, verified: verified,
                              status: status, bytesDownloaded: progress.bytesReceived(for: path.value), localPath: localPath)
    }

    // MARK: - Fetching

    private func fetch(_ path: SafeRelativePath, metadata: FileMetadata) async throws -> DownloadedFile {
        if case let .cache(cache, folder) = target, cache.blobSize(repoFolder: folder, etag: metadata.etag) == metadata.size {
            try cache.linkSnapshot(repoFolder: folder, commit: commit, path: path, etag: metadata.etag)
            progress.skipped(plannedBytes: countedBytes)
            return result(path, etag: metadata.etag, status: .linked,
                          localPath: try cache.snapshotFilePath(repoFolder: folder, commit: commit, path: path), size: metadata.size)
        }
        let lockPath = try target.lockPath(for: path, etag: metadata.etag)
        let lock = try await FileLock.acquire(lockPath) { [emit] in
            emit(.notice(path: path.value, message: "another download of this file is running; waiting for it to finish"))
        }
        defer { lock.release() }
        // Whoever held the lock may have finished the very same blob.
        if case let .cache(cache, folder) = target, cache.blobSize(repoFolder: folder, etag: metadata.etag) == metadata.size {
            try cache.linkSnapshot(repoFolder: folder, commit: commit, path: path, etag: metadata.etag)
            progress.skipped(plannedBytes: countedBytes)
            return result(path, etag: metadata.etag, status: .linked,
                          localPath: try cache.snapshotFilePath(repoFolder: folder, commit: commit, path: path), size: metadata.size)
        }
        if let linked = try await linkFromSharedStore(path, metadata: metadata) { return linked }
        if metadata.size != file.size { progress.resize(path.value, size: metadata.size, plannedSize: file.size) }

        let context = FileContext(client: client, transport: transport, options: options, repo: repo, commit: commit,
                                  path: path, etag: metadata.etag, progress: progress, emit: emit)
        var restarts = 0
        var singleConnection = false
        while true {
            let incomplete = try target.incompletePath(for: path, etag: metadata.etag)
            let sidecar = incomplete + ".json"
            do {
                let outcome = try await transfer(context, metadata: metadata, incomplete: incomplete, sidecar: sidecar,
                                                 singleConnection: singleConnection)
                return try publish(path, metadata: metadata, incomplete: incomplete, sidecar: sidecar, outcome: outcome)
            } catch let reason as RestartReason {
                if case .etagChanged = reason { PartialFile.remove(path: incomplete, sidecarPath: sidecar); throw reason }
                restarts += 1
                PartialFile.remove(path: incomplete, sidecarPath: sidecar)
                guard restarts <= 3 else {
                    throw DownloadError.rangeNotHonoured(file: path.value, detail: reason.description)
                }
                if case .rangeIgnored = reason { singleConnection = true }
                progress.reset(path.value, completed: 0)
                context.notice(reason.description)
            } catch let error as DownloadError where error.isBadContent {
                PartialFile.remove(path: incomplete, sidecarPath: sidecar)
                throw error
            }
        }
    }

    /// In a cache with huggingface_hub 2.x's shared store, another repository may already link the same content
    /// (same sha256): hash that store blob, and when it matches, link this repository's `blobs/<sha256>` to it instead
    /// of fetching the bytes. A store blob that doesn't match is left alone and the file is downloaded as usual.
    private func linkFromSharedStore(_ path: SafeRelativePath, metadata: FileMetadata) async throws -> DownloadedFile? {
        guard case let .cache(cache, folder) = target, metadata.etag.isSHA256, let store = cache.sharedStore,
              let found = cache.storeBlob(forSHA256: metadata.etag, size: metadata.size),
              let digest = try await FileHashing.digest(of: found.path, kind: metadata.etag.kind, size: metadata.size),
              digest.verification == metadata.etag else { return nil }
        do {
            try await BlockingWork.run {
                try store.linkRepositoryBlob(cacheRoot: cache.root, repoFolder: folder, blob: metadata.etag, to: found.hash)
            }
        } catch {
            emit(.notice(path: path.value, message: "could not link the shared store blob (\(error)); downloading instead"))
            return nil
        }
        try cache.linkSnapshot(repoFolder: folder, commit: commit, path: path, etag: metadata.etag)
        progress.skipped(plannedBytes: countedBytes)
        var linked = result(path, etag: metadata.etag, status: .linked,
                            localPath: try cache.snapshotFilePath(repoFolder: folder, commit: commit, path: path), size: metadata.size)
        linked.verified = true
        return linked
    }

    /// What a finished transfer produced.
    struct Outcome {
        let verification: BlobID?
        let sha256: String?
    }

    private func transfer(_ context: FileContext, metadata: FileMetadata, incomplete: String, sidecar: String,
                          singleConnection: Bool) async throws -> Outcome {
        let path = context.path
        discardStalePartials(path, etag: metadata.etag, keeping: sidecar)
        var state = PartialState.fresh(path: path, etag: metadata.etag, size: metadata.size, resolveURL: metadata.resolveURL)
        if !singleConnection {
            if let saved = PartialFile.loadState(sidecarPath: sidecar, etag: metadata.etag, size: metadata.size) {
                state = saved
                state.resolveURL = metadata.resolveURL
            } else if case .cache = target, !FileManager.default.fileExists(atPath: sidecar) {
                // A plain `<etag>.incomplete` (huggingface_hub ≤ 1.17, or a lost sidecar of a single stream):
                // its bytes are a contiguous prefix of this very content, named by its hash.
                let existing = PartialFile.fileSize(incomplete)
                if existing > 0, existing <= metadata.size { state.parts[0].done = existing }
                else if existing > metadata.size { PartialFile.remove(path: incomplete, sidecarPath: sidecar) }
            } else {
                PartialFile.remove(path: incomplete, sidecarPath: sidecar)
            }
        } else {
            PartialFile.remove(path: incomplete, sidecarPath: sidecar)
        }
        let connections = singleConnection || metadata.size < options.parallelThreshold ? 1 : options.connectionsPerFile
        state.relayout(connections: connections, minimumPart: options.minimumPartSize)
        let partial = try PartialFile(path: incomplete, sidecarPath: sidecar, displayName: path.value, state: state, digestKind: metadata.etag.kind)
        partial.persist()
        let resumed = state.bytesDone
        progress.started(path.value, size: metadata.size, completed: resumed)
        let active = state.parts.indices.filter { !state.parts[$0].isComplete }
        emit(.fileStarted(path: path.value, size: metadata.size, resumedFrom: resumed, connections: active.count))
        if resumed > 0 {
            context.notice("resuming: \(resumed) of \(metadata.size) bytes are already on disk")
        }
        // Hash the resumed bytes from disk while the rest downloads.
        let catchUp: Task<Void, any Error>? = resumed > 0 ? Task { try await BlockingWork.run { partial.catchUp() } } : nil
        let location = LocationBox(metadata.location)
        // Keep the sidecar current even while no byte arrives (a stall), so a kill loses little; and when
        // files must be durable, flush in the background as data arrives, so the flush before publishing
        // overlaps the transfer instead of adding to it.
        let durable = options.durable
        let saver = Task {
            var flushed = resumed
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: 500_000_000)
                partial.persist()
                let done = partial.bytesDone
                if durable, done - flushed >= 32 << 20 {
                    try await BlockingWork.run { partial.flushWritten() }
                    flushed = done
                }
            }
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in active {
                    group.addTask { try await RangeFetcher(context: context, file: partial, part: index, location: location).run() }
                }
                try await group.waitForAll()
            }
        } catch {
            saver.cancel()
            _ = await saver.result
            partial.abandon()
            _ = try? await catchUp?.value
            partial.persist()
            throw error
        }
        saver.cancel()
        _ = await saver.result
        _ = try? await catchUp?.value
        let final = try await BlockingWork.run { try partial.finalize(durable: durable) }
        guard final.complete else {
            throw DownloadError.sizeMismatch(file: path.value, expected: metadata.size, actual: final.sizeOnDisk)
        }
        // Every etag is a typed blob id, so every download is verified (a tag that is not a hash is refused
        // when the HEAD answer is read, before any byte is written).
        guard let verification = final.verification, verification == metadata.etag else {
            throw DownloadError.checksumMismatch(file: path.value, expected: metadata.etag.value, actual: final.verification?.value ?? "no hash")
        }
        return Outcome(verification: final.verification, sha256: final.sha256)
    }

    /// Removes partial files of the same path left for content the server no longer serves (the etag
    /// changed between runs), saying why.
    private func discardStalePartials(_ path: SafeRelativePath, etag: BlobID, keeping sidecar: String) {
        var candidates: [String] = []
        if let folder = target.partialsFolder {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            candidates = names.filter { $0.hasSuffix(".incomplete.json") }.prefix(10_000).map { folder + "/" + $0 }
        } else {
            candidates = [sidecar]
        }
        for candidate in candidates {
            guard let data = FileManager.default.contents(atPath: candidate), data.count < 1 << 20,
                  let state = try? SafeJSON.decode(PartialState.self, from: data),
                  state.path == path, state.etag != etag else { continue }
            let partialPath = String(candidate.dropLast(".json".count))
            let bytes = PartialFile.fileSize(partialPath)
            PartialFile.remove(path: partialPath, sidecarPath: candidate)
            emit(.notice(path: path.value, message: "the file changed on the server since the last run (etag \(state.etag.value.prefix(12))… → \(etag.value.prefix(12))…); discarded its stale partial download of \(bytes) bytes"))
        }
    }

    /// Moves the verified partial into place atomically and links or records it.
    private func publish(_ path: SafeRelativePath, metadata: FileMetadata, incomplete: String, sidecar: String,
                         outcome: Outcome) throws -> DownloadedFile {
        let destination: String
        switch target {
        case let .cache(cache, folder):
            let blob = cache.blobPath(repoFolder: folder, etag: metadata.etag)
            try Self.move(incomplete, to: blob)
            unlink(sidecar)
            HubCache.removeStaleTemporaries(of: sidecar)
            try cache.linkSnapshot(repoFolder: folder, commit: commit, path: path, etag: metadata.etag)
            destination = try cache.snapshotFilePath(repoFolder: folder, commit: commit, path: path)
        case let .localDirectory(local):
            destination = try local.filePath(path)
            try HubCache.makeFolder((destination as NSString).deletingLastPathComponent)
            try Self.move(incomplete, to: destination)
            unlink(sidecar)
            HubCache.removeStaleTemporaries(of: sidecar)
            try local.writeMetadata(for: path, commit: commit, etag: metadata.etag)
        }
        progress.finished(path.value, size: metadata.size)
        let downloaded = result(path, etag: metadata.etag, status: .downloaded, localPath: destination, sha256: outcome.sha256,
                                verified: outcome.verification != nil, size: metadata.size)
        return downloaded
    }

    private static func move(_ from: String, to: String) throws(CacheError) {
        guard rename(from, to) == 0 else {
            throw CacheError.fileSystem(path: to, operation: "move the verified download to", message: String(cString: strerror(errno)))
        }
    }
}
