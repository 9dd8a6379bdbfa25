import Foundation
import Testing
@testable import HubScoutCore

/// Builds GGUF file bytes in memory from the public encoder.
enum GGUFTestFile {
    static func bytes(version: UInt32 = 3, metadata: [(key: String, value: GGUFValue)], tensors: [GGUFEncoder.Entry],
                      bigEndian: Bool = false) -> Data {
        let layout = GGUFEncoder.layout(version: version, metadata: metadata, tensors: tensors, bigEndian: bigEndian)
        var data = layout.header
        data.append(Data(count: Int(layout.dataSize)))
        return data
    }

    static func llamaMetadata(tokens: Int = 2000) -> [(key: String, value: GGUFValue)] {
        [("general.architecture", .string("llama")), ("general.name", .string("Tiny Llama")),
         ("general.file_type", .uint32(15)), ("llama.context_length", .uint32(131072)), ("llama.block_count", .uint32(2)),
         ("llama.embedding_length", .uint32(256)), ("llama.feed_forward_length", .uint32(512)),
         ("llama.attention.head_count", .uint32(8)), ("llama.attention.head_count_kv", .uint32(2)),
         ("llama.rope.freq_base", .float32(500000)), ("general.quantization_version", .uint32(2)),
         ("tokenizer.ggml.model", .string("gpt2")),
         ("tokenizer.ggml.tokens", .array(GGUFArray(elementType: .string, count: tokens, values: nil))),
         ("tokenizer.ggml.scores", .array(GGUFArray(elementType: .float32, count: tokens, values: nil))),
         ("tokenizer.ggml.eos_token_ids", .array(GGUFArray(elementType: .int32, count: 2, values: [.int32(1), .int32(2)]))),
         ("general.tags", .array(GGUFArray(elementType: .string, count: 2, values: [.string("a"), .string("b")]))),
         ("general.is_test", .bool(true)), ("general.i8", .int8(-3)), ("general.u16", .uint16(7)), ("general.i16", .int16(-7)),
         ("general.u64", .uint64(1 << 40)), ("general.i64", .int64(-(1 << 40))), ("general.f64", .float64(0.25)),
         ("general.u8", .uint8(9))]
    }

    static let llamaTensors: [GGUFEncoder.Entry] = [
        .init(name: "token_embd.weight", dimensions: [256, 2000], type: .q4_K),
        .init(name: "blk.0.attn_q.weight", dimensions: [256, 256], type: .q4_K),
        .init(name: "blk.0.attn_v.weight", dimensions: [256, 64], type: .q6_K),
        .init(name: "blk.0.ffn_down.weight", dimensions: [512, 256], type: .q8_0),
        .init(name: "blk.0.attn_norm.weight", dimensions: [256], type: .f32),
        .init(name: "blk.1.ffn_up.weight", dimensions: [256, 512], type: .iq4_XS),
        .init(name: "blk.1.ffn_gate.weight", dimensions: [256, 512], type: .mxfp4),
        .init(name: "output.weight", dimensions: [256, 2000], type: .bf16),
    ]
}

