/// Reads GGUF primitives from the bytes of a file prefix, signalling `.truncated` when the prefix ends too early.
struct GGUFCursor {
    let bytes: [UInt8]
    let fileSize: Int64?
    var position = 0
    var bigEndian = false

    init(bytes: [UInt8], fileSize: Int64?) {
        self.bytes = bytes
        self.fileSize = fileSize
    }

    /// Fails unless `count` more bytes are available.
    func need(_ count: UInt64) throws(HeaderError) {
        let (end, o) = UInt64(position).addingReportingOverflow(count)
        if o || end > UInt64(HeaderLimits.maxHeaderBytes) {
            throw .headerTooLarge(length: o ? UInt64.max : end, limit: HeaderLimits.maxHeaderBytes)
        }
        if end > UInt64(bytes.count) {
            if let size = fileSize, end > UInt64(max(size, 0)) { throw .fileTruncated(needed: Int64(end), fileSize: size) }
            throw .truncated(needed: Int64(end))
        }
    }

    mutating func skip(_ count: UInt64) throws(HeaderError) {
        try need(count)
        position += Int(count)
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(HeaderError) -> T {
        let size = MemoryLayout<T>.size
        try need(UInt64(size))
        var v: T = 0
        for i in 0..<size {
            // Truncating keeps the bit pattern: a byte ≥ 0x80 must not trap when T is a signed 8-bit type.
            let byte = T(truncatingIfNeeded: bytes[position + i])
            v |= bigEndian ? byte << (8 * (size - 1 - i)) : byte << (8 * i)
        }
        position += size
        return v
    }

    mutating func u32() throws(HeaderError) -> UInt32 { try integer(UInt32.self) }
    mutating func u64() throws(HeaderError) -> UInt64 { try integer(UInt64.self) }

    mutating func string() throws(HeaderError) -> String {
        let length = try u64()
        guard length <= HeaderLimits.maxStringBytes else { throw .stringTooLong(length: length, limit: HeaderLimits.maxStringBytes) }
        try need(length)
        let s = String(decoding: bytes[position..<(position + Int(length))], as: UTF8.self)
        position += Int(length)
        return s
    }

    mutating func skipString() throws(HeaderError) {
        let length = try u64()
        guard length <= HeaderLimits.maxStringBytes else { throw .stringTooLong(length: length, limit: HeaderLimits.maxStringBytes) }
        try skip(length)
    }

    /// Reads one value of `type`; arrays nest at most `HeaderLimits.maxNesting` deep.
    mutating func value(_ type: GGUFValueType, key: String, depth: Int = 0) throws(HeaderError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try integer(UInt8.self))
        case .int8: return .int8(try integer(Int8.self))
        case .uint16: return .uint16(try integer(UInt16.self))
        case .int16: return .int16(try integer(Int16.self))
        case .uint32: return .uint32(try integer(UInt32.self))
        case .int32: return .int32(try integer(Int32.self))
        case .float32: return .float32(Float(bitPattern: try integer(UInt32.self)))
        case .bool: return .bool(try integer(UInt8.self) != 0)
        case .string: return .string(try string())
        case .uint64: return .uint64(try integer(UInt64.self))
        case .int64: return .int64(try integer(Int64.self))
        case .float64: return .float64(Double(bitPattern: try integer(UInt64.self)))
        case .array: return .array(try array(key: key, depth: depth + 1))
        }
    }

    private mutating func array(key: String, depth: Int) throws(HeaderError) -> GGUFArray {
        guard depth <= HeaderLimits.maxNesting else { throw .nestingTooDeep(limit: HeaderLimits.maxNesting) }
        let rawType = try u32()
        guard let elementType = GGUFValueType(rawValue: rawType) else { throw .unknownValueType(rawType, key: key) }
        let count = try u64()
        guard count <= HeaderLimits.maxArrayLength else { throw .arrayTooLong(length: count, limit: HeaderLimits.maxArrayLength) }
        if count <= UInt64(HeaderLimits.keptArrayElements) {
            var values: [GGUFValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count { values.append(try value(elementType, key: key, depth: depth)) }
            return GGUFArray(elementType: elementType, count: Int(count), values: values)
        }
        // Long arrays (token lists, scores) are stepped over: only the length is kept.
        if let size = elementType.fixedSize {
            let (bytes, o) = count.multipliedReportingOverflow(by: UInt64(size))
            if o { throw .overflow("array sizes") }
            try skip(bytes)
        } else {
            for _ in 0..<count {
                if elementType == .string { try skipString() } else { _ = try value(elementType, key: key, depth: depth) }
            }
        }
        return GGUFArray(elementType: elementType, count: Int(count), values: nil)
    }
}
