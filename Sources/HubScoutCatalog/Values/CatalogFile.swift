/// One file of a model at a revision, as the catalog records it.
public struct CatalogFile: Sendable, Equatable, Codable {
    /// Revision (branch, tag or commit) the listing came from.
    public var revision: String
    /// Path inside the repository.
    public var path: String
    /// Size in bytes, when known.
    public var size: Int64?
    /// Lower-case hex sha256 of the content (LFS files), when known.
    public var sha256: String?
    /// File format (`safetensors`, `gguf`, `pytorch`, `onnx`, `mlx`…), when classified.
    public var format: String?
    /// Quantization name (e.g. `Q4_K_M`), when the file has one.
    public var quantization: String?

    /// Creates a file row.
    public init(revision: String, path: String, size: Int64? = nil, sha256: String? = nil, format: String? = nil, quantization: String? = nil) {
        self.revision = revision
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.format = format
        self.quantization = quantization
    }
}
