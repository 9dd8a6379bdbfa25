import Foundation
import HubScoutCore

/// Writes real safetensors files for tests: `u64` LE header length, JSON header padded with spaces to 8 bytes,
/// then the tensors' bytes, contiguous in the order given. Large files are streamed to disk in chunks.
public struct SafetensorsWriter: Sendable {
    /// Tensors, in data order (sub-byte dtypes need an explicit byte count).
    public var tensors: [SafetensorsEncoder.Entry]
    /// `__metadata__` entries (omitted when empty).
    public var metadata: [(key: String, value: String)]
    /// What the tensor bytes hold.
    public var fill: TensorFill

    /// Creates a writer.
    public init(tensors: [SafetensorsEncoder.Entry], metadata: [(key: String, value: String)] = [("format", "pt")],
                fill: TensorFill = .zero) {
        self.tensors = tensors; self.metadata = metadata; self.fill = fill
    }

    /// Bytes of the tensor data section.
    public var dataSize: Int64 { tensors.reduce(0) { $0 + $1.byteCount } }
    /// Σ elements.
    public var parameterCount: Int64 { tensors.reduce(0) { $0 + $1.shape.reduce(1, *) } }
    /// The 8-byte length and the padded JSON header.
    public func headerBytes() -> Data { SafetensorsEncoder.header(tensors, metadata: metadata) }
    /// Size of the whole file.
    public var fileSize: Int64 { Int64(headerBytes().count) + dataSize }

    /// The whole file in memory (for small files).
    public func fileData() -> Data {
        var out = headerBytes()
        out.append(fill.bytes(offset: 0, count: Int(dataSize), block: fill.block()))
        return out
    }

    /// Writes the file to `url`, streaming the tensor data in chunks of `chunkSize` bytes.
    public func write(to url: URL, chunkSize: Int = 1 << 20) throws {
        try streamFile(to: url, header: headerBytes(), dataSize: dataSize, fill: fill, chunkSize: chunkSize)
    }
}
