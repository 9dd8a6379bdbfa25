/// Which files the Hub stores in LFS (and Xet) rather than in git: the one rule, used wherever a file's
/// kind is not stated by a listing (plain files in a cache made without symlinks, fixture caches).
///
/// Everything else about "is this an LFS file" follows from ids: a 64-hex `BlobID` (`BlobID.isSHA256`) is an
/// LFS/Xet file's sha256, a 40-hex one a git blob sha1; a listing says it with `lfs` (`LFSInfo`).
public struct LFSRule: Sendable, Equatable {
    /// Lower-case extensions stored in LFS regardless of size.
    public var extensions: Set<String>
    /// Files at least this large are LFS files.
    public var sizeThreshold: Int64

    /// Creates a rule.
    public init(extensions: Set<String> = LFSRule.standard.extensions, sizeThreshold: Int64 = 1 << 20) {
        self.extensions = extensions
        self.sizeThreshold = sizeThreshold
    }

    /// The Hub's usual `.gitattributes` set, with a 1 MiB size cut-off.
    public static let standard = LFSRule(
        extensions: ["safetensors", "gguf", "bin", "pth", "pt", "ckpt", "onnx", "h5", "msgpack", "ot", "tflite",
                     "pb", "npz", "npy", "pkl", "joblib", "model", "zip", "gz", "tar", "mlmodel", "parquet", "arrow"],
        sizeThreshold: 1 << 20)

    /// True when `path` of `size` bytes is an LFS file.
    public func isLFS(path: String, size: Int64) -> Bool {
        if size >= sizeThreshold { return true }
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return extensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// The hash a file's content is named by: sha256 for LFS files, git's blob sha1 for the others.
    public func digestKind(path: String, size: Int64) -> BlobID.Kind {
        isLFS(path: path, size: size) ? .sha256 : .gitSHA1
    }

    /// The pointer file git stores in place of an LFS file: its git blob sha1 is the Hub's `oid`/`blobId` of the
    /// file, and its length the `lfs.pointerSize`.
    public static func pointerText(sha256: BlobID, size: Int64) -> String {
        "version https://git-lfs.github.com/spec/v1\noid sha256:\(sha256.value)\nsize \(size)\n"
    }
}
