import Foundation
import HubScoutCatalog

/// Opening the catalog, and filling it from the shipped snapshot on a fresh machine.
///
/// The catalog lives at `$HUBSCOUT_HOME/catalog.sqlite` (default `~/.cache/hubscout/catalog.sqlite`).
/// When it holds no model, the snapshot `models.jsonl` is imported with memory estimates from the real
/// `MemoryEstimator` (`CatalogEstimator`). The snapshot is looked for, in order:
/// 1. `$HUBSCOUT_SNAPSHOT` (a file path);
/// 2. `cache/models.jsonl` in the executable's folder or any folder above it (a checkout or a
///    package root: `.build/debug/hubscout` finds `<root>/cache/models.jsonl`); the executable is
///    `CommandLine.arguments[0]` resolved through `PATH` and symlinks;
/// 3. `/usr/local/share/hubscout/models.jsonl` (installed copies).
public enum FirstRun {
    /// Where installed copies keep the snapshot.
    public static let installedSnapshotPath = "/usr/local/share/hubscout/models.jsonl"

    /// An opened catalog and what opening it did.
    public struct Prepared: Sendable {
        /// The catalog, ready to use.
        public var catalog: Catalog
        /// What the snapshot import did, when it ran (the catalog was empty).
        public var imported: SnapshotImportResult?
        /// The snapshot used, or that would be used.
        public var snapshot: URL?
        /// Problems that did not stop it (no FTS5, no snapshot found, a bad snapshot), in plain words.
        public var warnings: [String]
    }

    /// Opens the catalog of `environment` and imports the snapshot when the catalog is empty. Only a catalog
    /// that cannot be opened is an error; a missing or invalid snapshot is a warning.
    public static func prepareCatalog(environment: HubEnvironment = HubEnvironment(),
                                      executablePath: String? = CommandLine.arguments.first) async throws(CatalogError) -> Prepared {
        let path = (environment.hubscoutHome as NSString).appendingPathComponent("catalog.sqlite")
        let catalog = try Catalog(path: path)
        var warnings = catalog.warnings.map(\.description)
        let snapshot = locateSnapshot(variables: environment.variables, executablePath: executablePath)
        var imported: SnapshotImportResult?
        if let snapshot {
            do {
                imported = try await catalog.importSnapshotIfEmpty(snapshot, estimator: CatalogEstimator.snapshotEstimator)
            } catch {
                warnings.append("the shipped snapshot was not imported: \(error)")
            }
        } else if try await catalog.isEmpty {
            warnings.append("the catalog is empty and no snapshot (models.jsonl) was found; set HUBSCOUT_SNAPSHOT or run hubscout catalog sync")
        }
        return Prepared(catalog: catalog, imported: imported, snapshot: snapshot, warnings: warnings)
    }

    /// The snapshot to import, per the order above; nil when none exists.
    public static func locateSnapshot(variables: [String: String], executablePath: String?) -> URL? {
        if let explicit = variables["HUBSCOUT_SNAPSHOT"], !explicit.isEmpty {
            return FileManager.default.isReadableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        var starts: [String] = []
        if let executable = executablePath.flatMap({ resolveExecutable($0, path: variables["PATH"]) }) { starts.append(executable) }
        if let own = Bundle.main.executablePath { starts.append((own as NSString).resolvingSymlinksInPath) }
        for start in starts {
            var folder = (start as NSString).deletingLastPathComponent
            for _ in 0..<32 {
                let candidate = folder + "/cache/models.jsonl"
                if FileManager.default.isReadableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
                let parent = (folder as NSString).deletingLastPathComponent
                if parent == folder || parent.isEmpty { break }
                folder = parent
            }
        }
        if FileManager.default.isReadableFile(atPath: installedSnapshotPath) { return URL(fileURLWithPath: installedSnapshotPath) }
        return nil
    }

    /// The absolute, symlink-free path of an executable named as `argv[0]` (a path, or a name found on `PATH`).
    static func resolveExecutable(_ argument: String, path: String?) -> String? {
        guard !argument.isEmpty else { return nil }
        var candidate: String?
        if argument.contains("/") {
            candidate = argument.hasPrefix("/") ? argument : FileManager.default.currentDirectoryPath + "/" + argument
        } else {
            for folder in (path ?? "").split(separator: ":") {
                let full = String(folder) + "/" + argument
                if FileManager.default.isExecutableFile(atPath: full) { candidate = full; break }
            }
        }
        return candidate.map { (($0 as NSString).standardizingPath as NSString).resolvingSymlinksInPath }
    }
}
