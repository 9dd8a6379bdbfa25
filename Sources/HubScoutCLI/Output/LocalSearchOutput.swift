import ArgumentParser
import Foundation
import HubScoutCatalog
import HubScoutCore
import HubScoutKit

/// `search --local`: the models found on this machine by the last `ls --all` or `dedupe` scan, as recorded in the catalog.
enum LocalSearchOutput {
    /// The weight format a `--library` value names, where it names one; nil for libraries that are not a file format.
    static func format(library: String) -> String? {
        switch library.lowercased() {
        case "gguf": "gguf"
        case "safetensors": "safetensors"
        default: nil
        }
    }

    /// Searches the recorded scan and prints it: rows on stdout (the `ls --all` table without DUP, or its JSON objects),
    /// the scan's date on stderr.
    /// - Throws: `ExitCode(27)` after an error message when nothing was ever scanned: an empty answer would read as
    ///   "no local model matches" when nothing was looked at.
    static func run(_ filters: ModelFilterOptions, tool: String?, environment: HubEnvironment, json: Bool) async throws {
        let catalog = try await HubScoutCommand.CatalogCommand.open(environment)
        guard let scan = try await catalog.lastLocalScan() else {
            let error = LocalSearchError.nothingScanned(path: catalog.path)
            Terminal.error(error.description)
            throw ExitCode(error.exitCode)
        }
        let filter = LocalModelFilter(text: filters.query, author: filters.author, format: filters.library.flatMap(format(library:)), tool: tool)
        let found = try await catalog.localModels(matching: filter)
        let rows = found.prefix(filters.limit).map(LocalModelJSON.init)
        Terminal.note("showing \(rows.count) of \(Plural.count(found.count, "local model")) matching, as scanned \(Format.day(scan.scannedAt)) "
                      + "(\(Plural.count(scan.modelCount, "model")) then; hubscout ls --all scans again)")
        if json {
            Terminal.print(try Format.json(Array(rows)))
            return
        }
        guard !rows.isEmpty else {
            Terminal.note("no local models match these filters")
            return
        }
        Terminal.print(LocalModelsListing.table(Array(rows), duplicates: false))
    }
}

/// Why `search --local` has no answer to give.
enum LocalSearchError: Error, CustomStringConvertible {
    /// No cross-tool scan was ever recorded in this catalog.
    case nothingScanned(path: String)

    var description: String {
        switch self {
        case let .nothingScanned(path):
            "no local models were ever recorded in the catalog (\(path)); run hubscout ls --all first"
        }
    }
}
