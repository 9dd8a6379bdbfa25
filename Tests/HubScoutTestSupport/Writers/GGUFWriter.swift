import Foundation
import HubScoutCore

/// Writes real GGUF (v2/v3) files for tests: header, metadata, tensor infos, padding to the alignment, tensor data.
/// Large files are streamed to disk in chunks.
public struct GGUFWriter: Sendable {
    /// Format version written (2 or 3).
    public var version: UInt32
    /// Metadata in file order (arrays with nil `values` are generated, see `GGUFEncoder.layout`).
    public var metadata: [(key: String, value: GGUFValue)]
    /// Tensors in file order.
    public var tensors: [GGUFEncoder.Entry]
    /// What the tensor bytes hold (padding between tensors too).
    public var fill: TensorFill
    /// Write big-endian (for parser tests).
    public var bigEndian: Bool

    /// Creates a writer.
    public init(version: UInt32 = 3, metadata: [(key: String, value: GGUFValue)], tensors: [GGUFEncoder.Entry],
                fill: TensorFill = .zero, bigEndian: Bool = false) {
        self.version = version; self.metadata = metadata; self.tensors = tensors; self.fill = fill; self.bigEndian = bigEndian
    }

    /// The serialised header and data layout.
    public func layout() -> GGUFEncoder.Layout {
        GGUFEncoder.layout(version: version, metadata: metadata, tensors: tensors, bigEndian: bigEndian)
    }

    /// Σ elements.
    public var parameterCount: Int64 { tensors.reduce(0) { $0 + $1.elementCount } }
    /// Σ exact tensor bytes.
    public var tensorBytes: Int64 { tensors.reduce(0) { $0 + $1.byteCount } }
    /// Size of the whole file.
    public var fileSize: Int64 { let l = layout(); return Int64(l.header.count) + l.dataSize }

    /// The whole file in memory (for small files).
    public func fileData() -> Data {
        let l = layout()
        var out = l.header
        out.append(fill.bytes(offset: 0, count: Int(l.dataSize), block: fill.block()))
        return out
    }

    /// Writes the file to `url`, streaming the tensor data in chunks of `chunkSize` bytes.
    public func write(to url: URL, chunkSize: Int = 1 << 20) throws {
        let l = layout()
        try streamFile(to: url, header: l.header, dataSize: l.dataSize, fill: fill, chunkSize: chunkSize)
    }
}
