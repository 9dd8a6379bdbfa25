import Foundation

/// Serialises safetensors headers (the inverse of `SafetensorsHeader.parse`), e.g. to build files for tests or a server.
public enum SafetensorsEncoder {
    /// One tensor to lay out: its bytes follow the previous tensor's.
    public struct Entry: Sendable, Equatable {
        /// Tensor name.
        public var name: String
        /// safetensors dtype.
        public var dtype: String
        /// Shape.
        public var shape: [Int64]
        /// Bytes of the tensor's data.
        public var byteCount: Int64

        /// Creates an entry; `byteCount` defaults to elements × the dtype's width (1 for unknown widths).
        public init(name: String, dtype: String, shape: [Int64], byteCount: Int64? = nil) {
            self.name = name; self.dtype = dtype; self.shape = shape
            self.byteCount = byteCount ?? shape.reduce(1, *) * Int64(SafetensorsDType.byteWidth(dtype) ?? 1)
        }
    }

    /// The 8-byte little-endian length and the JSON header (space-padded to a multiple of 8), offsets contiguous in order.
    public static func header(_ entries: [Entry], metadata: [(key: String, value: String)] = []) -> Data {
        var parts: [String] = []
        if !metadata.isEmpty {
            parts.append("\"__metadata__\":{" + metadata.map { quote($0.key) + ":" + quote($0.value) }.joined(separator: ",") + "}")
        }
        var offset: Int64 = 0
        for e in entries {
            let shape = e.shape.map(String.init).joined(separator: ",")
            parts.append(quote(e.name) + ":{\"dtype\":" + quote(e.dtype) + ",\"shape\":[" + shape + "],\"data_offsets\":["
                         + String(offset) + "," + String(offset + e.byteCount) + "]}")
            offset += e.byteCount
        }
        var json = Data(("{" + parts.joined(separator: ",") + "}").utf8)
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var out = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        return out
    }

    /// `s` as a JSON string literal.
    static func quote(_ s: String) -> String { JSONText.quoted(s) }
}
