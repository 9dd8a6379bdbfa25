/// Hard caps applied to safetensors and GGUF headers, so hostile files cost bounded memory and time.
public enum HeaderLimits {
    /// Largest header read (the safetensors JSON, or GGUF metadata + tensor infos): 100 MiB.
    public static let maxHeaderBytes: Int64 = 100 * 1024 * 1024
    /// Most tensors in one file.
    public static let maxTensorCount: UInt64 = 1_000_000
    /// Most GGUF metadata key/value pairs.
    public static let maxKeyValueCount: UInt64 = 100_000
    /// Longest GGUF string.
    public static let maxStringBytes: UInt64 = 64 * 1024 * 1024
    /// Longest GGUF array (longer ones are refused; long ones are stepped over, not kept).
    public static let maxArrayLength: UInt64 = 100_000_000
    /// Arrays up to this many elements keep their values; longer ones (token lists) keep only their length.
    public static let keptArrayElements = 1024
    /// Most dimensions of one tensor.
    public static let maxDimensions = 8
    /// Deepest nesting of GGUF arrays, or of the safetensors JSON.
    public static let maxNesting = 16
    /// Largest `model.safetensors.index.json` accepted.
    public static let maxIndexBytes = 100 * 1024 * 1024
}
