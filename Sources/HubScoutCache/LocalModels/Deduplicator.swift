import Foundation
import HubScoutCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces identical copies with hard links to one kept copy, so every tool keeps working and the bytes are stored
/// once. Each replacement: both files are hashed again and must match the group's sha256; the link is made under a
/// temporary name beside the copy and renamed over it (atomic: the tool sees the old file or the new link, never
/// nothing); files on another filesystem than the kept copy are never linked; partial downloads are never in the
/// inventory, so never touched.
public struct Deduplicator: Sendable {
    public let report: DuplicateReport

    public init(report: DuplicateReport) { self.report = report }

    /// What linking would do.
    public func plan() -> DedupePlan {
        var plan = DedupePlan(actions: [], skipped: [])
        for group in report.groups {
            guard let keep = group.copies.first, let keepPath = keep.contentPaths.first else { continue }
            for copy in group.copies.dropFirst() {
                guard copy.device == keep.device else {
                    for path in copy.contentPaths {
                        plan.skipped.append(DedupePlan.Skip(path: path, reason: "on another filesystem than \(keepPath); a hard link cannot cross filesystems"))
                    }
                    continue
                }
                // The bytes come back only when every name of the file is replaced; names outside the stores stay.
                let links = Self.linkCount(copy.contentPaths.first ?? "")
                let reclaimed = links.map { $0 <= copy.contentPaths.count } ?? false ? copy.size : 0
                for (index, path) in copy.contentPaths.enumerated() {
                    plan.actions.append(DedupeAction(sha256: group.sha256, keep: keepPath, replace: path, size: copy.size,
                                                     reclaimedBytes: index == 0 ? reclaimed : 0,
                                                     users: copy.users.map { "\($0.tool.rawValue): \($0.model)" }))
                }
            }
        }
        return plan
    }

    /// Carries out `plan`; each action is checked again on disk first, and skipped (with the reason) when anything changed.
    public func execute(_ plan: DedupePlan) async -> DedupeResult {
        var result = DedupeResult(linked: [], skipped: plan.skipped)
        for action in plan.actions {
            do {
                try await Self.link(action)
                result.linked.append(action)
            } catch {
                result.skipped.append(DedupePlan.Skip(path: action.replace, reason: error.description))
            }
        }
        return result
    }

    static func link(_ action: DedupeAction) async throws(DedupeError) {
        guard let keep = FileFacts.lstat(action.keep), keep.isRegular, let copy = FileFacts.lstat(action.replace), copy.isRegular else {
            throw .changed(path: action.replace, reason: "it or the kept copy is gone or no longer a regular file")
        }
        guard keep.identity != copy.identity else { throw .changed(path: action.replace, reason: "already linked to the kept copy") }
        guard keep.identity.device == copy.identity.device else {
            throw .changed(path: action.replace, reason: "on another filesystem than the kept copy")
        }
        guard keep.size == action.size, copy.size == action.size else { throw .changed(path: action.replace, reason: "its size changed") }
        for path in [action.keep, action.replace] {
            let digest: String
            do {
                digest = try await BlockingWork.run { try BlobDigest.ofFile(atPath: path, kind: .sha256, size: action.size).digest }
            } catch {
                throw .changed(path: path, reason: "it cannot be read (\(error))")
            }
            guard digest == action.sha256 else { throw .changed(path: path, reason: "its sha256 is \(digest), not \(action.sha256)") }
        }
        let folder = (action.replace as NSString).deletingLastPathComponent
        let temporary = folder + "/.hubscout-dedupe-\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard Glibc_link(action.keep, temporary) == 0 else {
            throw .fileSystem(path: action.replace, operation: "link", message: String(cString: strerror(errno)))
        }
        guard rename(temporary, action.replace) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw .fileSystem(path: action.replace, operation: "replace", message: message)
        }
    }

    /// `st_nlink` of a path.
    static func linkCount(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int(info.st_nlink)
    }
}

/// `link(2)` (named apart from `Foundation`'s overloads).
@inline(__always) private func Glibc_link(_ from: String, _ to: String) -> Int32 { link(from, to) }

/// What `hubscout dedupe` would do or did.
public struct DedupePlan: Sendable, Equatable, Codable {
    public var actions: [DedupeAction]
    public var skipped: [Skip]

    /// Bytes linking frees.
    public var reclaimableBytes: Int64 { ByteTotal.saturatingSum(actions.map(\.reclaimedBytes)) }

    /// A copy left as it is.
    public struct Skip: Sendable, Equatable, Codable {
        public var path: String
        public var reason: String
    }
}

/// One copy replaced by a hard link to the kept one.
public struct DedupeAction: Sendable, Equatable, Codable {
    public var sha256: String
    /// The copy kept.
    public var keep: String
    /// The copy replaced by a link to `keep`.
    public var replace: String
    public var size: Int64
    /// Bytes this replacement frees (0 when the file has other names that stay).
    public var reclaimedBytes: Int64
    /// The tools' models that use the replaced copy.
    public var users: [String]
}

/// What `Deduplicator.execute` did.
public struct DedupeResult: Sendable, Equatable, Codable {
    public var linked: [DedupeAction]
    public var skipped: [DedupePlan.Skip]
    /// Bytes freed.
    public var reclaimedBytes: Int64 { ByteTotal.saturatingSum(linked.map(\.reclaimedBytes)) }
}

/// Why a copy was not linked.
public enum DedupeError: Error, Sendable, Equatable, CustomStringConvertible {
    case changed(path: String, reason: String)
    case fileSystem(path: String, operation: String, message: String)

    public var description: String {
        switch self {
        case let .changed(path, reason): "\(path) was left alone: \(reason)"
        case let .fileSystem(path, operation, message): "could not \(operation) \(path): \(message)"
        }
    }
}
