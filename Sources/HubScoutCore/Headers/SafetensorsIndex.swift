import Foundation

/// `model.safetensors.index.json` of a sharded checkpoint: which shard holds each tensor, and the total tensor bytes.
public struct SafetensorsIndex: Sendable, Equatable {
    /// `metadata.total_size`: bytes of all tensor data (not parameters), when stated.
    public var totalSize: Int64?
    /// Tensor name → shard file name.
    public var weightMap: [String: String]
    /// The other `metadata` entries (e.g. `total_parameters` in newer indexes).
    public var metadata: [String: JSONValue]

    /// Creates an index from its parts.
    public init(totalSize: Int64?, weightMap: [String: String], metadata: [String: JSONValue] = [:]) {
        self.totalSize = totalSize; self.weightMap = weightMap; self.metadata = metadata
    }

    /// Distinct shard files, sorted.
    public var shards: [String] { Array(Set(weightMap.values)).sorted() }

    /// Parses the index file. Shard paths that leave the repository (`..`, absolute) are refused.
    public init(jsonData: Data) throws(HeaderError) {
        guard jsonData.count <= HeaderLimits.maxIndexBytes else {
            throw .invalidIndex("it is \(jsonData.count) bytes, over the \(HeaderLimits.maxIndexBytes)-byte limit")
        }
        guard JSONNesting.depth(of: jsonData, limit: HeaderLimits.maxNesting) <= HeaderLimits.maxNesting else {
            throw .nestingTooDeep(limit: HeaderLimits.maxNesting)
        }
        let root: JSONValue
        do {
            root = try SafeJSON.decode(JSONValue.self, from: jsonData)
        } catch {
            throw .invalidIndex("not valid JSON")
        }
        guard let map = root["weight_map"]?.objectValue else { throw .invalidIndex("it has no weight_map object") }
        guard UInt64(map.count) <= HeaderLimits.maxTensorCount else {
            throw .tooManyTensors(count: UInt64(map.count), limit: HeaderLimits.maxTensorCount)
        }
        var weights: [String: String] = [:]
        for (tensor, file) in map {
            guard let path = file.stringValue, !path.isEmpty else {
                throw .invalidIndex("the shard of \(tensor.prefix(80)) is not a file name")
            }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.hasPrefix("/"), !path.contains("\\"), !parts.contains(".."), !parts.contains("") else {
                throw .invalidIndex("shard path \"\(path.prefix(120))\" leaves the repository")
            }
            weights[tensor] = path
        }
        let meta = root["metadata"]?.objectValue ?? [:]
        var total: Int64?
        if let raw = meta["total_size"] {
            guard let value = SafetensorsHeader.strictInt(raw) ?? raw.stringValue.flatMap({ Int64($0) }), value >= 0 else {
                throw .invalidIndex("metadata.total_size is not a non-negative integer")
            }
            total = value
        }
        self.init(totalSize: total, weightMap: weights, metadata: meta.filter { $0.key != "total_size" })
    }
}
