import Foundation

/// One tensor entry of a safetensors header.
public struct SafetensorsTensor: Sendable, Equatable, Codable {
    /// Tensor name (e.g. `model.layers.0.self_attn.q_proj.weight`).
    public var name: String
    /// Storage dtype (`BF16`, `F32`, `I32` for packed ints…).
    public var dtype: String
    /// Shape; `[]` is a scalar.
    public var shape: [Int64]
    /// Start of the tensor's bytes, relative to the data buffer.
    public var begin: Int64
    /// End (exclusive) of the tensor's bytes, relative to the data buffer.
    public var end: Int64

    /// Creates an entry.
    public init(name: String, dtype: String, shape: [Int64], begin: Int64, end: Int64) {
        self.name = name; self.dtype = dtype; self.shape = shape; self.begin = begin; self.end = end
    }

    /// Stored elements (product of the shape).
    public var elementCount: Int64 { shape.reduce(1) { $0 &* $1 } }
    /// Stored bytes, from the offsets (exact for packed dtypes too).
    public var byteCount: Int64 { end - begin }
}

/// A parsed safetensors header: `u64` little-endian length N, N bytes of JSON, then the data buffer.
public struct SafetensorsHeader: Sendable, Equatable {
    /// N, the JSON length.
    public var headerLength: Int64
    /// The tensors, ordered by data offset.
    public var tensors: [SafetensorsTensor]
    /// `__metadata__` (string → string).
    public var metadata: [String: String]
    /// Σ elements over all tensors (what the Hub reports as parameters).
    public var parameterCount: Int64
    /// Elements per dtype.
    public var parametersByDType: [String: Int64]
    /// Σ tensor bytes, from the offsets.
    public var tensorBytes: Int64

    /// File offset where the data buffer starts (8 + N).
    public var dataOffset: Int64 { 8 + headerLength }
    /// Bytes the file must have to hold every tensor (8 + N + the largest end offset).
    public var minimumFileSize: Int64 { dataOffset + (tensors.map(\.end).max() ?? 0) }

    /// Bytes from the start of the file needed to parse the header, once the first 8 bytes are known (nil before).
    public static func requiredPrefix(_ prefix: Data) throws(HeaderError) -> Int64? {
        guard prefix.count >= 8 else { return nil }
        let n = readLength(prefix)
        guard n <= UInt64(HeaderLimits.maxHeaderBytes) else { throw .headerTooLarge(length: n, limit: HeaderLimits.maxHeaderBytes) }
        return 8 + Int64(n)
    }

    /// Parses a header from the first bytes of a file. `fileSize`, when known, bounds the header and the offsets.
    /// Throws `.truncated(needed:)` when `prefix` is too short, so a caller can read more and retry.
    public static func parse(_ prefix: Data, fileSize: Int64? = nil) throws(HeaderError) -> SafetensorsHeader {
        guard prefix.count >= 8 else {
            if let size = fileSize, size < 8 { throw .fileTruncated(needed: 8, fileSize: size) }
            throw .truncated(needed: 8)
        }
        let n = readLength(prefix)
        guard n <= UInt64(HeaderLimits.maxHeaderBytes) else { throw .headerTooLarge(length: n, limit: HeaderLimits.maxHeaderBytes) }
        let length = Int64(n)
        if let size = fileSize, 8 + length > size { throw .headerExceedsFile(length: n, fileSize: size) }
        guard Int64(prefix.count) >= 8 + length else { throw .truncated(needed: 8 + length) }
        let json = prefix.subdata(in: (prefix.startIndex + 8)..<(prefix.startIndex + 8 + Int(length)))
        let dataSize = fileSize.map { $0 - 8 - length }
        return try parseJSON(json, headerLength: length, dataSize: dataSize)
    }

    private static func readLength(_ prefix: Data) -> UInt64 {
        var n: UInt64 = 0
        for (i, byte) in prefix.prefix(8).enumerated() { n |= UInt64(byte) << (8 * UInt64(i)) }
        return n
    }

