import Foundation
import GRDB

/// Bulk ingest: many models, each with its parameter count, config and memory estimates, in one
/// transaction through prepared statements, without a read per row for ids the catalog lacks.
extension Catalog {
    /// Writes `models` in one transaction. `estimates`, when given, holds one list per model (same
    /// order). Each model is stored as if seen at its `asOf`, else at `seenAt`. The result equals
    /// `upsert(models:)` of the infos followed by their parameter counts, configs and estimates: a new
    /// id is inserted directly, a known one is merged by the ordinary upsert rules (null never
    /// overwrites, a less trusted count never replaces a more trusted one); models with the same id
    /// apply in the order given. For millions of rows, run it inside `withBulkLoad` in batches of
    /// 50,000–250,000 models: each commit rewrites every index page it touched, and the id index's
    /// pages are touched all over by any batch, so fewer, larger batches write less.
    @discardableResult
    public func bulkInsert(_ models: [SnapshotModel], estimates: [[CatalogEstimate]]? = nil,
                           seenAt: Date = Date()) async throws(CatalogError) -> BulkInsertResult {
        if let estimates, estimates.count != models.count {
            throw .invalidValue("bulkInsert got \(estimates.count) estimate lists for \(models.count) models; pass one list per model, empty when none")
        }
        guard !models.isEmpty else { return BulkInsertResult(inserted: 0, merged: 0) }
        return try await writingUnchecked("store \(models.count) models in bulk") { db in
            var inserted = 0
            let writer = try CatalogBulkWriter(db)
            for index in SQLValues.orderedByID(models.map(\.info.id)) {
                let model = models[index]
                let rows = estimates?[index] ?? []
                if try writer.write(model, estimates: rows, seenAt: model.asOf ?? seenAt) { inserted += 1 }
            }
            try writer.flush()
            return BulkInsertResult(inserted: inserted, merged: models.count - inserted)
        }
    }
}

/// What a bulk insert did.
public struct BulkInsertResult: Sendable, Equatable {
    /// Models whose id was new to the catalog.
    public var inserted: Int
    /// Models already present, merged with what was stored.
    public var merged: Int
}
