import Foundation
import GRDB
import HubScoutCore

/// Importing the shipped snapshot (`cache/models.jsonl`, compiled into the module as `SnapshotSource.embedded`).
extension Catalog {
    /// Imports a snapshot in one transaction: models, parameter counts, config facts and memory estimates
    /// (from `estimator`, else `CatalogEstimator`: Core's `MemoryEstimator` as catalog rows). Records sync key
    /// `snapshot` with the latest `as_of` date of the snapshot, so "last synced" tells the data's age.
    @discardableResult
    public func importSnapshot(_ source: SnapshotSource, estimator: SnapshotEstimator? = nil) async throws(CatalogError) -> SnapshotImportResult {
        try await importSnapshot(source, estimator: estimator, onlyIfEmpty: false) ?? SnapshotImportResult(models: 0, estimated: 0, snapshotDate: nil)
    }

    /// Imports a snapshot file; see `importSnapshot(_:estimator:)`.
    @discardableResult
    public func importSnapshot(from url: URL, estimator: SnapshotEstimator? = nil) async throws(CatalogError) -> SnapshotImportResult {
        try await importSnapshot(.file(url), estimator: estimator)
    }

    /// Imports the snapshot when the catalog holds no model (first run); returns nil when it did not.
    /// The emptiness check and the import share one transaction, so two first runs import once.
    @discardableResult
    public func importSnapshotIfEmpty(_ source: SnapshotSource, estimator: SnapshotEstimator? = nil) async throws(CatalogError) -> SnapshotImportResult? {
        try await importSnapshot(source, estimator: estimator, onlyIfEmpty: true)
    }

    /// Imports a snapshot file when the catalog holds no model; see `importSnapshotIfEmpty(_:estimator:)` above.
    @discardableResult
    public func importSnapshotIfEmpty(_ url: URL, estimator: SnapshotEstimator? = nil) async throws(CatalogError) -> SnapshotImportResult? {
        try await importSnapshotIfEmpty(.file(url), estimator: estimator)
    }

    private func importSnapshot(_ source: SnapshotSource, estimator: SnapshotEstimator?, onlyIfEmpty: Bool) async throws(CatalogError) -> SnapshotImportResult? {
        // Cheap early answer for every run after the first: no parsing when the catalog already holds models.
        if onlyIfEmpty, try await !isEmpty { return nil }
        let models: [SnapshotModel]
        switch source {
        case .file(let url): models = try SnapshotReader.read(url)
        case .bytes(let data, let name): models = try SnapshotReader.read(data, source: name)
        }
        let estimate = estimator ?? CatalogEstimator.snapshotEstimator
        let estimates = models.map(estimate)
        let snapshotDate = models.compactMap(\.asOf).max()
        let fallbackDate = snapshotDate ?? Date()
        let cursor = source.name
        return try await writingUnchecked("import the snapshot \(source.description)") { db in
            if onlyIfEmpty, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM models)") == true { return nil }
            var estimated = 0
            let writer = try CatalogBulkWriter(db)
            for (model, rows) in zip(models, estimates) {
                let seen = model.asOf ?? fallbackDate
                // Inserts directly when the id is new, else merges by the ordinary upsert rules.
                try writer.write(model, estimates: rows, seenAt: seen)
                if !rows.isEmpty { estimated += 1 }
            }
            try writer.flush()
            try CatalogWriter.setSyncState(db, key: "snapshot", cursor: cursor, at: fallbackDate)
            return SnapshotImportResult(models: models.count, estimated: estimated, snapshotDate: snapshotDate)
        }
    }
}