@Suite("GGUF headers")
struct GGUFHeaderTests {
    @Test("A written v3 file parses back exactly: metadata, architecture keys, tensor infos and exact bytes")
    func roundTrip() throws {
        let file = GGUFTestFile.bytes(metadata: GGUFTestFile.llamaMetadata(), tensors: GGUFTestFile.llamaTensors)
        let h = try GGUFHeader.parse(file, fileSize: Int64(file.count))
        #expect(h.version == 3 && !h.isBigEndian)
        #expect(h.architecture == "llama" && h.name == "Tiny Llama")
        #expect(h.contextLength == 131072 && h.blockCount == 2 && h.embeddingLength == 256 && h.feedForwardLength == 512)
        #expect(h.headCount == 8 && h.headCountKV == 2)
        #expect(h.fileType == 15 && h.fileTypeName == "Q4_K_M")
        #expect(h.alignment == 32 && h.tensorDataOffset % 32 == 0)
        #expect(h.metadataKeys.first == "general.architecture" && h.metadataKeys.count == GGUFTestFile.llamaMetadata().count)
        let tokens = try #require(h.metadata["tokenizer.ggml.tokens"]?.arrayValue)
        #expect(tokens.count == 2000 && tokens.values == nil && tokens.elementType == .string)
        #expect(h.metadata["tokenizer.ggml.scores"]?.arrayValue?.count == 2000)
        #expect(h.metadata["tokenizer.ggml.eos_token_ids"]?.arrayValue?.values == [.int32(1), .int32(2)])
        #expect(h.metadata["general.f64"]?.doubleValue == 0.25 && h.metadata["general.i64"]?.intValue == -(1 << 40))
        #expect(h.metadata["general.is_test"]?.boolValue == true && h.metadata["llama.rope.freq_base"]?.doubleValue == 500000)
        #expect(h.tensors.map(\.name) == GGUFTestFile.llamaTensors.map(\.name))
        // Exact bytes from the type table: Q4_K 144 B / 256, Q6_K 210 / 256, Q8_0 34 / 32, IQ4_XS 136 / 256, MXFP4 17 / 32.
        let expectedBytes: [Int64] = [2000 * 144, 256 * 144, 64 * 210, 4096 * 34, 1024, 512 * 136, 4096 * 17, 1_024_000]
        #expect(h.tensors.map(\.byteCount) == expectedBytes)
        #expect(h.tensors.map(\.typeName) == ["Q4_K", "Q4_K", "Q6_K", "Q8_0", "F32", "IQ4_XS", "MXFP4", "BF16"])
        #expect(h.parameterCount == GGUFTestFile.llamaTensors.reduce(0) { $0 + $1.elementCount })
        #expect(h.tensorBytes == GGUFTestFile.llamaTensors.reduce(0) { $0 + $1.byteCount })
        let layout = GGUFEncoder.layout(metadata: GGUFTestFile.llamaMetadata(), tensors: GGUFTestFile.llamaTensors)
        #expect(h.tensors.map(\.offset) == layout.offsets && h.tensorDataOffset == Int64(layout.header.count))
    }

    @Test("Version 2, big-endian files and a custom alignment parse too")
    func variants() throws {
        let meta: [(key: String, value: GGUFValue)] = [("general.architecture", .string("qwen3moe")), ("general.alignment", .uint32(64)),
                                                       ("qwen3moe.expert_count", .uint32(128)), ("qwen3moe.expert_used_count", .uint32(8))]
        let tensors = [GGUFEncoder.Entry(name: "a", dimensions: [32, 3], type: .q4_0), .init(name: "b", dimensions: [5], type: .f16)]
        for (version, bigEndian) in [(UInt32(2), false), (3, true)] {
            let file = GGUFTestFile.bytes(version: version, metadata: meta, tensors: tensors, bigEndian: bigEndian)
            let h = try GGUFHeader.parse(file, fileSize: Int64(file.count))
            #expect(h.version == version && h.isBigEndian == bigEndian)
            #expect(h.alignment == 64 && h.tensorDataOffset % 64 == 0 && h.tensors[1].offset == 64)
            #expect(h.expertCount == 128 && h.expertUsedCount == 8 && h.architecture == "qwen3moe")
            #expect(h.parameterCount == 101 && h.tensorBytes == 3 * 18 + 10)
        }
    }

    @Test("Per-layer head counts report their largest entry")
    func perLayerHeads() throws {
        let meta: [(key: String, value: GGUFValue)] = [("general.architecture", .string("openelm")),
            ("openelm.attention.head_count", .array(GGUFArray(elementType: .int32, count: 3, values: [.int32(12), .int32(16), .int32(20)])))]
        let h = try GGUFHeader.parse(GGUFTestFile.bytes(metadata: meta, tensors: []))
        #expect(h.headCount == 20 && h.tensors.isEmpty && h.parameterCount == 0)
    }

