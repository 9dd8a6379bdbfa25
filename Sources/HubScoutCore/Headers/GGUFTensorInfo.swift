/// One tensor info of a GGUF header.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// Tensor name (e.g. `blk.0.attn_q.weight`).
    public var name: String
    /// Dimensions, innermost first (ggml's `ne`).
    public var dimensions: [Int64]
    /// ggml storage type id.
    public var typeID: UInt32
    /// Offset of the tensor's data, relative to the start of the data section.
    public var offset: Int64
    /// Elements (product of the dimensions).
    public var elementCount: Int64
    /// Exact bytes: elements / block size × bytes per block.
    public var byteCount: Int64

    /// Creates a tensor info.
    public init(name: String, dimensions: [Int64], typeID: UInt32, offset: Int64, elementCount: Int64, byteCount: Int64) {
        self.name = name; self.dimensions = dimensions; self.typeID = typeID; self.offset = offset
        self.elementCount = elementCount; self.byteCount = byteCount
    }

    /// The storage type, when known.
    public var type: GGMLTensorType? { GGMLTensorType(rawValue: Int(typeID)) }
    /// The type's llama.cpp name (`Q4_K`), or `type<id>`.
    public var typeName: String { type?.name ?? "type\(typeID)" }
}
