import Foundation
import HubScoutCore

/// Re-hashes cached blobs against their names: a 64-hex name is the LFS sha256 of the content, a 40-hex
/// name the git blob sha1 (`sha1("blob <size>\0" + content)`). Files are streamed in 1 MiB chunks on a
/// dedicated thread (never the cooperative pool); links whose blob is gone are reported as missing.
public struct CacheVerifier: Sendable {
    /// The inventory to check (from `CacheScanner`).
    public let inventory: CacheInventory
    /// Bytes read per chunk.
    public var chunkSize: Int

    /// A verifier over `inventory`.
    public init(inventory: CacheInventory, chunkSize: Int = 1 << 20) {
        self.inventory = inventory
        self.chunkSize = max(4096, chunkSize)
    }

    /// Verifies every blob of `repo` (all repositories when nil); `progress` gets each finished blob.
    public func verify(repo: String? = nil, progress: (@Sendable (BlobCheck) -> Void)? = nil) async throws(InventoryError) -> VerifyReport {
        let repos: [CachedRepo]
        if let repo {
            guard let found = inventory.repo(repo) else { throw .repoNotCached(repo: repo, cacheRoot: inventory.root) }
            repos = [found]
        } else {
            repos = inventory.repos
        }
        let chunk = chunkSize
        let work: @Sendable () -> VerifyReport = {
            var report = VerifyReport(checks: [], missing: [])
            // A store blob linked from several repositories under the same name is read once.
            var storeChecks: [String: BlobCheck] = [:]
            for repo in repos {
                for blob in repo.blobs {
                    var check: BlobCheck
                    if let storePath = blob.storePath, let earlier = storeChecks[storePath + "\n" + blob.name.lowercased()] {
                        check = earlier
                        check.repo = repo.id
                        check.path = blob.path
                    } else {
                        check = Self.check(blob, repo: repo.id, chunkSize: chunk)
                        if let storePath = blob.storePath { storeChecks[storePath + "\n" + blob.name.lowercased()] = check }
                    }
                    check.storePath = blob.storePath
                    progress?(check)
                    report.checks.append(check)
                }
                for revision in repo.revisions {
                    for file in revision.files where file.missing {
                        report.missing.append(MissingFile(repo: repo.id, commit: revision.commit, path: file.path, blob: file.blob))
                    }
                }
            }
            return report
        }
        do {
            return try await BlockingWork.run(work)
        } catch {
            throw .fileSystem(path: inventory.root, operation: "verify", reason: "\(error)")
        }
    }

    /// Hashes one blob (through a link into the shared store: the name is the content's id) and compares with its name.
    static func check(_ blob: CachedBlob, repo: String, chunkSize: Int) -> BlobCheck {
        let name = blob.name.lowercased()
        guard let id = BlobID(name) else {
            return BlobCheck(repo: repo, blob: blob.name, path: blob.path, size: blob.size, algorithm: nil, actual: nil, status: .unverifiable)
        }
        let algorithm: BlobCheck.Algorithm = id.isSHA256 ? .sha256 : .gitSHA1
        // The git header needs the size first; the file is re-measured while reading.
        guard let hashed = try? BlobDigest.ofFile(atPath: blob.path, kind: id.kind, size: blob.size, chunkSize: chunkSize) else {
            return BlobCheck(repo: repo, blob: blob.name, path: blob.path, size: blob.size, algorithm: algorithm, actual: nil, status: .unreadable)
        }
        // A file that changed size while read cannot match a git header written for the old size.
        let status: BlobCheck.Status = hashed.digest == name && hashed.read == blob.size ? .ok : .mismatch
        return BlobCheck(repo: repo, blob: blob.name, path: blob.path, size: hashed.read, algorithm: algorithm, actual: hashed.digest, status: status)
    }
}

/// The result of hashing one blob.
public struct BlobCheck: Sendable, Equatable, Codable {
    /// How the expected hash is computed.
    public enum Algorithm: String, Sendable, Codable {
        /// sha256 of the content (LFS files).
        case sha256
        /// git blob sha1 (`blob <size>\0` + content; regular git files).
        case gitSHA1 = "git-sha1"
    }

    /// The outcome.
    public enum Status: String, Sendable, Codable {
        /// The content hashes to the blob's name.
        case ok
        /// It does not: the file is corrupt.
        case mismatch
        /// The name is not a hash (unknown writer), so there is nothing to compare with.
        case unverifiable
        /// The file could not be read.
        case unreadable
    }

    /// Repository id.
    public var repo: String
    /// Blob file name (the expected hash).
    public var blob: String
    /// Absolute path.
    public var path: String
    /// Bytes hashed.
    public var size: Int64
    /// Algorithm used, nil when unverifiable.
    public var algorithm: Algorithm?
    /// The hash computed, nil when not computed.
    public var actual: String?
    /// The outcome.
    public var status: Status
    /// The shared-store blob the content was read from, when the entry links into the store.
    public var storePath: String? = nil
}

/// A snapshot entry whose blob is gone.
public struct MissingFile: Sendable, Equatable, Codable {
    /// Repository id.
    public var repo: String
    /// Snapshot commit.
    public var commit: String
    /// Path inside the repository.
    public var path: String
    /// The blob it should link to, when the link names one.
    public var blob: String?
}

/// Everything `CacheVerifier` found.
public struct VerifyReport: Sendable, Equatable, Codable {
    /// One entry per blob hashed (or skipped).
    public var checks: [BlobCheck]
    /// Snapshot entries whose target is missing.
    public var missing: [MissingFile]

    /// Blobs whose content does not match their name.
    public var mismatches: [BlobCheck] { checks.filter { $0.status == .mismatch } }
    /// Blobs that could not be read.
    public var unreadable: [BlobCheck] { checks.filter { $0.status == .unreadable } }
    /// Blobs verified as intact.
    public var verifiedCount: Int { checks.filter { $0.status == .ok }.count }
    /// Bytes hashed.
    public var bytesHashed: Int64 { ByteTotal.saturatingSum(checks.filter { $0.algorithm != nil }.map(\.size)) }
    /// True when nothing is corrupt, unreadable or missing.
    public var isClean: Bool { mismatches.isEmpty && unreadable.isEmpty && missing.isEmpty }
}
