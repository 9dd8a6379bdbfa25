/// One entry of an archive as libarchive read it, before any check: its raw name, type and size.
struct ArchiveMember: Sendable, Equatable {
    /// What an entry is.
    enum Kind: Sendable, Equatable, CustomStringConvertible {
        case regular, directory, symlink, hardlink, characterDevice, blockDevice, fifo, socket
        case other(UInt32)

        var description: String {
            switch self {
            case .regular: "regular file"
            case .directory: "folder"
            case .symlink: "symbolic link"
            case .hardlink: "hard link"
            case .characterDevice: "character device"
            case .blockDevice: "block device"
            case .fifo: "FIFO"
            case .socket: "socket"
            case let .other(mode): "entry of unknown type \(String(mode, radix: 8))"
            }
        }
    }

    /// `S_IFREG` as libarchive spells it (`AE_IFREG`).
    static let regularFileType: UInt32 = 0o100000

    /// The name as stored (UTF-8), unchecked.
    var name: String
    var kind: Kind
    /// The size in the header, nil when the header has none.
    var size: Int64?

    /// The kind of a libarchive file type (`AE_IF*`), or a hard link when the entry names a link target.
    static func kind(fileType: UInt32, isHardLink: Bool) -> Kind {
        if isHardLink { return .hardlink }
        switch fileType & 0o170000 {
        case 0o100000: return .regular
        case 0o040000: return .directory
        case 0o120000: return .symlink
        case 0o020000: return .characterDevice
        case 0o060000: return .blockDevice
        case 0o010000: return .fifo
        case 0o140000: return .socket
        default: return .other(fileType)
        }
    }
}
