import Foundation
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutKit

/// Records what a command saw into the local catalog. Never fails a command: problems become one
/// stderr note, and `HUBSCOUT_NO_CATALOG=1` turns recording off.
enum CatalogHook {
    /// Opens (and on first run fills) the catalog, runs `body` with a recorder, and reports warnings quietly.
    static func record(environment: HubEnvironment, _ body: (CatalogRecorder) async -> [String]) async {
        guard !HubEnvironment.isTrue(environment.variables["HUBSCOUT_NO_CATALOG"]) else { return }
        do {
            let prepared = try await FirstRun.prepareCatalog(environment: environment)
            let warnings = await body(CatalogRecorder(catalog: prepared.catalog))
            if let first = warnings.first {
                Terminal.note("note: the local catalog was not fully updated: \(first)")
            }
        } catch {
            Terminal.note("note: the local catalog could not be opened: \(error)")
        }
    }
}
