import Foundation
import HubScoutCatalog
import HubScoutKit

/// Opening the catalog, and filling it from the shipped snapshot on a fresh machine.
///
/// The catalog lives at `$HUBSCOUT_HOME/catalog.sqlite` (default `~/.cache/hubscout/catalog.sqlite`).
/// When it holds no model, a snapshot is imported with memory estimates from the real `MemoryEstimator`
/// (`CatalogEstimator`):
/// 1. `$HUBSCOUT_SNAPSHOT`, when set and not empty: that file (a file that cannot be read is a warning, and
///    nothing is imported);
/// 2. else the copy of `cache/models.jsonl` compiled into the binary (`SnapshotSource.embedded`), so a binary
///    copied anywhere, alone, answers offline searches on first run.
public enum FirstRun {
    /// An opened catalog and what opening it did.
    public struct Prepared: Sendable {
        /// The catalog, ready to use.
        public var catalog: Catalog
        /// What the snapshot import did, when it ran (the catalog was empty).
        public var imported: SnapshotImportResult?
        /// The snapshot file used, or that would be used, when it is one (`$HUBSCOUT_SNAPSHOT`); nil for the
        /// embedded copy (see `source`).
        public var snapshot: URL?
        /// The snapshot used, or that would be used; nil when `$HUBSCOUT_SNAPSHOT` names a file that cannot be read.
        public var source: SnapshotSource?
        /// Problems that did not stop it (no FTS5, an unreadable or bad snapshot), in plain words.
        public var warnings: [String]
    }

    /// Opens the catalog of `environment` and imports the snapshot when the catalog is empty. Only a catalog
    /// that cannot be opened is an error; a missing or invalid snapshot is a warning.
    public static func prepareCatalog(environment: HubEnvironment = HubEnvironment()) async throws(CatalogError) -> Prepared {
        let path = (environment.hubscoutHome as NSString).appendingPathComponent("catalog.sqlite")
        let catalog = try Catalog(path: path)
        var warnings = catalog.warnings.map(\.description)
        let source = snapshotSource(variables: environment.variables)
        var imported: SnapshotImportResult?
        if let source {
            do {
                imported = try await catalog.importSnapshotIfEmpty(source, estimator: CatalogEstimator.snapshotEstimator)
            } catch {
                warnings.append("the shipped snapshot was not imported: \(error)")
            }
        } else if try await catalog.isEmpty {
            let named = environment.variables["HUBSCOUT_SNAPSHOT"] ?? ""
            warnings.append("the catalog is empty and HUBSCOUT_SNAPSHOT names a file that cannot be read (\(named)); unset it to use the built-in snapshot, or run hubscout catalog sync")
        }
        var snapshot: URL?
        if case .file(let url) = source { snapshot = url }
        return Prepared(catalog: catalog, imported: imported, snapshot: snapshot, source: source, warnings: warnings)
    }

    /// The snapshot to import, per the order above: nil only when `$HUBSCOUT_SNAPSHOT` names a file that cannot
    /// be read.
    public static func snapshotSource(variables: [String: String]) -> SnapshotSource? {
        if let explicit = variables["HUBSCOUT_SNAPSHOT"], !explicit.isEmpty {
            return FileManager.default.isReadableFile(atPath: explicit) ? .file(URL(fileURLWithPath: explicit)) : nil
        }
        return .embedded
    }
}
