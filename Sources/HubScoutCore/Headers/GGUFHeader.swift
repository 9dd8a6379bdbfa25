import Foundation

/// A parsed GGUF (v2/v3) header: metadata key/values and tensor infos, with exact tensor bytes.
public struct GGUFHeader: Sendable, Equatable {
    /// Format version (2 or 3).
    public var version: UInt32
    /// True for big-endian files.
    public var isBigEndian: Bool
    /// Metadata keys in file order.
    public var metadataKeys: [String]
    /// Metadata values by key.
    public var metadata: [String: GGUFValue]
    /// Tensor infos in file order.
    public var tensors: [GGUFTensorInfo]
    /// `general.alignment`, 32 when absent.
    public var alignment: Int64
    /// File offset where tensor data starts (end of the header, aligned): the bytes a reader needed.
    public var tensorDataOffset: Int64
    /// Σ elements over all tensors.
    public var parameterCount: Int64
    /// Σ exact tensor bytes.
    public var tensorBytes: Int64

    /// `general.architecture` (e.g. `llama`, `qwen3moe`).
    public var architecture: String? { metadata["general.architecture"]?.stringValue }
    /// `general.name`.
    public var name: String? { metadata["general.name"]?.stringValue }
    /// `general.file_type` id.
    public var fileType: Int? { metadata["general.file_type"]?.intValue.map { Int(clamping: $0) } }
    /// The file type's name (`Q4_K_M`), when the id is known.
    public var fileTypeName: String? { fileType.flatMap(GGUFFileType.init(fileTypeID:))?.rawValue }
    /// `<arch>.context_length`.
    public var contextLength: Int? { architectureInt("context_length") }
    /// `<arch>.block_count` (layers).
    public var blockCount: Int? { architectureInt("block_count") }
    /// `<arch>.embedding_length` (hidden size).
    public var embeddingLength: Int? { architectureInt("embedding_length") }
    /// `<arch>.feed_forward_length`.
    public var feedForwardLength: Int? { architectureInt("feed_forward_length") }
    /// `<arch>.attention.head_count` (the largest entry when given per layer).
    public var headCount: Int? { architectureInt("attention.head_count") }
    /// `<arch>.attention.head_count_kv` (the largest entry when given per layer).
    public var headCountKV: Int? { architectureInt("attention.head_count_kv") }
    /// `<arch>.expert_count`.
    public var expertCount: Int? { architectureInt("expert_count") }
    /// `<arch>.expert_used_count`.
    public var expertUsedCount: Int? { architectureInt("expert_used_count") }

    /// An integer metadata value under `<architecture>.<suffix>`; per-layer arrays give their largest entry.
    public func architectureInt(_ suffix: String) -> Int? {
        guard let arch = architecture, let value = metadata["\(arch).\(suffix)"] else { return nil }
        if let v = value.intValue { return Int(clamping: v) }
        if let values = value.arrayValue?.values { return values.compactMap(\.intValue).max().map { Int(clamping: $0) } }
        return nil
    }

    /// A per-layer integer under `<architecture>.<suffix>`: an array gives one entry per layer (missing entries 0),
    /// a scalar is repeated, an absent key gives zeros. llama.cpp accepts both forms for head counts.
    public func architectureInts(_ suffix: String, layers: Int) -> [Int] {
        let count = max(0, layers)
        guard let arch = architecture, let value = metadata["\(arch).\(suffix)"] else { return [Int](repeating: 0, count: count) }
        if let v = value.intValue { return [Int](repeating: Int(clamping: v), count: count) }
        let values = value.arrayValue?.values?.map { $0.intValue.map { Int(clamping: $0) } ?? 0 } ?? []
        return (0..<count).map { $0 < values.count ? values[$0] : 0 }
    }

    /// A normalised config from the metadata, for GGUF-only repositories (hidden size, layers, heads, FFN,
    /// context, experts, head dim, sliding window, vocabulary, tied embeddings).
    public var modelConfig: ModelConfig {
        var config = ModelConfig(modelType: architecture, hiddenSize: embeddingLength, numLayers: blockCount,
                                 numAttentionHeads: headCount, numKeyValueHeads: headCountKV ?? headCount,
                                 intermediateSize: feedForwardLength, contextLength: contextLength,
                                 contextLengthSource: contextLength != nil ? "gguf:\(architecture ?? "").context_length" : nil,
                                 numExperts: expertCount, numExpertsPerToken: expertUsedCount)
        config.headDim = architectureInt("attention.key_length")
        config.slidingWindow = architectureInt("attention.sliding_window")
        let embeddingRows = tensors.first { $0.name == "token_embd.weight" }?.dimensions.last.map { Int(clamping: $0) }
        if let vocab = metadata["tokenizer.ggml.tokens"]?.arrayValue?.count ?? architectureInt("vocab_size") ?? embeddingRows {
            config.vocabSize = vocab
        }
        // Tied embeddings: GGUF files without an output tensor share the token embedding.
        config.tieWordEmbeddings = !tensors.contains { $0.name == "output.weight" }
        return config
    }

