import Foundation
import HubScoutCore

/// `hubscout-bundle.json`, the first member of every bundle: what the bundle holds, so that `ls` needs
/// no extraction and `import` needs no network.
///
/// Every other member is one repository file, named `models--ORG--NAME/snapshots/<commit>/<path>` (the
/// plain-file form of the Hugging Face cache), and listed here with its size and the hash it is checked
/// against: the sha256 of an LFS file, the git blob id of any other.
public struct BundleManifest: Sendable, Equatable, Codable {
    /// The manifest's member name.
    public static let memberName = "hubscout-bundle.json"
    /// The format version this hubscout writes and reads.
    public static let currentFormatVersion = 1
    /// The largest manifest read (a million files take about 200 MB of JSON).
    public static let maxBytes: Int64 = 256 << 20

    /// The layout version of this manifest and the members.
    public var formatVersion: Int
    /// When the bundle was written.
    public var createdAt: Date
    /// The hubscout that wrote it (`0.1.0 (commit …)`).
    public var hubscoutVersion: String
    /// One entry per repository revision.
    public var repos: [Repo]

    /// One repository at one commit.
    public struct Repo: Sendable, Equatable, Codable {
        /// `org/name`.
        public var id: String
        /// The 40-hex commit of the snapshot.
        public var commit: String
        /// The revision that was asked for (`main`, a tag, a commit).
        public var revision: String
        /// Refs of the source cache pointing at `commit` (`main`, `v1.0`, `refs/pr/1`).
        public var refs: [String]
        /// The model info the Hub gave when the bundle was written, when it was fetched.
        public var modelInfo: JSONValue?
        /// The model card (`README.md`), when the bundle holds it.
        public var card: String?
        /// `config.json`, when the bundle holds it.
        public var config: JSONValue?
        /// The files, in member order.
        public var files: [File]

        public init(id: String, commit: String, revision: String, refs: [String], modelInfo: JSONValue? = nil, card: String? = nil,
                    config: JSONValue? = nil, files: [File]) {
            self.id = id; self.commit = commit; self.revision = revision; self.refs = refs
            self.modelInfo = modelInfo; self.card = card; self.config = config; self.files = files
        }

        /// Bytes of all its files (saturating).
        public var totalBytes: Int64 { ByteTotal.saturatingSum(files.map(\.size)) }
    }

    /// One file of a repository.
    public struct File: Sendable, Equatable, Codable {
        /// Path inside the repository.
        public var path: String
        /// Size in bytes.
        public var size: Int64
        /// True for LFS (and Xet) files, checked by sha256.
        public var lfs: Bool
        /// The content's sha256 (LFS files).
        public var sha256: String?
        /// The git blob id, `sha1("blob <size>\0" + content)` (other files).
        public var gitBlobId: String?

        public init(path: String, size: Int64, blob: BlobID) {
            self.path = path
            self.size = size
            lfs = blob.isSHA256
            sha256 = blob.isSHA256 ? blob.value : nil
            gitBlobId = blob.isSHA256 ? nil : blob.value
        }

        /// The id the file is checked against and stored under in `blobs/`; nil when missing or malformed.
        public var blobID: BlobID? {
            let id = (lfs ? sha256 : gitBlobId).flatMap { BlobID($0) }
            guard let id, id.isSHA256 == lfs else { return nil }
            return id
        }
    }

    public init(createdAt: Date, hubscoutVersion: String, repos: [Repo]) {
        formatVersion = Self.currentFormatVersion
        self.createdAt = createdAt
        self.hubscoutVersion = hubscoutVersion
        self.repos = repos
    }

    /// The member name of a file: `models--org--name/snapshots/<commit>/<path>`.
    public static func memberName(repo: RepoID, commit: String, path: String) -> String {
        repo.cacheFolderName + "/snapshots/" + commit + "/" + path
    }

    /// Bytes of all files (saturating).
    public var totalBytes: Int64 { ByteTotal.saturatingSum(repos.map(\.totalBytes)) }
    /// Number of files.
    public var fileCount: Int { repos.reduce(0) { $0 + $1.files.count } }

    // MARK: - JSON

    /// The manifest as written: pretty-printed, keys sorted, dates ISO-8601.
    public func encoded() throws(BundleError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do { return try encoder.encode(self) } catch { throw .invalidManifest("it cannot be encoded: \(error)") }
    }

    /// Reads a manifest: the version is checked first, so a newer format says so instead of failing to decode.
    public static func decode(_ data: Data) throws(BundleError) -> BundleManifest {
        struct Probe: Decodable { var formatVersion: Int? }
        let probe: Probe
        do { probe = try SafeJSON.decode(Probe.self, from: data) } catch {
            throw .invalidManifest("it is not a JSON object (\(String(describing: error).prefix(200)))")
        }
        guard let version = probe.formatVersion else { throw .invalidManifest("it has no formatVersion") }
        guard version == currentFormatVersion else { throw .unsupportedManifestVersion(found: version, supported: currentFormatVersion) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try SafeJSON.decode(BundleManifest.self, from: data, using: decoder) } catch {
            throw .invalidManifest(String(describing: error).prefix(300).description)
        }
    }
}
