/// Checks a bundle without writing anything: every member is read and hashed against the manifest,
/// with the same member checks as an import (names, types, duplicates, sizes, truncation).
public enum BundleVerifier {
    /// Verifies the bundle at `path`; the first problem is thrown, naming its member.
    public static func verify(_ path: String, progress: (@Sendable (BundleProgress) -> Void)? = nil) async throws(BundleError) -> BundleVerifyResult {
        try await BundleWork.run { () throws(BundleError) in
            let stream = try MemberStream(path: path)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { buffer.deallocate() }
            var files = 0
            var bytes: Int64 = 0
            while let entry = try stream.next() {
                try stream.readContent(of: entry, buffer: buffer) { (_: UnsafeRawBufferPointer) throws(BundleError) in }
                files += 1
                bytes += entry.size
                progress?(BundleProgress(phase: .verifying, member: entry.member, repo: entry.repo.description, path: entry.path.value,
                                         size: entry.size, skipped: false, filesDone: files,
                                         filesTotal: stream.index.order.count, bytesDone: bytes, bytesTotal: stream.index.totalBytes))
            }
            return BundleVerifyResult(path: path, repos: stream.index.manifest.repos.map { "\($0.id)@\($0.commit)" }, files: files, bytes: bytes)
        }
    }
}

/// What `BundleVerifier.verify` checked (`bundle verify --json`).
public struct BundleVerifyResult: Sendable, Equatable, Codable {
    public var path: String
    /// `org/name@commit` per repository revision.
    public var repos: [String]
    /// Files read and found to match.
    public var files: Int
    /// Their bytes.
    public var bytes: Int64
}