    @Test("A short prefix asks for more; the whole header is needed before tensor infos are known")
    func truncation() throws {
        let file = GGUFTestFile.bytes(metadata: GGUFTestFile.llamaMetadata(), tensors: GGUFTestFile.llamaTensors)
        let h = try GGUFHeader.parse(file)
        var last: Int64 = 0
        // The last cut falls inside the last tensor info (53 bytes; alignment padding is under 32).
        for cut in [0, 3, 8, 23, 100, 5000, Int(h.tensorDataOffset) - 40] {
            do {
                _ = try GGUFHeader.parse(file.prefix(cut))
                Issue.record("prefix of \(cut) parsed")
            } catch {
                guard case let .truncated(needed) = error else { Issue.record("\(error)"); continue }
                #expect(needed > Int64(cut) && needed >= last)
                last = needed
            }
        }
        #expect(throws: HeaderError.self) { try GGUFHeader.parse(file.prefix(100), fileSize: 100) }
    }

    /// Builds a header by hand, field by field, to express hostile values the encoder cannot write.
    static func hostile(_ build: (inout Data) -> Void) -> Data {
        var d = Data("GGUF".utf8)
        build(&d)
        return d
    }

    static func put<T: FixedWidthInteger>(_ v: T, _ d: inout Data) {
        var x = v.littleEndian
        withUnsafeBytes(of: &x) { d.append(contentsOf: $0) }
    }

    @Test("Hostile headers give typed errors: magic, versions, counts, strings, arrays, dims, types, offsets")
    func hostileHeaders() {
        func expectError(_ expected: HeaderError, _ file: Data, _ comment: Comment? = nil) {
            #expect(throws: expected, comment) { try GGUFHeader.parse(file) }
        }
        expectError(.badMagic, Data("GGML\u{3}\0\0\0".utf8) + Data(count: 16))
        expectError(.unsupportedVersion(1), Self.hostile { Self.put(UInt32(1), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64(0), &$0) })
        expectError(.unsupportedVersion(7), Self.hostile { Self.put(UInt32(7), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64(0), &$0) })
        expectError(.tooManyTensors(count: 1 << 63, limit: HeaderLimits.maxTensorCount),
                    Self.hostile { Self.put(UInt32(3), &$0); Self.put(UInt64(1) << 63, &$0); Self.put(UInt64(0), &$0) })
        expectError(.tooManyKeys(count: UInt64.max, limit: HeaderLimits.maxKeyValueCount),
                    Self.hostile { Self.put(UInt32(3), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64.max, &$0) })
        expectError(.stringTooLong(length: 1 << 62, limit: HeaderLimits.maxStringBytes),
                    Self.hostile { Self.put(UInt32(3), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64(1), &$0); Self.put(UInt64(1 << 62), &$0) })
        let key: (inout Data) -> Void = { d in Self.put(UInt64(1), &d); d.append(UInt8(ascii: "k")) }
        expectError(.unknownValueType(13, key: "k"), Self.hostile {
            Self.put(UInt32(3), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64(1), &$0); key(&$0); Self.put(UInt32(13), &$0) })
        expectError(.arrayTooLong(length: UInt64.max, limit: HeaderLimits.maxArrayLength), Self.hostile {
            Self.put(UInt32(3), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64(1), &$0); key(&$0)
            Self.put(UInt32(9), &$0); Self.put(UInt32(0), &$0); Self.put(UInt64.max, &$0) })
        // A long fixed-size array whose bytes would pass the header cap (49 header bytes precede its elements).
        expectError(.headerTooLarge(length: 4 * 99_999_999 + 49, limit: HeaderLimits.maxHeaderBytes), Self.hostile {
            Self.put(UInt32(3), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64(1), &$0); key(&$0)
            Self.put(UInt32(9), &$0); Self.put(UInt32(4), &$0); Self.put(UInt64(99_999_999), &$0) })
        // Arrays of arrays nested past the limit.
        expectError(.nestingTooDeep(limit: HeaderLimits.maxNesting), Self.hostile {
            Self.put(UInt32(3), &$0); Self.put(UInt64(0), &$0); Self.put(UInt64(1), &$0); key(&$0); Self.put(UInt32(9), &$0)
            for _ in 0..<40 { Self.put(UInt32(9), &$0); Self.put(UInt64(1), &$0) }
        })
        let tensor: (inout Data, UInt32, [UInt64], UInt32, UInt64) -> Void = { d, n, dims, type, offset in
            Self.put(UInt32(3), &d); Self.put(UInt64(1), &d); Self.put(UInt64(0), &d)
            Self.put(UInt64(1), &d); d.append(UInt8(ascii: "t")); Self.put(n, &d)
            for x in dims { Self.put(x, &d) }
            Self.put(type, &d); Self.put(offset, &d)
        }
        expectError(.tooManyDimensions(name: "t", count: 9, limit: 8), Self.hostile { tensor(&$0, 9, Array(repeating: 1, count: 9), 0, 0) })
        expectError(.unknownTensorType(99, name: "t"), Self.hostile { tensor(&$0, 1, [32], 99, 0) })
        expectError(.overflow("element counts of tensor t"), Self.hostile { tensor(&$0, 2, [1 << 40, 1 << 40], 0, 0) })
        expectError(.invalidTensor(name: "t", reason: "dimension 18446744073709551615 is too large"),
                    Self.hostile { tensor(&$0, 1, [UInt64.max], 0, 0) })
        expectError(.invalidTensor(name: "t", reason: "offset 9223372036854775808 is too large"),
                    Self.hostile { tensor(&$0, 1, [32], 0, UInt64(1) << 63) })
        expectError(.invalidTensor(name: "t", reason: "its offset 7 is not a multiple of the alignment 32"),
                    Self.hostile { tensor(&$0, 1, [32], 0, 7) })
        expectError(.invalidTensor(name: "t", reason: "its first dimension 33 is not a multiple of the Q4_0 block size 32"),
                    Self.hostile { tensor(&$0, 1, [33], 2, 0) })
        expectError(.overflow("offsets of tensor t"), Self.hostile { tensor(&$0, 1, [1 << 40], 0, UInt64(Int64.max) - 31) })
        // Tensor data that runs past the end of the file.
        let short = Self.hostile { tensor(&$0, 1, [1024], 0, 0) }
        #expect(throws: HeaderError.self) { try GGUFHeader.parse(short, fileSize: Int64(short.count) + 10) }
        // A bad alignment.
        let aligned = GGUFTestFile.bytes(metadata: [("general.alignment", .uint32(48))], tensors: [])
        #expect(throws: HeaderError.invalidAlignment(48)) { try GGUFHeader.parse(aligned) }
    }

