/// Typed reads of the family-specific keys a formula needs beyond `ModelConfig`'s normalised fields (ALBERT's
/// `embedding_size`, Llama 4's `moe_layers`, a CLIP `vision_config`…), from `ModelConfig.familyJSON`: the config
/// as transformers reads it, the file's keys completed with the class defaults.
struct FamilyKeys {
    /// The model types whose formulas read family keys; only their configs keep `familyJSON`.
    static let modelTypes: Set<String> = [
        "albert", "distilbert", "vit", "clip", "llama4", "gemma4", "gemma4_text",
        "qwen3_next", "qwen3_5", "qwen3_5_text", "qwen3_5_moe", "qwen3_5_moe_text", "nemotron_h", "mllama",
        "deepseek_v4", "tapas", "vilt", "wav2vec2",
    ]

    /// The object read, and the dotted path that leads to it (for error messages).
    let object: [String: JSONValue]
    let path: String
    let modelType: String?

    init(_ object: [String: JSONValue], path: String = "", modelType: String?) {
        self.object = object; self.path = path; self.modelType = modelType
    }

    /// The family keys of `config`, or nil when the parser kept none.
    init?(_ config: ModelConfig) {
        guard let json = config.familyJSON else { return nil }
        self.init(json, modelType: config.modelType)
    }

    /// A nested object (e.g. `text_config`), or nil when absent or not an object.
    func sub(_ key: String) -> FamilyKeys? {
        guard let nested = object[key]?.objectValue else { return nil }
        return FamilyKeys(nested, path: path + key + ".", modelType: nested["model_type"]?.stringValue ?? modelType)
    }

    /// Largest size a family key may hold (2^24). Configs are untrusted: capping every size keeps the products
    /// formulas take of two or three of them far inside 64 bits, and no real model has a wider dimension.
    static let maxValue = 1 << 24

    /// A non-negative integer up to `maxValue`, or nil when absent, of another type or out of range.
    func int(_ key: String) -> Int? {
        guard let v = object[key]?.intValue, v >= 0, v <= Self.maxValue else { return nil }
        return v
    }

    /// A finite number.
    func double(_ key: String) -> Double? {
        guard let v = object[key]?.doubleValue, v.isFinite else { return nil }
        return v
    }

    /// A boolean.
    func bool(_ key: String) -> Bool? { object[key]?.boolValue }

    /// A string.
    func string(_ key: String) -> String? { object[key]?.stringValue }

    /// A list of strings (non-strings dropped), capped at the formula layer limit.
    func strings(_ key: String) -> [String]? {
        object[key]?.arrayValue.map { $0.prefix(ParameterCounter.maxLayers).compactMap(\.stringValue) }
    }

    /// A list of integers (non-integers and values past `maxValue` dropped), capped at the formula layer limit.
    func ints(_ key: String) -> [Int]? {
        object[key]?.arrayValue.map { $0.prefix(ParameterCounter.maxLayers).compactMap(\.intValue).filter { $0 <= Self.maxValue } }
    }

    /// The integers under `keys`, or a typed error naming every missing key (or the first implausibly large one).
    func require(_ keys: [String]) throws(ParameterCountError) -> [Int] {
        for key in keys {
            if let v = object[key]?.intValue, v > Self.maxValue { throw .implausibleValue(key: path + key, value: v) }
        }
        let values = keys.map { int($0) }
        let missing = zip(values, keys).filter { $0.0 == nil }.map { path + $0.1 }
        guard missing.isEmpty else { throw .missingValues(missing, modelType: modelType) }
        return values.map { $0 ?? 0 }
    }

    /// The number of classification labels transformers gives a head: `id2label`'s size, else `num_labels`, else 2.
    var numLabels: Int {
        if let labels = object["id2label"]?.objectValue, !labels.isEmpty { return labels.count }
        return int("num_labels") ?? 2
    }
}
