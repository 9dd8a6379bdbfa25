import Foundation
import HubScoutCore
import HubScoutCatalogSync
import HubScoutKit

/// Prints catalog search results (`catalog search`, `search --offline`, and the automatic fallback).
enum OfflineSearchOutput {
    /// Runs the search and prints it: the "showing N models from the local catalog…" line on stderr, rows on stdout.
    /// - Throws: `OfflineSearchError.emptyCatalog` when the catalog holds no model at all: an empty answer would
    ///   read as "nothing matches" when nothing was searched.
    static func run(_ filters: ModelFilterOptions, environment: HubEnvironment, json: Bool) async throws {
        let catalog = try await HubScoutCommand.CatalogCommand.open(environment)
        if try await catalog.isEmpty {
            let snapshot = environment.variables["HUBSCOUT_SNAPSHOT"].flatMap { $0.isEmpty ? nil : $0 }
            throw OfflineSearchError.emptyCatalog(path: catalog.path, snapshot: snapshot)
        }
        let fit = await filters.fits?.budget().constraint(precision: filters.precision.precision, context: filters.context)
        let result = try await OfflineSearch(catalog: catalog).search(filters.filter, fit: fit)
        Terminal.note(result.lastSyncDescription)
        if json {
            Terminal.print(try Format.json(result.rows.map(OfflineRowJSON.init)))
            return
        }
        guard !result.rows.isEmpty else {
            Terminal.note(fit == nil ? "no models match these filters" : "no models fit with these filters")
            return
        }
        var table = SearchTable(withFit: fit != nil)
        for row in result.rows {
            let fitCell = "\(row.fitPrecision?.rawValue ?? "?") \(row.fitTotalBytes.map { ByteCount.format($0) } ?? "?")"
            table.append(id: row.id, task: row.task, parameters: row.parameters, fit: fitCell, downloads: row.downloads,
                         likes: row.likes, gated: row.gated, updated: row.lastModified)
        }
        table.print()
    }
}

/// Why an offline search has no answer to give.
enum OfflineSearchError: Error, CustomStringConvertible {
    /// The catalog holds no model (no snapshot imported, nothing synced).
    case emptyCatalog(path: String, snapshot: String?)

    var description: String {
        switch self {
        case let .emptyCatalog(path, snapshot):
            let sync = "run hubscout catalog sync once the Hub can be reached"
            let fix = snapshot.map { "unset HUBSCOUT_SNAPSHOT (\($0)) to use the snapshot built into hubscout, or \(sync)" } ?? sync
            return "the local catalog (\(path)) is empty, so there is nothing to search without the Hub; \(fix)"
        }
    }
}
