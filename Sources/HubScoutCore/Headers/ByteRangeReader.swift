import Foundation

/// A source of bytes read by offset, such as a remote file read with HTTP `Range` requests or a local file.
public protocol ByteRangeReader: Sendable {
    /// The total size in bytes, when known.
    var size: Int64? { get }
    /// Up to `length` bytes starting at `offset`; fewer only at the end of the source, none past it.
    func read(offset: Int64, length: Int) async throws -> Data
}

/// A `ByteRangeReader` over bytes in memory, for tests and already downloaded files.
public struct DataRangeReader: ByteRangeReader {
    /// The bytes served.
    public let data: Data

    /// Serves `data`.
    public init(_ data: Data) { self.data = data }

    /// The size of `data`.
    public var size: Int64? { Int64(data.count) }

    /// The bytes of `data` in `offset ..< offset + length`, clipped to its end.
    public func read(offset: Int64, length: Int) async throws -> Data {
        guard offset >= 0, length > 0, offset < Int64(data.count) else { return Data() }
        let start = data.startIndex + Int(offset)
        let end = start + min(length, data.count - Int(offset))
        return data.subdata(in: start..<end)
    }
}