    @Test("HeaderReader reads a multi-MB token list in growing chunks and stops at the tensor infos")
    func readerGrowth() async throws {
        let meta = GGUFTestFile.llamaMetadata(tokens: 300_000)
        let tensors = [GGUFEncoder.Entry(name: "token_embd.weight", dimensions: [256, 300_000], type: .q8_0)]
        let layout = GGUFEncoder.layout(metadata: meta, tensors: tensors)
        var file = layout.header
        file.append(Data(count: Int(layout.dataSize)))
        let reader = HeaderReader(source: DataRangeReader(file))
        let h = try await reader.readGGUFHeader()
        let fetched = await reader.bytesFetched
        let requests = await reader.requestCount
        #expect(h.tensorDataOffset > 2 * Int64(HeaderReader.ggufFirstChunk))
        #expect(h.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count == 300_000)
        let embeddingBytes: Int64 = 256 * 300_000 / 32 * 34
        #expect(h.tensors.first?.byteCount == embeddingBytes)
        #expect(fetched >= h.tensorDataOffset - 64 && fetched <= 2 * h.tensorDataOffset)
        #expect(fetched < Int64(file.count) / 4)
        #expect(requests >= 2 && requests <= 4)
    }

    @Test("HeaderReader reads a header that fits the first chunk in one request")
    func readerSmall() async throws {
        let file = GGUFTestFile.bytes(metadata: GGUFTestFile.llamaMetadata(tokens: 10), tensors: GGUFTestFile.llamaTensors)
        let reader = HeaderReader(source: DataRangeReader(file))
        _ = try await reader.readGGUFHeader()
        let fetched = await reader.bytesFetched
        let requests = await reader.requestCount
        #expect(fetched == min(Int64(file.count), Int64(HeaderReader.ggufFirstChunk)) && requests == 1)
    }
}
