/// Why a local cache or target folder operation failed: a name that would leave its folder, or a
/// file system call that did not succeed. Each description says what to do.
public enum CacheError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file name (from a server, a listing or the command line) would escape the target folder or
    /// is not a plain relative path.
    case unsafePath(String, reason: String)
    /// A local write, rename, link or lock failed.
    case fileSystem(path: String, operation: String, message: String)

    public var description: String {
        switch self {
        case let .unsafePath(path, reason):
            "refusing the file name '\(path.replacingOccurrences(of: "\0", with: "\\0"))': \(reason); it could write outside the download folder"
        case let .fileSystem(path, operation, message):
            "could not \(operation) \(path): \(message); check permissions and free space of that folder"
        }
    }
}
