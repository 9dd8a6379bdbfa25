import Foundation
import Testing
@testable import HubScoutCore

/// Builds safetensors file bytes in memory from the public encoder.
enum SafetensorsTestFile {
    static func bytes(_ entries: [SafetensorsEncoder.Entry], metadata: [(key: String, value: String)] = [("format", "pt")]) -> Data {
        var data = SafetensorsEncoder.header(entries, metadata: metadata)
        data.append(Data(count: Int(entries.reduce(0) { $0 + $1.byteCount })))
        return data
    }

    /// A file whose header is hand-written JSON.
    static func raw(json: String, dataBytes: Int = 0) -> Data {
        var out = Data()
        var n = UInt64(json.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(Data(json.utf8))
        out.append(Data(count: dataBytes))
        return out
    }

    static let llamaLike: [SafetensorsEncoder.Entry] = [
        .init(name: "model.embed_tokens.weight", dtype: "BF16", shape: [320, 64]),
        .init(name: "model.layers.0.self_attn.q_proj.weight", dtype: "BF16", shape: [64, 64]),
        .init(name: "model.layers.0.input_layernorm.weight", dtype: "F32", shape: [64]),
        // GPTQ packs eight 4-bit values per int32: bytes come from the offsets, not elements × nominal width.
        .init(name: "model.layers.0.mlp.up_proj.qweight", dtype: "I32", shape: [8, 256]),
        .init(name: "model.layers.0.mlp.up_proj.scales", dtype: "F16", shape: [1, 256]),
        .init(name: "scalar", dtype: "F32", shape: []),
        .init(name: "fp4", dtype: "F4", shape: [64], byteCount: 32),
    ]
}

@Suite("safetensors headers")
struct SafetensorsHeaderTests {
    @Test("A written file parses back exactly: tensors, offsets, metadata, counts and bytes")
    func roundTrip() throws {
        let file = SafetensorsTestFile.bytes(SafetensorsTestFile.llamaLike)
        let h = try SafetensorsHeader.parse(file, fileSize: Int64(file.count))
        #expect(h.metadata == ["format": "pt"])
        #expect(h.tensors.count == 7)
        #expect(h.tensors.map(\.name) == SafetensorsTestFile.llamaLike.map(\.name))
        #expect(h.parameterCount == 320 * 64 + 64 * 64 + 64 + 8 * 256 + 256 + 1 + 64)
        #expect(h.parametersByDType == ["BF16": 320 * 64 + 64 * 64, "F32": 65, "I32": 2048, "F16": 256, "F4": 64])
        #expect(h.tensorBytes == Int64(file.count) - h.dataOffset)
        #expect(h.minimumFileSize == Int64(file.count))
        #expect(h.headerLength % 8 == 0)
        let scalar = try #require(h.tensors.first { $0.name == "scalar" })
        #expect(scalar.shape == [] && scalar.elementCount == 1 && scalar.byteCount == 4)
        #expect(h.tensors.first { $0.name == "fp4" }?.byteCount == 32)
    }

    @Test("A short prefix asks for exactly the header's length")
    func truncatedPrefix() throws {
        let file = SafetensorsTestFile.bytes(SafetensorsTestFile.llamaLike)
        let h = try SafetensorsHeader.parse(file)
        #expect(throws: HeaderError.truncated(needed: 8)) { try SafetensorsHeader.parse(file.prefix(5)) }
        #expect(throws: HeaderError.truncated(needed: h.dataOffset)) { try SafetensorsHeader.parse(file.prefix(100)) }
        #expect(try SafetensorsHeader.requiredPrefix(file.prefix(8)) == h.dataOffset)
        #expect(try SafetensorsHeader.requiredPrefix(file.prefix(7)) == nil)
    }

    @Test("Hostile lengths: 2^63, past the file, over the cap")
    func hostileLengths() {
        var huge = Data([0, 0, 0, 0, 0, 0, 0, 0x80]); huge.append(Data("{}".utf8))
        #expect(throws: HeaderError.headerTooLarge(length: 1 << 63, limit: HeaderLimits.maxHeaderBytes)) {
            try SafetensorsHeader.parse(huge)
        }
        let claims = SafetensorsTestFile.raw(json: "{}").prefix(8)
        var past = Data([0x00, 0x10, 0, 0, 0, 0, 0, 0]); past.append(claims.dropFirst(8))
        #expect(throws: HeaderError.headerExceedsFile(length: 4096, fileSize: 100)) { try SafetensorsHeader.parse(past, fileSize: 100) }
        #expect(throws: HeaderError.fileTruncated(needed: 8, fileSize: 3)) { try SafetensorsHeader.parse(Data([1, 2, 3]), fileSize: 3) }
    }

