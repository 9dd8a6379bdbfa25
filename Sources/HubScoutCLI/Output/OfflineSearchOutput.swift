import Foundation
import HubScoutCore
import HubScoutCatalogSync
import HubScoutKit

/// Prints catalog search results (`catalog search`, `search --offline`, and the automatic fallback).
enum OfflineSearchOutput {
    /// Runs the search and prints it: the "showing N models from the local catalog…" line on stderr, rows on stdout.
    static func run(_ filters: ModelFilterOptions, environment: HubEnvironment, json: Bool) async throws {
        let catalog = try await HubScoutCommand.CatalogCommand.open(environment)
        let fit = await filters.fits?.budget().constraint(precision: filters.precision.precision, context: filters.context)
        let result = try await OfflineSearch(catalog: catalog).search(filters.filter, fit: fit)
        Terminal.note(result.lastSyncDescription)
        if json {
            Terminal.print(try Format.json(result.rows.map(OfflineRowJSON.init)))
            return
        }
        guard !result.rows.isEmpty else { return }
        let withFit = fit != nil
        var headers = ["MODEL", "TASK", "PARAMS", "DOWNLOADS", "LIKES", "GATED", "UPDATED"]
        if withFit { headers.insert("FIT", at: 3) }
        var table = Table(headers: headers, rightAligned: withFit ? [2, 3, 4, 5] : [2, 3, 4])
        for row in result.rows {
            var cells = [row.id, row.task ?? "—", Format.parameters(row.parameters), Format.count(row.downloads),
                         Format.count(row.likes), Format.gated(row.gated), Format.day(row.lastModified)]
            if withFit {
                cells.insert("\(row.fitPrecision?.rawValue ?? "?") \(row.fitTotalBytes.map { ByteCount.format($0) } ?? "?")", at: 3)
            }
            table.rows.append(cells)
        }
        Terminal.print(table.render())
    }
}
