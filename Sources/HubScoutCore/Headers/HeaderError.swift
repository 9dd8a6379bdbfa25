/// Why a safetensors or GGUF header could not be read. Descriptions are user-facing sentences.
public enum HeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes given end before the header does; `needed` bytes from the start of the file are required.
    case truncated(needed: Int64)
    /// The file itself ends before its header does.
    case fileTruncated(needed: Int64, fileSize: Int64)
    /// The header length field is larger than the limit.
    case headerTooLarge(length: UInt64, limit: Int64)
    /// The header length field points past the end of the file.
    case headerExceedsFile(length: UInt64, fileSize: Int64)
    /// The safetensors header is not valid JSON, or not the expected JSON shape.
    case invalidJSON(String)
    /// JSON or GGUF arrays nest deeper than the limit.
    case nestingTooDeep(limit: Int)
    /// A tensor entry is malformed (bad dtype, shape, offsets or size).
    case invalidTensor(name: String, reason: String)
    /// The file does not start with the `GGUF` magic.
    case badMagic
    /// The GGUF version is not 2 or 3.
    case unsupportedVersion(UInt32)
    /// More tensors than the limit.
    case tooManyTensors(count: UInt64, limit: UInt64)
    /// More GGUF metadata keys than the limit.
    case tooManyKeys(count: UInt64, limit: UInt64)
    /// A GGUF string longer than the limit.
    case stringTooLong(length: UInt64, limit: UInt64)
    /// A GGUF array longer than the limit.
    case arrayTooLong(length: UInt64, limit: UInt64)
    /// A tensor with more dimensions than the limit.
    case tooManyDimensions(name: String, count: UInt32, limit: Int)
    /// A GGUF metadata value type id outside 0…12.
    case unknownValueType(UInt32, key: String)
    /// A ggml tensor type id not in the type table.
    case unknownTensorType(UInt32, name: String)
    /// `general.alignment` is zero, not a power of two or absurd.
    case invalidAlignment(Int64)
    /// Sizes or offsets overflow 64-bit arithmetic.
    case overflow(String)
    /// `model.safetensors.index.json` is malformed.
    case invalidIndex(String)

    /// A user-facing sentence naming what was wrong and how to fix it.
    public var description: String {
        switch self {
        case let .truncated(needed):
            return "The header needs the first \(needed) bytes of the file but fewer were read; read more of the file and try again."
        case let .fileTruncated(needed, size):
            return "The file is \(size) bytes but its header needs \(needed); the file is truncated or still downloading."
        case let .headerTooLarge(length, limit):
            return "The header claims \(length) bytes, over the \(limit)-byte limit; the file is corrupt or not a model file."
        case let .headerExceedsFile(length, size):
            return "The header claims \(length) bytes but the file has only \(size); the file is corrupt or truncated."
        case let .invalidJSON(detail):
            return "The safetensors header is not valid JSON of the expected shape (\(detail)); the file is corrupt or not safetensors."
        case let .nestingTooDeep(limit):
            return "The header nests deeper than \(limit) levels, which no model file does; the file was refused."
        case let .invalidTensor(name, reason):
            return "Tensor \"\(name.prefix(120))\" is malformed: \(reason); the file is corrupt."
        case .badMagic:
            return "The file does not start with \"GGUF\", so it is not a GGUF file; check the file name or download it again."
        case let .unsupportedVersion(v):
            return v == 1 ? "The file is GGUF version 1, an obsolete format; use a file converted with a current llama.cpp."
                          : "The file claims GGUF version \(v); only versions 2 and 3 are supported."
        case let .tooManyTensors(count, limit):
            return "The header lists \(count) tensors, over the limit of \(limit); the file is corrupt."
        case let .tooManyKeys(count, limit):
            return "The GGUF header lists \(count) metadata keys, over the limit of \(limit); the file is corrupt."
        case let .stringTooLong(length, limit):
            return "A GGUF string claims \(length) bytes, over the limit of \(limit); the file is corrupt."
        case let .arrayTooLong(length, limit):
            return "A GGUF array claims \(length) elements, over the limit of \(limit); the file is corrupt."
        case let .tooManyDimensions(name, count, limit):
            return "Tensor \"\(name.prefix(120))\" has \(count) dimensions, over the limit of \(limit); the file is corrupt."
        case let .unknownValueType(type, key):
            return "GGUF metadata key \"\(key.prefix(120))\" has unknown value type \(type); the file is corrupt or from a newer format."
        case let .unknownTensorType(type, name):
            return "Tensor \"\(name.prefix(120))\" has unknown ggml type \(type); the file is corrupt or uses a type this version does not know."
        case let .invalidAlignment(value):
            return "`general.alignment` is \(value); it must be a positive power of two. The file is corrupt."
        case let .overflow(what):
            return "The header's \(what) overflow 64-bit arithmetic; the file is corrupt."
        case let .invalidIndex(detail):
            return "model.safetensors.index.json is malformed (\(detail)); fetch it again or read the shard headers directly."
        }
    }
}
