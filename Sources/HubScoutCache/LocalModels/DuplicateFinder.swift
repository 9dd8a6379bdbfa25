import Foundation
import HubScoutCore

/// Finds identical weight files across every tool's store, by content. Only files whose size another file shares can
/// be copies, so only those are looked at; their sha256 comes from the store's own naming (Ollama digests, Hugging Face
/// LFS blob names, llama.cpp manifests), else from the memo, else from hashing the file once (streaming), remembered in
/// the memo. Hard links of one file are one copy.
public struct DuplicateFinder: Sendable {
    public let memo: (any ContentHashMemo)?

    public init(memo: (any ContentHashMemo)?) { self.memo = memo }

    /// The duplicate groups of `inventory`, largest reclaimable first.
    public func find(in inventory: LocalInventory) async throws -> DuplicateReport {
        // Every distinct content file (by device and inode), with each path and model that uses it.
        var byIdentity: [FileIdentity: DuplicateCopy] = [:]
        for model in inventory.models {
            for file in model.files {
                if byIdentity[file.identity] == nil {
                    byIdentity[file.identity] = DuplicateCopy(contentPaths: [], device: file.device, inode: file.inode, size: file.size,
                                                             users: [], statedSHA256: file.statedSHA256, key: ContentHashKey(file))
                }
                if byIdentity[file.identity]?.contentPaths.contains(file.contentPath) == false {
                    byIdentity[file.identity]?.contentPaths.append(file.contentPath)
                }
                byIdentity[file.identity]?.users.append(DuplicateCopy.User(tool: model.tool, model: model.name, path: file.path))
                if byIdentity[file.identity]?.statedSHA256 == nil { byIdentity[file.identity]?.statedSHA256 = file.statedSHA256 }
            }
        }
        var report = DuplicateReport(groups: [], hashedFiles: 0, hashedBytes: 0, rememberedFiles: 0)
        let bySize = Dictionary(grouping: byIdentity.values, by: \.size).filter { $0.value.count > 1 && $0.key > 0 }
        var bySHA: [String: [DuplicateCopy]] = [:]
        for (_, copies) in bySize {
            for var copy in copies {
                if let stated = copy.statedSHA256 {
                    copy.sha256 = stated
                } else if let remembered = await memo?.sha256(for: copy.key) {
                    copy.sha256 = remembered
                    report.rememberedFiles += 1
                } else if let path = copy.contentPaths.first {
                    let size = copy.size
                    let digest = try await BlockingWork.run { try BlobDigest.ofFile(atPath: path, kind: .sha256, size: size) }
                    guard digest.read == copy.size else { continue }   // changed while read: not a settled file
                    copy.sha256 = digest.digest
                    report.hashedFiles += 1
                    report.hashedBytes &+= digest.read
                    await memo?.remember(digest.digest, for: copy.key)
                }
                if let sha = copy.sha256 { bySHA[sha, default: []].append(copy) }
            }
        }
        for (sha, copies) in bySHA where copies.count > 1 {
            let sorted = copies.sorted { a, b in
                let (ta, tb) = (a.users.map(\.tool).min() ?? .path, b.users.map(\.tool).min() ?? .path)
                return ta == tb ? (a.contentPaths.first ?? "") < (b.contentPaths.first ?? "") : ta < tb
            }
            report.groups.append(DuplicateGroup(sha256: sha, size: sorted[0].size, copies: sorted))
        }
        report.groups.sort { $0.wastedBytes == $1.wastedBytes ? $0.sha256 < $1.sha256 : $0.wastedBytes > $1.wastedBytes }
        return report
    }
}

/// What `DuplicateFinder` found.
public struct DuplicateReport: Sendable, Equatable, Codable {
    /// Sets of identical files, largest waste first.
    public var groups: [DuplicateGroup]
    /// Files read to hash them in this run (0 on a second run over unchanged files).
    public var hashedFiles: Int
    /// Bytes read to hash them.
    public var hashedBytes: Int64
    /// Files whose digest came from the memo.
    public var rememberedFiles: Int

    /// The group (1-based, as printed) a file's content belongs to.
    public func group(of identity: FileIdentity) -> Int? {
        groups.firstIndex { $0.copies.contains { $0.device == identity.device && $0.inode == identity.inode } }.map { $0 + 1 }
    }
}

/// Identical files: the first copy is the one kept when they are linked.
public struct DuplicateGroup: Sendable, Equatable, Codable {
    public var sha256: String
    public var size: Int64
    public var copies: [DuplicateCopy]

    /// Bytes beyond the first copy.
    public var wastedBytes: Int64 { size &* Int64(copies.count - 1) }
}

/// One distinct file (device and inode) holding a group's content.
public struct DuplicateCopy: Sendable, Equatable, Codable {
    /// One user of the file: a tool's model.
    public struct User: Sendable, Equatable, Codable {
        public var tool: LocalTool
        public var model: String
        public var path: String
    }

    /// Canonical paths that are this file (several when it is already hard-linked).
    public var contentPaths: [String]
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Models that use it.
    public var users: [User]
    /// The sha256 the store's naming states.
    public var statedSHA256: String?
    /// The memo key.
    public var key: ContentHashKey
    /// The sha256 used for grouping.
    public var sha256: String? = nil
}