    private static func parseJSON(_ json: Data, headerLength: Int64, dataSize: Int64?) throws(HeaderError) -> SafetensorsHeader {
        guard JSONNesting.depth(of: json, limit: HeaderLimits.maxNesting) <= HeaderLimits.maxNesting else {
            throw .nestingTooDeep(limit: HeaderLimits.maxNesting)
        }
        let root: JSONValue
        do {
            root = try SafeJSON.decode(JSONValue.self, from: json)
        } catch {
            throw .invalidJSON(String(String(describing: error).prefix(200)))
        }
        guard let object = root.objectValue else { throw .invalidJSON("the top level is not an object") }
        guard UInt64(object.count) <= HeaderLimits.maxTensorCount + 1 else {
            throw .tooManyTensors(count: UInt64(object.count), limit: HeaderLimits.maxTensorCount)
        }
        var metadata: [String: String] = [:]
        var tensors: [SafetensorsTensor] = []
        tensors.reserveCapacity(object.count)
        for (name, entry) in object {
            if name == "__metadata__" {
                guard let map = entry.objectValue else { throw .invalidJSON("__metadata__ is not an object") }
                for (k, v) in map { if let s = v.stringValue { metadata[k] = s } }
                continue
            }
            tensors.append(try tensor(name, entry, dataSize: dataSize))
        }
        tensors.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var params: Int64 = 0
        var bytes: Int64 = 0
        var byType: [String: Int64] = [:]
        var previousEnd: Int64 = 0
        for t in tensors {
            // Tensors may not share bytes (zero-size tensors may sit anywhere).
            if t.begin < previousEnd && t.byteCount > 0 {
                throw .invalidTensor(name: t.name, reason: "its bytes \(t.begin)..<\(t.end) overlap another tensor's")
            }
            previousEnd = max(previousEnd, t.end)
            let (p, o1) = params.addingReportingOverflow(t.elementCount)
            let (b, o2) = bytes.addingReportingOverflow(t.byteCount)
            let (d, o3) = byType[t.dtype, default: 0].addingReportingOverflow(t.elementCount)
            if o1 || o2 || o3 { throw .overflow("tensor sizes") }
            params = p; bytes = b; byType[t.dtype] = d
        }
        return SafetensorsHeader(headerLength: headerLength, tensors: tensors, metadata: metadata, parameterCount: params,
                                 parametersByDType: byType, tensorBytes: bytes)
    }

    private static func tensor(_ name: String, _ entry: JSONValue, dataSize: Int64?) throws(HeaderError) -> SafetensorsTensor {
        guard let fields = entry.objectValue else { throw .invalidTensor(name: name, reason: "its entry is not an object") }
        guard let dtype = fields["dtype"]?.stringValue, !dtype.isEmpty, dtype.count <= 32 else {
            throw .invalidTensor(name: name, reason: "it has no dtype string")
        }
        guard let rawShape = fields["shape"]?.arrayValue else { throw .invalidTensor(name: name, reason: "it has no shape list") }
        guard rawShape.count <= HeaderLimits.maxDimensions else {
            throw .tooManyDimensions(name: name, count: UInt32(clamping: rawShape.count), limit: HeaderLimits.maxDimensions)
        }
        var shape: [Int64] = []
        var elements: Int64 = 1
        for dim in rawShape {
            guard let d = strictInt(dim), d >= 0 else { throw .invalidTensor(name: name, reason: "a shape entry is not a non-negative integer") }
            let (e, o) = elements.multipliedReportingOverflow(by: d)
            if o { throw .overflow("element counts of tensor \(name.prefix(80))") }
            elements = e
            shape.append(d)
        }
        guard let offsets = fields["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = strictInt(offsets[0]), let end = strictInt(offsets[1]) else {
            throw .invalidTensor(name: name, reason: "data_offsets is not a pair of integers")
        }
        guard begin >= 0, end >= begin else {
            throw .invalidTensor(name: name, reason: "data_offsets [\(begin), \(end)] are negative or reversed")
        }
        if let size = dataSize, end > size {
            throw .invalidTensor(name: name, reason: "its bytes end at \(end), past the data buffer's \(size) bytes")
        }
        if let width = SafetensorsDType.byteWidth(dtype) {
            let (expected, o) = elements.multipliedReportingOverflow(by: Int64(width))
            if o { throw .overflow("byte sizes of tensor \(name.prefix(80))") }
            guard expected == end - begin else {
                throw .invalidTensor(name: name, reason: "\(elements) \(dtype) elements need \(expected) bytes but its offsets span \(end - begin)")
            }
        }
        return SafetensorsTensor(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// An integer JSON value (integral doubles below 2^53 too); strings and fractions are not integers here.
    static func strictInt(_ v: JSONValue) -> Int64? {
        switch v {
        case let .int(i): return Int64(i)
        case let .double(d) where d.rounded() == d && abs(d) <= 9_007_199_254_740_992: return Int64(d)
        default: return nil
        }
    }
}
