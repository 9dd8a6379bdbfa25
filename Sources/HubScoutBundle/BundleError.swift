import HubScoutCache
import HubScoutCore

/// Why a bundle could not be written, read, verified or imported. Each case names the member or the
/// file at fault and says what to do; nothing a failed import left behind is half-published.
public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: Writing a bundle

    /// `ORG/NAME[@REV][:QUANT]` does not parse.
    case invalidSpec(String, reason: String)
    /// The revision (or some of its files) is not in the local cache.
    case notCached(repo: String, revision: String, cache: String, detail: String)
    /// The include/exclude/quant filters left no file of a repository.
    case nothingSelected(repo: String, filters: [String])
    /// A cached file does not hash to the blob id it is stored under: the cache is damaged.
    case corruptCache(repo: String, path: String, expected: String, actual: String)
    /// This libarchive cannot write or read a compression filter.
    case compressionUnavailable(String)

    // MARK: Reading a bundle

    /// The file is not a hubscout bundle (no manifest first, or not a tar at all).
    case notABundle(path: String, reason: String)
    /// The manifest's format version is newer (or other) than this hubscout reads.
    case unsupportedManifestVersion(found: Int, supported: Int)
    /// The manifest is malformed (a bad id, hash, size or path).
    case invalidManifest(String)
    /// A member name that could write outside its folder (`..`, absolute, empty segments…).
    case unsafeMember(String, reason: String)
    /// A symlink, hard link, device, FIFO or folder member: bundles hold regular files only.
    case unsupportedMemberType(String, type: String)
    /// The same member (or manifest path) appears twice.
    case duplicateMember(String)
    /// Two names that differ only in case, on a disk that does not tell them apart.
    case caseCollision(String, String)
    /// A member the manifest does not list.
    case memberNotInManifest(String)
    /// A member whose size differs from the manifest's.
    case sizeMismatch(member: String, expected: Int64, actual: Int64)
    /// A member whose content does not hash to the manifest's sha256 or git blob id.
    case hashMismatch(member: String, expected: String, actual: String)
    /// The archive ends inside a member, or before every manifest file came.
    case truncated(member: String, detail: String)

    // MARK: Both

    /// libarchive failed (an I/O error while reading or writing the archive).
    case archive(path: String, operation: String, message: String)
    /// Not enough free space, checked before anything is written.
    case diskFull(path: String, needed: Int64, available: Int64)
    /// A local read, write, rename or link failed.
    case fileSystem(path: String, operation: String, message: String)
    /// The output exists already.
    case outputExists(String)
    /// A cache layout operation failed (an unsafe path, a link that could not be made).
    case cache(CacheError)

    public var description: String {
        switch self {
        case let .invalidSpec(text, reason):
            return "'\(text)' is not a bundle source (\(reason)); use ORG/NAME, ORG/NAME@REVISION or ORG/NAME:QUANT"
        case let .notCached(repo, revision, cache, detail):
            return "\(repo) @ \(revision) is not fully in the cache at \(cache): \(detail); download it first (hubscout download \(repo)\(revision == "main" ? "" : " --revision \(revision)")) or run bundle create with --download"
        case let .nothingSelected(repo, filters):
            return "no file of \(repo) matches \(filters.joined(separator: ", ")); loosen --include/--exclude or the quant"
        case let .corruptCache(repo, path, expected, actual):
            return "the cached \(repo) file '\(path)' does not match its blob id (expected \(expected), read \(actual)); the cache is damaged: run hubscout cache verify, then download it again"
        case let .compressionUnavailable(detail):
            return "this libarchive cannot compress with zstd (\(detail)); write a plain .tar bundle instead, or install a libarchive built with libzstd"
        case let .notABundle(path, reason):
            return "\(path) is not a hubscout bundle: \(reason)"
        case let .unsupportedManifestVersion(found, supported):
            return "the bundle's manifest has format version \(found); this hubscout reads version \(supported); use a hubscout at least as new as the one that wrote it"
        case let .invalidManifest(reason):
            return "the bundle's manifest is invalid: \(reason); the bundle was damaged or not written by hubscout"
        case let .unsafeMember(member, reason):
            return "refusing member '\(Self.shown(member))': \(reason); it could write outside the cache"
        case let .unsupportedMemberType(member, type):
            return "refusing member '\(Self.shown(member))': it is a \(type); a bundle holds regular files only"
        case let .duplicateMember(member):
            return "member '\(Self.shown(member))' appears twice in the bundle; it cannot be trusted"
        case let .caseCollision(first, second):
            return "members '\(Self.shown(first))' and '\(Self.shown(second))' differ only in case, and this disk does not tell them apart; import on a case-sensitive disk"
        case let .memberNotInManifest(member):
            return "member '\(Self.shown(member))' is not listed in the bundle's manifest; the bundle was altered"
        case let .sizeMismatch(member, expected, actual):
            return "member '\(Self.shown(member))' holds \(actual) bytes, the manifest says \(expected); the bundle was altered or damaged"
        case let .hashMismatch(member, expected, actual):
            return "member '\(Self.shown(member))' hashes to \(actual), the manifest says \(expected); the bundle was altered or damaged, nothing of it was published"
        case let .truncated(member, detail):
            return "the bundle is truncated at member '\(Self.shown(member))' (\(detail)); copy it again (bundle verify checks a copy); what was verified is kept and a rerun resumes"
        case let .archive(path, operation, message):
            return "could not \(operation) \(path): \(message)"
        case let .diskFull(path, needed, available):
            return "not enough free space in \(path): the import needs \(ByteCount.format(needed)) (\(needed) bytes), \(ByteCount.format(available)) is free; free some space or import into another --cache-dir"
        case let .fileSystem(path, operation, message):
            return "could not \(operation) \(path): \(message); check permissions and free space of that folder"
        case let .outputExists(path):
            return "\(path) exists already; remove it or choose another -o"
        case let .cache(error):
            return error.description
        }
    }

    /// A member name for a message: control characters escaped, at most 200 characters.
    static func shown(_ name: String) -> String {
        var text = ""
        for scalar in name.unicodeScalars.prefix(200) {
            text += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return name.unicodeScalars.count > 200 ? text + "…" : text
    }
}
