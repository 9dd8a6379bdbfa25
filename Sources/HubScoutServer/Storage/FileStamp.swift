import Foundation

/// Size, modification time and inode of a file: when all three match, a remembered hash or parse still holds.
struct FileStamp: Sendable, Equatable {
    var size: Int64
    var modified: Date
    var inode: UInt64

    init(_ info: FileProbe.Info) {
        size = info.size; modified = info.modified; inode = info.inode
    }

    /// The stamp of `path` (following links).
    static func of(_ path: String) -> FileStamp { FileStamp(FileProbe.info(path, follow: true)) }
}
