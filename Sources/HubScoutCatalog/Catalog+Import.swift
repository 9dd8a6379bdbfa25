import Foundation
import GRDB
import HubScoutCore

/// Importing the shipped snapshot (`cache/models.jsonl`).
extension Catalog {
    /// Imports a snapshot file in one transaction: models, parameter counts, config facts and
    /// memory estimates (from `estimator`, else `FallbackEstimator`). Records sync key `snapshot`
    /// with the latest `as_of` date of the file, so "last synced" tells the data's age.
    @discardableResult
    public func importSnapshot(from url: URL, estimator: SnapshotEstimator? = nil) async throws(CatalogError) -> SnapshotImportResult {
        try await importSnapshot(from: url, estimator: estimator, onlyIfEmpty: false) ?? SnapshotImportResult(models: 0, estimated: 0, snapshotDate: nil)
    }

    /// Imports the snapshot when the catalog holds no model (first run); returns nil when it did not.
    /// The emptiness check and the import share one transaction, so two first runs import once.
    @discardableResult
    public func importSnapshotIfEmpty(_ url: URL, estimator: SnapshotEstimator? = nil) async throws(CatalogError) -> SnapshotImportResult? {
        try await importSnapshot(from: url, estimator: estimator, onlyIfEmpty: true)
    }

    private func importSnapshot(from url: URL, estimator: SnapshotEstimator?, onlyIfEmpty: Bool) async throws(CatalogError) -> SnapshotImportResult? {
        let models = try SnapshotReader.read(url)
        let estimate = estimator ?? FallbackEstimator.estimates
        let estimates = models.map(estimate)
        let snapshotDate = models.compactMap(\.asOf).max()
        let fallbackDate = snapshotDate ?? Date()
        let source = url.lastPathComponent
        return try await writingUnchecked("import the snapshot \(url.path)") { db in
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
            try CatalogWriter.setSyncState(db, key: "snapshot", cursor: source, at: fallbackDate)
            return SnapshotImportResult(models: models.count, estimated: estimated, snapshotDate: snapshotDate)
        }
    }
}
