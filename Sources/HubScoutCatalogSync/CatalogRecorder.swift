import Foundation
import HubScoutCatalog
import HubScoutKit
import HubScoutCore

/// Records what Hub calls and local scans saw into the catalog. Recording is a side effect that must
/// never break the command it rides on: every method catches catalog errors and returns them as warnings
/// (also passed to `onWarning`), never throws.
public struct CatalogRecorder: Sendable {
    /// The catalog written to.
    public let catalog: Catalog
    /// Receives each warning (e.g. to print it on stderr).
    public let onWarning: @Sendable (String) -> Void

    /// A recorder into `catalog`.
    public init(catalog: Catalog, onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.catalog = catalog
        self.onWarning = onWarning
    }

    /// Search results (one transaction for the whole list).
    @discardableResult
    public func record(listing models: [ModelInfo], at date: Date = Date()) async -> [String] {
        await attempt("record \(models.count) search results") { try await catalog.upsert(models: models, seenAt: date) }
    }

    /// A model-info answer: the model row, and its files when the answer listed them.
    @discardableResult
    public func record(info: ModelInfo, revision: String? = nil, at date: Date = Date()) async -> [String] {
        var warnings = await attempt("record \(info.id)") { try await catalog.upsert(models: [info], seenAt: date) }
        if let siblings = info.siblings, !siblings.isEmpty {
            let rev = info.sha ?? revision ?? "main"
            let files = siblings.map { s in
                CatalogFile(revision: rev, path: s.path, size: s.lfs?.size ?? s.size, sha256: s.lfs?.sha256,
                            format: Self.format(RepoFileFormat.of(s.path)), quantization: nil)
            }
            warnings += await attempt("record the files of \(info.id)") { try await catalog.upsertFiles(id: info.id, files: files, at: date) }
        }
        return warnings
    }

    /// An inspection: the model, card facts, normalised config, parameter count with its source, files
    /// (format, quantization, sha256) and memory estimates at the default context for fp16/int8/int4
    /// (the native format and GGUF variants standing in for their precision class).
    @discardableResult
    public func record(inspection: ModelInspection, at date: Date = Date()) async -> [String] {
        let id = inspection.info.id
        let warnings = await attempt("record \(id)") { try await catalog.upsert(models: [inspection.info], seenAt: date) }
        return warnings + (await record(facts: inspection, at: date))
    }

    /// What a download let us read from the files themselves (an inspection of the cached snapshot): card,
    /// config, parameter count, files with their quantization, and memory estimates, so `ls` can show
    /// parameters and fit. The model's Hub metadata (downloads, likes, gating) is left as the Hub gave it.
    @discardableResult
    public func record(facts inspection: ModelInspection, at date: Date = Date()) async -> [String] {
        let id = inspection.info.id
        var warnings: [String] = []
        if let card = inspection.card {
            let facts = Self.cardFacts(card)
            warnings += await attempt("record the card of \(id)") { try await catalog.upsertCard(id: id, card: facts, at: date) }
        }
        if let config = inspection.config {
            warnings += await attempt("record the config of \(id)") { try await catalog.upsertConfig(id: id, config: config, at: date) }
        }
        if let parameters = inspection.parameters {
            warnings += await attempt("record the parameter count of \(id)") {
                try await catalog.upsertParameters(id: id, count: parameters, at: date)
            }
        }
        if !inspection.files.isEmpty {
            let revision = inspection.commit ?? inspection.info.sha ?? inspection.revision ?? "main"
            let files = inspection.files.map { f in
                CatalogFile(revision: revision, path: f.path, size: f.size, sha256: f.sha256, format: Self.format(f.format), quantization: f.quantization)
            }
            warnings += await attempt("record the files of \(id)") { try await catalog.upsertFiles(id: id, files: files, at: date) }
        }
        let estimation = CatalogEstimator.estimate(inspection: inspection)
        if !estimation.estimates.isEmpty {
            warnings += await attempt("record the memory estimates of \(id)") {
                try await catalog.upsertEstimates(id: id, estimates: estimation.estimates, at: date)
            }
        }
        return warnings
    }

    /// A finished download into the HF cache (or a local folder): the snapshot, and the files with their hashes.
    @discardableResult
    public func record(download summary: DownloadSummary, at date: Date = Date()) async -> [String] {
        var seen = Set<String>()
        let size = Self.scanSnapshot(path: summary.snapshotPath)?.sizeOnDisk
            ?? ByteTotal.saturatingSum(summary.files.filter { seen.insert($0.etag?.value ?? $0.path).inserted }.map(\.size))
        // (In the HF cache the snapshot may hold files of earlier downloads too: it is measured on disk.)
        let snapshot = LocalSnapshot(revision: summary.revision, commit: summary.commit.value, path: summary.snapshotPath, sizeOnDisk: size,
                                     verifiedAt: summary.files.allSatisfy(\.verified) ? date : nil)
        var warnings = await attempt("record the download of \(summary.repo)") {
            try await catalog.recordSnapshot(id: summary.repo, snapshot: snapshot, at: date)
        }
        let files = summary.files.map { f in
            CatalogFile(revision: summary.commit.value, path: f.path, size: f.size, sha256: f.sha256 ?? (f.etag?.isSHA256 == true ? f.etag?.value : nil),
                        format: Self.format(RepoFileFormat.of(f.path)), quantization: nil)
        }
        warnings += await attempt("record the files of \(summary.repo)") { try await catalog.upsertFiles(id: summary.repo, files: files, at: date) }
        return warnings
    }

