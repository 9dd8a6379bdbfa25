import Foundation

/// Serialises GGUF headers (the inverse of `GGUFHeader.parse`), e.g. to build files for tests or a server.
public enum GGUFEncoder {
    /// One tensor to lay out; data offsets are assigned in order, each aligned.
    public struct Entry: Sendable, Equatable {
        /// Tensor name.
        public var name: String
        /// Dimensions, innermost first.
        public var dimensions: [Int64]
        /// ggml storage type.
        public var type: GGMLTensorType

        /// Creates an entry.
        public init(name: String, dimensions: [Int64], type: GGMLTensorType) {
            self.name = name; self.dimensions = dimensions; self.type = type
        }

        /// Elements.
        public var elementCount: Int64 { dimensions.reduce(1, *) }
        /// Exact bytes (whole blocks).
        public var byteCount: Int64 { elementCount / type.block.elements * type.block.bytes }
    }

    /// A serialised header and where the data goes.
    public struct Layout: Sendable, Equatable {
        /// Everything before the tensor data, padded to the alignment.
        public var header: Data
        /// Each tensor's offset relative to the data section.
        public var offsets: [Int64]
        /// Bytes of the data section (up to the end of the last tensor).
        public var dataSize: Int64
    }

    /// Serialises a header. Arrays whose `values` are nil are written with `count` generated elements
    /// (`"t0"`, `"t1"`… for strings, zero bytes otherwise), to make large token lists cheaply.
    public static func layout(version: UInt32 = 3, metadata: [(key: String, value: GGUFValue)], tensors: [Entry],
                              bigEndian: Bool = false) -> Layout {
        let alignment = max(1, metadata.last(where: { $0.key == "general.alignment" })?.value.intValue ?? 32)
        var w = Writer(bigEndian: bigEndian)
        w.bytes.append(contentsOf: "GGUF".utf8)
        w.put(version)
        w.put(UInt64(tensors.count))
        w.put(UInt64(metadata.count))
        for (key, value) in metadata {
            w.putString(key)
            w.put(value.type.rawValue)
            w.putValue(value)
        }
        var offsets: [Int64] = []
        var position: Int64 = 0
        for t in tensors {
            offsets.append(position)
            w.putString(t.name)
            w.put(UInt32(t.dimensions.count))
            for d in t.dimensions { w.put(UInt64(d)) }
            w.put(UInt32(t.type.rawValue))
            w.put(UInt64(position))
            position = align(position + t.byteCount, alignment)
        }
        let padded = align(Int64(w.bytes.count), alignment)
        w.bytes.append(Data(count: Int(padded) - w.bytes.count))
        let dataSize = (offsets.last ?? 0) + (tensors.last?.byteCount ?? 0)
        return Layout(header: w.bytes, offsets: offsets, dataSize: dataSize)
    }

    static func align(_ value: Int64, _ alignment: Int64) -> Int64 {
        (value + alignment - 1) / alignment * alignment
    }

    private struct Writer {
        var bigEndian: Bool
        var bytes = Data()

        mutating func put<T: FixedWidthInteger>(_ value: T) {
            var v = bigEndian ? value.bigEndian : value.littleEndian
            withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
        }

        mutating func putString(_ s: String) {
            put(UInt64(s.utf8.count))
            bytes.append(contentsOf: s.utf8)
        }

        mutating func putValue(_ value: GGUFValue) {
            switch value {
            case let .uint8(v): put(v)
            case let .int8(v): put(v)
            case let .uint16(v): put(v)
            case let .int16(v): put(v)
            case let .uint32(v): put(v)
            case let .int32(v): put(v)
            case let .float32(v): put(v.bitPattern)
            case let .bool(v): put(UInt8(v ? 1 : 0))
            case let .string(v): putString(v)
            case let .uint64(v): put(v)
            case let .int64(v): put(v)
            case let .float64(v): put(v.bitPattern)
            case let .array(a):
                put(a.elementType.rawValue)
                put(UInt64(a.count))
                if let values = a.values {
                    for v in values { putValue(v) }
                } else if a.elementType == .string {
                    for i in 0..<a.count { putString("t\(i)") }
                } else if let size = a.elementType.fixedSize {
                    bytes.append(Data(count: size * a.count))
                }
            }
        }
    }
}
