import Foundation

/// What identifies a file's content without reading it: a file whose device, inode, size and modification time are
/// unchanged still has the content it had when it was hashed.
public struct ContentHashKey: Sendable, Hashable, Codable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var modifiedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64) {
        self.device = device; self.inode = inode; self.size = size; self.modifiedNanoseconds = modifiedNanoseconds
    }

    /// The key of a local model file.
    public init(_ file: LocalModelFile) {
        self.init(device: file.device, inode: file.inode, size: file.size,
                  modifiedNanoseconds: Int64((file.modified.timeIntervalSince1970 * 1e9).rounded()))
    }
}

/// Remembers sha256 digests computed by `DuplicateFinder`, so a second scan reads nothing again (the catalog keeps
/// them; `InMemoryHashMemo` serves tests and one-off runs).
public protocol ContentHashMemo: Sendable {
    /// The digest remembered for `key`, if any.
    func sha256(for key: ContentHashKey) async -> String?
    /// Remembers `sha256` for `key`.
    func remember(_ sha256: String, for key: ContentHashKey) async
}

/// A memo that lives as long as the process.
public actor InMemoryHashMemo: ContentHashMemo {
    private var digests: [ContentHashKey: String] = [:]
    public init() {}
    public func sha256(for key: ContentHashKey) -> String? { digests[key] }
    public func remember(_ sha256: String, for key: ContentHashKey) { digests[key] = sha256 }
}