    /// A scan of the local cache (`catalog scan`): every cached revision as a local snapshot with its files;
    /// snapshots the catalog remembers that are no longer on disk are forgotten.
    @discardableResult
    public func record(inventory: CacheInventory, at date: Date = Date()) async -> [String] {
        var warnings: [String] = []
        for repo in inventory.repos {
            for revision in repo.revisions {
                let snapshot = LocalSnapshot(revision: revision.refs.first ?? revision.commit, commit: revision.commit,
                                             path: revision.path, sizeOnDisk: revision.sizeOnDisk)
                warnings += await attempt("record the local snapshot of \(repo.id)") {
                    try await catalog.recordSnapshot(id: repo.id, snapshot: snapshot, at: date)
                }
                let files = revision.files.filter { !$0.missing }.map { f in
                    CatalogFile(revision: revision.commit, path: f.path, size: f.size, sha256: f.blob.flatMap { BlobID($0)?.isSHA256 == true ? $0 : nil },
                                format: Self.format(RepoFileFormat.of(f.path)), quantization: Self.quantization(in: f.path))
                }
                warnings += await attempt("record the files of \(repo.id)") { try await catalog.upsertFiles(id: repo.id, files: files, at: date) }
            }
            let onDisk = Set(repo.revisions.map(\.commit))
            do {
                for old in try await catalog.model(id: repo.id)?.snapshots ?? [] where !onDisk.contains(old.commit) {
                    try await catalog.removeSnapshots(id: repo.id, commit: old.commit)
                }
            } catch {
                warnings.append(warn("forget removed snapshots of \(repo.id)", error))
            }
        }
        return warnings
    }

    /// Forgets snapshots a cleanup removed (a whole repository: all of them).
    @discardableResult
    public func record(cleanup result: CleanupResult) async -> [String] {
        var warnings: [String] = []
        for action in result.removed where action.kind == .repository || action.kind == .revision {
            let commit = action.kind == .revision ? action.commit : nil
            warnings += await attempt("forget the removed snapshot of \(action.repo)") {
                try await catalog.removeSnapshots(id: action.repo, commit: commit)
            }
        }
        return warnings
    }

    /// Marks the snapshots of a repository verified (after `cache verify` found them intact).
    @discardableResult
    public func recordVerified(repo: CachedRepo, at date: Date = Date()) async -> [String] {
        var warnings: [String] = []
        for revision in repo.revisions {
            let snapshot = LocalSnapshot(revision: revision.refs.first ?? revision.commit, commit: revision.commit,
                                         path: revision.path, sizeOnDisk: revision.sizeOnDisk, verifiedAt: date)
            warnings += await attempt("record the verification of \(repo.id)") {
                try await catalog.recordSnapshot(id: repo.id, snapshot: snapshot, at: date)
            }
        }
        return warnings
    }

    // MARK: - Helpers

    /// Runs a catalog write, turning a failure into a warning.
    private func attempt(_ what: String, _ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            return []
        } catch {
            return [warn(what, error)]
        }
    }

    private func warn(_ what: String, _ error: any Error) -> String {
        let text = "warning: could not \(what) in the catalog: \(error)"
        onWarning(text)
        return text
    }

    /// The catalog's card facts from a parsed card.
    static func cardFacts(_ card: ModelCard) -> CardFacts {
        let meta = card.metadata
        var evals: JSONValue?
        if !meta.evalResults.isEmpty, let data = try? JSONEncoder().encode(meta.evalResults) {
            evals = try? SafeJSON.decode(JSONValue.self, from: data)
        }
        return CardFacts(summary: card.summary, license: meta.license, baseModels: meta.baseModels, datasets: meta.datasets,
                         languages: meta.languages, evalResults: evals)
    }

    /// The catalog's format name: weights formats only (configs, tokenizers and cards have none).
    static func format(_ format: RepoFileFormat) -> String? { format.isWeights ? format.rawValue : nil }

    /// A GGUF quantization named in a file name (`model-Q4_K_M.gguf` → `Q4_K_M`).
    static func quantization(in path: String) -> String? {
        guard path.lowercased().hasSuffix(".gguf") else { return nil }
        return GGUFFileType(fileName: (path as NSString).lastPathComponent)?.rawValue
    }

    /// The cached revision at `path` when it is a `…/models--org--name/snapshots/<commit>` folder.
    static func scanSnapshot(path: String) -> CachedRevision? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, parts[parts.count - 2] == "snapshots", parts[parts.count - 3].hasPrefix("models--") else { return nil }
        let root = parts.dropLast(3).joined(separator: "/")
        var warnings: [String] = []
        return CacheScanner(root: root.isEmpty ? "/" : root).scanRepo(folder: parts[parts.count - 3], warnings: &warnings)?
            .revisions.first { $0.commit == parts[parts.count - 1] }
    }
}