    @Test("Malformed tensor entries are rejected with the tensor's name", arguments: [
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,9]}}"#,
        #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#,
        #"{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#,
        #"{"a":{"shape":[2],"data_offsets":[0,8]}}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]}}"#,
        #"{"a":{"dtype":"F32","shape":[1,2,3,4,5,6,7,8,9],"data_offsets":[0,8]}}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#,
        #"{"a":[]}"#,
    ])
    func malformed(json: String) {
        let file = SafetensorsTestFile.raw(json: json, dataBytes: 16)
        #expect(throws: HeaderError.self) { try SafetensorsHeader.parse(file, fileSize: Int64(file.count)) }
    }

    @Test("Overflowing shapes, deep nesting and non-objects give typed errors")
    func overflowAndNesting() {
        let over = SafetensorsTestFile.raw(json: #"{"a":{"dtype":"U8","shape":[4294967296,4294967296,4],"data_offsets":[0,1]}}"#)
        #expect(throws: HeaderError.overflow("element counts of tensor a")) { try SafetensorsHeader.parse(over) }
        let deep = SafetensorsTestFile.raw(json: "{\"a\":" + String(repeating: "[", count: 100_000) + "}")
        #expect(throws: HeaderError.nestingTooDeep(limit: HeaderLimits.maxNesting)) { try SafetensorsHeader.parse(deep) }
        #expect(throws: HeaderError.self) { try SafetensorsHeader.parse(SafetensorsTestFile.raw(json: "[1]")) }
        #expect(throws: HeaderError.self) { try SafetensorsHeader.parse(SafetensorsTestFile.raw(json: "{\"a\":")) }
    }

    @Test("HeaderReader fetches one chunk for a small header, and exactly the rest for a large one")
    func readerBytes() async throws {
        let small = SafetensorsTestFile.bytes(SafetensorsTestFile.llamaLike)
        var big = small
        big.append(Data(count: 200_000))   // pad the data so the file is larger than the first chunk
        let r1 = HeaderReader(source: DataRangeReader(big))
        let h1 = try await r1.readSafetensorsHeader()
        #expect(h1.tensors.count == 7)
        let (fetched1, requests1) = (await r1.bytesFetched, await r1.requestCount)
        #expect(fetched1 == Int64(HeaderReader.safetensorsFirstChunk) && requests1 == 1)

        let many = (0..<3000).map { SafetensorsEncoder.Entry(name: "model.layers.\($0).mlp.down_proj.weight", dtype: "BF16", shape: [4, 4]) }
        let file = SafetensorsTestFile.bytes(many)
        let r2 = HeaderReader(source: DataRangeReader(file))
        let h2 = try await r2.readSafetensorsHeader()
        #expect(h2.dataOffset > Int64(HeaderReader.safetensorsFirstChunk))
        #expect(h2.parameterCount == 3000 * 16)
        let (fetched2, requests2) = (await r2.bytesFetched, await r2.requestCount)
        #expect(fetched2 == h2.dataOffset && requests2 == 2)
    }

    @Test("HeaderReader reports a file that ends inside its header")
    func readerTruncated() async throws {
        let file = SafetensorsTestFile.bytes(SafetensorsTestFile.llamaLike)
        let reader = HeaderReader(source: DataRangeReader(file.prefix(40)))
        await #expect(throws: HeaderError.self) { try await reader.readSafetensorsHeader() }
    }

    @Test("model.safetensors.index.json: shards, total_size, traversal refused")
    func index() throws {
        let json = """
        {"metadata":{"total_size":16060522496,"total_parameters":8030261248},
         "weight_map":{"lm_head.weight":"model-00004-of-00004.safetensors","model.embed_tokens.weight":"model-00001-of-00004.safetensors",
                       "model.norm.weight":"model-00004-of-00004.safetensors"}}
        """
        let i = try SafetensorsIndex(jsonData: Data(json.utf8))
        #expect(i.totalSize == 16_060_522_496)
        #expect(i.shards == ["model-00001-of-00004.safetensors", "model-00004-of-00004.safetensors"])
        #expect(i.metadata["total_parameters"] == .int(8_030_261_248))
        for bad in [#"{"weight_map":{"a":"../../etc/passwd"}}"#, #"{"weight_map":{"a":"/abs.safetensors"}}"#,
                    #"{"weight_map":{"a":7}}"#, #"{"metadata":{"total_size":-1},"weight_map":{}}"#, #"{"weight_map":[]}"#, "nope"] {
            #expect(throws: HeaderError.self) { try SafetensorsIndex(jsonData: Data(bad.utf8)) }
        }
    }
}