    /// Parses a header from the first bytes of a file. `fileSize`, when known, bounds the tensor offsets.
    /// Throws `.truncated(needed:)` when `prefix` ends inside the header, so a caller can read more and retry.
    public static func parse(_ prefix: Data, fileSize: Int64? = nil) throws(HeaderError) -> GGUFHeader {
        var c = GGUFCursor(bytes: [UInt8](prefix), fileSize: fileSize)
        try c.need(8)
        guard c.bytes[0] == 0x47, c.bytes[1] == 0x47, c.bytes[2] == 0x55, c.bytes[3] == 0x46 else { throw .badMagic }
        c.position = 4
        var version = try c.u32()
        if version & 0xFFFF == 0, version != 0 {
            // A big-endian file reads its small version number byte-swapped.
            c.bigEndian = true
            version = version.byteSwapped
        }
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }
        let tensorCount = try c.u64()
        guard tensorCount <= HeaderLimits.maxTensorCount else {
            throw .tooManyTensors(count: tensorCount, limit: HeaderLimits.maxTensorCount)
        }
        let kvCount = try c.u64()
        guard kvCount <= HeaderLimits.maxKeyValueCount else { throw .tooManyKeys(count: kvCount, limit: HeaderLimits.maxKeyValueCount) }

        var keys: [String] = []
        var metadata: [String: GGUFValue] = [:]
        for _ in 0..<kvCount {
            let key = try c.string()
            let rawType = try c.u32()
            guard let type = GGUFValueType(rawValue: rawType) else { throw .unknownValueType(rawType, key: key) }
            let value = try c.value(type, key: key)
            if metadata.updateValue(value, forKey: key) == nil { keys.append(key) }
        }

        var alignment: Int64 = 32
        if let raw = metadata["general.alignment"] {
            guard let a = raw.intValue, a > 0, a <= 1 << 30, a & (a - 1) == 0 else {
                throw .invalidAlignment(raw.intValue ?? -1)
            }
            alignment = a
        }

        var infos: [(name: String, dims: [Int64], type: UInt32, offset: Int64)] = []
        infos.reserveCapacity(Int(min(tensorCount, 65_536)))
        for _ in 0..<tensorCount {
            let name = try c.string()
            let nDims = try c.u32()
            guard nDims <= UInt32(HeaderLimits.maxDimensions) else {
                throw .tooManyDimensions(name: name, count: nDims, limit: HeaderLimits.maxDimensions)
            }
            var dims: [Int64] = []
            for _ in 0..<nDims {
                let d = try c.u64()
                guard let dim = Int64(exactly: d) else { throw .invalidTensor(name: name, reason: "dimension \(d) is too large") }
                dims.append(dim)
            }
            let type = try c.u32()
            let rawOffset = try c.u64()
            guard let offset = Int64(exactly: rawOffset) else { throw .invalidTensor(name: name, reason: "offset \(rawOffset) is too large") }
            infos.append((name, dims, type, offset))
        }

        let headerEnd = Int64(c.position)
        let (padded, o) = headerEnd.addingReportingOverflow(alignment - 1)
        if o { throw .overflow("header size") }
        let dataOffset = padded / alignment * alignment
        let dataSize = fileSize.map { $0 - dataOffset }

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(infos.count)
        var params: Int64 = 0
        var bytes: Int64 = 0
        for info in infos {
            let t = try tensorInfo(info, alignment: alignment, dataSize: dataSize)
            let (p, o1) = params.addingReportingOverflow(t.elementCount)
            let (b, o2) = bytes.addingReportingOverflow(t.byteCount)
            if o1 || o2 { throw .overflow("tensor sizes") }
            params = p; bytes = b
            tensors.append(t)
        }
        return GGUFHeader(version: version, isBigEndian: c.bigEndian, metadataKeys: keys, metadata: metadata,
                          tensors: tensors, alignment: alignment, tensorDataOffset: dataOffset,
                          parameterCount: params, tensorBytes: bytes)
    }

    private static func tensorInfo(_ info: (name: String, dims: [Int64], type: UInt32, offset: Int64), alignment: Int64,
                                   dataSize: Int64?) throws(HeaderError) -> GGUFTensorInfo {
        guard let type = GGMLTensorType(rawValue: Int(info.type)) else { throw .unknownTensorType(info.type, name: info.name) }
        var elements: Int64 = 1
        for d in info.dims {
            let (e, o) = elements.multipliedReportingOverflow(by: d)
            if o { throw .overflow("element counts of tensor \(info.name.prefix(80))") }
            elements = e
        }
        let block = type.block
        // ggml stores whole blocks along the first dimension.
        if let first = info.dims.first, first % block.elements != 0 {
            throw .invalidTensor(name: info.name, reason: "its first dimension \(first) is not a multiple of the \(type.name) block size \(block.elements)")
        }
        let (byteCount, o) = (elements / block.elements).multipliedReportingOverflow(by: block.bytes)
        if o { throw .overflow("byte sizes of tensor \(info.name.prefix(80))") }
        guard info.offset % alignment == 0 else {
            throw .invalidTensor(name: info.name, reason: "its offset \(info.offset) is not a multiple of the alignment \(alignment)")
        }
        let (end, o2) = info.offset.addingReportingOverflow(byteCount)
        if o2 { throw .overflow("offsets of tensor \(info.name.prefix(80))") }
        if let size = dataSize, end > size {
            throw .invalidTensor(name: info.name, reason: "its data ends at \(end), past the data section's \(max(size, 0)) bytes")
        }
        return GGUFTensorInfo(name: info.name, dimensions: info.dims, typeID: info.type, offset: info.offset,
                              elementCount: elements, byteCount: byteCount)
    }
}
