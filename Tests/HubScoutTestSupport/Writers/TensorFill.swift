import Foundation

/// What tensor data a test writer puts in a file.
public enum TensorFill: Sendable, Equatable {
    /// All zero bytes.
    case zero
    /// A deterministic non-zero pattern derived from `seed`, the same for the same offset in every write.
    case pattern(seed: UInt64)

    /// The pattern repeats every 65,521 bytes (a prime, so it never lines up with chunk or tensor boundaries).
    static let period = 65_521

    /// The repeating block for this fill.
    func block() -> [UInt8] {
        switch self {
        case .zero:
            return [UInt8](repeating: 0, count: Self.period)
        case let .pattern(seed):
            var state = seed &+ 0x9E37_79B9_7F4A_7C15
            var out = [UInt8](repeating: 0, count: Self.period)
            for i in 0..<Self.period {
                // SplitMix64 step.
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                out[i] = UInt8(truncatingIfNeeded: z ^ (z >> 31))
            }
            return out
        }
    }

    /// Bytes `offset ..< offset + count` of the fill, where offset counts from the start of the data section.
    func bytes(offset: Int64, count: Int, block: [UInt8]) -> Data {
        if self == .zero { return Data(count: count) }
        var out = Data(capacity: count)
        var position = Int(offset % Int64(Self.period))
        var remaining = count
        while remaining > 0 {
            let run = min(remaining, Self.period - position)
            out.append(contentsOf: block[position..<(position + run)])
            remaining -= run
            position = 0
        }
        return out
    }
}

/// Writes a header followed by `dataSize` bytes of fill to `url` in chunks, never holding the data in memory.
func streamFile(to url: URL, header: Data, dataSize: Int64, fill: TensorFill, chunkSize: Int) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.write(contentsOf: header)
    let block = fill.block()
    var written: Int64 = 0
    let step = max(1, chunkSize)
    while written < dataSize {
        let count = Int(min(Int64(step), dataSize - written))
        try handle.write(contentsOf: fill.bytes(offset: written, count: count, block: block))
        written += Int64(count)
    }
}
