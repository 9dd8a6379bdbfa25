import HubScoutBundle
import HubScoutCache
import HubScoutKit

// Exit codes belong to the command line, not to the library: each error type the CLI reports gets
// its code here (the table is in README, "Exit codes").

extension HubError {
    /// The process exit code for this error (documented in README).
    var exitCode: Int32 {
        switch self {
        case .repoNotFound: 10
        case .gated: 11
        case .invalidToken, .notLoggedIn: 12
        case .revisionNotFound: 13
        case .entryNotFound: 14
        case .forbidden, .disabled: 15
        case .rateLimited: 16
        case .serverError: 17
        case .network, .offline: 18
        case .unexpectedStatus, .invalidResponse: 19
        }
    }
}

extension DownloadError {
    /// The process exit code for this error.
    var exitCode: Int32 {
        switch self {
        case .checksumMismatch, .sizeMismatch: 20
        case .diskFull: 21
        case .rangeNotHonoured, .retriesExhausted, .httpStatus: 23
        case .nothingSelected, .fileNotInRepo, .invalidPattern, .quantizationNotFound, .ambiguousQuantization: 25
        case .notInCache: 18
        }
    }
}

extension CacheError {
    /// The process exit code for this error.
    var exitCode: Int32 {
        switch self {
        case .unsafePath: 22
        case .fileSystem: 24
        }
    }
}

extension BundleError {
    /// The process exit code for this error (README, "Exit codes").
    var exitCode: Int32 {
        switch self {
        case .invalidSpec: 2
        case .notCached: 18
        case .hashMismatch, .sizeMismatch, .corruptCache: 20
        case .diskFull: 21
        case .unsafeMember, .unsupportedMemberType, .caseCollision: 22
        case .archive, .fileSystem, .outputExists: 24
        case .nothingSelected: 25
        case .notABundle, .unsupportedManifestVersion, .invalidManifest, .duplicateMember, .memberNotInManifest, .truncated: 26
        case .compressionUnavailable: 1
        case let .cache(error): error.exitCode
        }
    }
}

extension OfflineSearchError {
    /// The process exit code for this error (README, "Exit codes").
    var exitCode: Int32 {
        switch self {
        case .emptyCatalog: 27
        }
    }
}

extension CachedVariantError {
    /// The process exit code for this error (README, "Exit codes").
    var exitCode: Int32 {
        switch self {
        case .notInCache: 18
        case .corrupt: 20
        case .noGGUF, .quantizationNotFound, .ambiguous: 25
        case .unreadable: 24
        }
    }
}

extension ModelLinkError {
    /// The process exit code for this error (README, "Exit codes").
    var exitCode: Int32 {
        switch self {
        case .storeMissing, .unsupported, .invalidName: 25
        case .otherFilesystem, .occupied, .fileSystem: 24
        }
    }
}

extension LocalSearchError {
    /// The process exit code for this error (README, "Exit codes"): an empty catalog, as for `search --offline`.
    var exitCode: Int32 {
        switch self {
        case .nothingScanned: 27
        }
    }
}
