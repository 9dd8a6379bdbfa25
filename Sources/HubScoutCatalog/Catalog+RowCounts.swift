import Foundation
import GRDB

/// Row counts per table, for benchmarks and diagnostics.
extension Catalog {
    /// The tables whose rows `rowCounts()` reports.
    static let countedTables = ["models", "model_tags", "model_parameters", "model_configs", "model_cards",
                                "model_files", "memory_estimates", "local_snapshots"]

    /// Rows in each catalog table (full-text index entries are one per model and not counted here).
    public func rowCounts() async throws(CatalogError) -> [String: Int] {
        try await reading("count the rows of each table") { db in
            var counts: [String: Int] = [:]
            for table in Catalog.countedTables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            }
            return counts
        }
    }
}
