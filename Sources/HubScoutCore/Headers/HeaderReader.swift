import Foundation

/// Reads safetensors and GGUF headers from a `ByteRangeReader` (e.g. HTTP Range requests) without the weights:
/// it reads a first chunk and asks for more only as the header needs, counting the bytes fetched.
public actor HeaderReader {
    /// Where the bytes come from.
    public let source: any ByteRangeReader
    /// Bytes received from `source` so far.
    public private(set) var bytesFetched: Int64 = 0
    /// Read calls made to `source` so far.
    public private(set) var requestCount = 0
    private var buffer = Data()
    private var reachedEnd = false

    /// First read for safetensors: 64 KiB covers most headers in one request.
    public static let safetensorsFirstChunk = 64 * 1024
    /// First read for GGUF: 1 MiB; token arrays can make headers several MB, read in doubling chunks.
    public static let ggufFirstChunk = 1024 * 1024

    /// Reads from `source`.
    public init(source: any ByteRangeReader) {
        self.source = source
    }

    /// Reads and parses a safetensors header: one request when it fits the first chunk, else exactly one more.
    public func readSafetensorsHeader(firstChunk: Int = HeaderReader.safetensorsFirstChunk) async throws -> SafetensorsHeader {
        try await fill(to: Int64(max(8, firstChunk)))
        while true {
            switch try Self.attempt({ () throws(HeaderError) in try SafetensorsHeader.parse(buffer, fileSize: knownSize) }) {
            case let .parsed(header): return header
            case let .needs(needed): try await fillOrFail(to: needed)
            }
        }
    }

    /// Reads and parses a GGUF header, growing the read (doubling) until the tensor infos are complete.
    public func readGGUFHeader(firstChunk: Int = HeaderReader.ggufFirstChunk) async throws -> GGUFHeader {
        try await fill(to: Int64(max(16, firstChunk)))
        while true {
            switch try Self.attempt({ () throws(HeaderError) in try GGUFHeader.parse(buffer, fileSize: knownSize) }) {
            case let .parsed(header): return header
            case let .needs(needed):
                // Doubling keeps the number of requests (and re-parses) logarithmic in the header size.
                let target = min(max(needed, Int64(buffer.count) * 2), HeaderLimits.maxHeaderBytes)
                try await fillOrFail(to: max(target, needed))
            }
        }
    }

    private enum Attempt<T> {
        case parsed(T)
        case needs(Int64)
    }

    /// Runs a parse, turning "read more" into a value so the async loop does not catch typed errors.
    private static func attempt<T>(_ parse: () throws(HeaderError) -> T) throws(HeaderError) -> Attempt<T> {
        do {
            return .parsed(try parse())
        } catch {
            if case let .truncated(needed) = error { return .needs(needed) }
            throw error
        }
    }

    /// The file size: the source's, or where it ended.
    private var knownSize: Int64? { source.size ?? (reachedEnd ? Int64(buffer.count) : nil) }

    private func fillOrFail(to target: Int64) async throws {
        let before = buffer.count
        try await fill(to: target)
        if buffer.count == before {
            // No progress: the source ended before the header did.
            throw HeaderError.fileTruncated(needed: target, fileSize: Int64(buffer.count))
        }
    }

    /// Reads until the buffer holds `target` bytes or the source ends.
    private func fill(to target: Int64) async throws {
        var goal = min(target, HeaderLimits.maxHeaderBytes + 8)
        if let size = source.size { goal = min(goal, size) }
        while Int64(buffer.count) < goal, !reachedEnd {
            let want = Int(goal - Int64(buffer.count))
            let chunk = try await source.read(offset: Int64(buffer.count), length: want)
            requestCount += 1
            bytesFetched += Int64(chunk.count)
            if chunk.isEmpty { reachedEnd = true; break }
            buffer.append(chunk.prefix(want))
        }
    }
}
