import Foundation
import HubScoutCore
import HubScoutKit

/// Prints catalog search results (`catalog search`, `search --offline`, and the automatic fallback).
enum OfflineSearchOutput {
    /// Runs the search and prints it: the "showing N models from the local catalog…" line on stderr, rows on stdout.
    static func run(_ options: OfflineSearch.Options, environment: HubEnvironment, json: Bool) async throws {
        let catalog = try await HubScoutCommand.CatalogCommand.open(environment)
        let result = try await OfflineSearch(catalog: catalog).search(options)
        Terminal.note(result.lastSyncDescription)
        if json {
            Terminal.print(try Format.json(result.rows.map(OfflineRowJSON.init)))
            return
        }
        guard !result.rows.isEmpty else { return }
        let withFit = options.fit != nil
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

    /// The fit options for a `--fits SIZE|auto` value.
    static func fit(_ fits: String?, precision: SearchPrecision, context: Int?) async -> OfflineSearch.Fit? {
        guard let fits else { return nil }
        if fits.lowercased() == "auto" {
            return .init(budget: .hardware(await HardwareDetector().detect().hostMemory), precision: precision, context: context)
        }
        return ByteCount.parse(fits).map { .init(budgetBytes: $0.bytes, precision: precision, context: context) }
    }
}
