/// Decides which files count as LFS files when a cache holds plain files (and for fixture caches):
/// weight-like extensions, or anything at least `sizeThreshold` bytes.
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
}
