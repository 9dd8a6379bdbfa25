import Foundation

/// What went wrong in the local catalog; every description says what to do about it.
public enum CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The catalog file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// A migration failed; the file may come from a newer hubscout.
    case migrationFailed(path: String, reason: String)
    /// SQLite reported an error while reading or writing.
    case database(operation: String, reason: String)
    /// The SQLite library lacks FTS5, so text search uses slower substring matching.
    case fullTextSearchUnavailable(reason: String)
    /// A snapshot file could not be read or holds an invalid line.
    case invalidSnapshot(path: String, line: Int, reason: String)
    /// A value passed in cannot be stored (e.g. an invalid repository id).
    case invalidValue(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "Cannot open the catalog at \(path): \(reason). Check that the folder exists and is writable, or point HUBSCOUT_HOME elsewhere."
        case let .migrationFailed(path, reason):
            "Cannot upgrade the catalog schema at \(path): \(reason). If a newer hubscout wrote it, upgrade hubscout; otherwise delete the file to rebuild it."
        case let .database(operation, reason):
            "The catalog failed to \(operation): \(reason). Retry; if it persists, delete the catalog file to rebuild it."
        case let .fullTextSearchUnavailable(reason):
            "The system SQLite has no working FTS5 (\(reason)); text search falls back to slower substring matching without stemming. Install an SQLite built with FTS5 to fix this."
        case let .invalidSnapshot(path, line, reason):
            "The catalog snapshot \(path) is invalid at line \(line): \(reason). Rebuild it with scripts/build-snapshot.py."
        case let .invalidValue(reason):
            "Cannot store this in the catalog: \(reason)."
        }
    }
}
