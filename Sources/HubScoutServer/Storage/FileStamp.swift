import Foundation
import HubScoutCache

/// Size, modification time and inode of a file: when all three match, a remembered hash or parse still holds.
struct FileStamp: Sendable, Equatable {
    var size: Int64
    var modified: Date
    var inode: UInt64

    init(_ facts: FileFacts) {
        size = facts.size; modified = facts.modified; inode = facts.identity.inode
    }

    /// The stamp of `path` (following links); a missing file has an empty stamp.
    static func of(_ path: String) -> FileStamp {
        FileFacts.stat(path).map(FileStamp.init) ?? FileStamp(size: 0, modified: .distantPast, inode: 0)
    }

    private init(size: Int64, modified: Date, inode: UInt64) {
        self.size = size; self.modified = modified; self.inode = inode
    }
}
