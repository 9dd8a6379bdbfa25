import Foundation
import HubScoutCore

/// Reads `cache/models.jsonl`: Hub API fields per line plus a `hubscout` object (see cache/SNAPSHOT.md).
enum SnapshotReader {
    /// Largest snapshot file accepted (the shipped one is ~100 KiB).
    static let maxFileBytes = 256 << 20
    /// Longest line accepted.
    static let maxLineBytes = 1 << 20

    /// The `hubscout` object of a line.
    struct Extras: Decodable {
        struct Config: Decodable {
            var max_position_embeddings: Int?
            var hidden_size: Int?
            var num_hidden_layers: Int?
            var num_attention_heads: Int?
            var num_key_value_heads: Int?
            var vocab_size: Int?
            var torch_dtype: String?
            var is_moe: Bool?
            var num_experts: Int?
            var num_experts_per_tok: Int?
            var config_extra: JSONValue?
        }
        struct Parameters: Decodable {
            var total: Int64
            var source: String?
        }
        var config: Config?
        var parameters: Parameters?
        var inference_provider_tasks: [String]?
        var as_of: String?
        var sources: [String]?
    }

    private struct Line: Decodable {
        var hubscout: Extras?
    }

    /// Parses the whole file; any bad line is an error naming it.
    static func read(_ url: URL) throws(CatalogError) -> [SnapshotModel] {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let size = attributes[.size] as? Int, size > maxFileBytes {
                throw CatalogError.invalidSnapshot(path: url.path, line: 0, reason: "the file is larger than \(maxFileBytes >> 20) MiB")
            }
            data = try Data(contentsOf: url)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .invalidSnapshot(path: url.path, line: 0, reason: "cannot read it (\(error.localizedDescription))")
        }
        return try read(data, source: url.path)
    }

    /// Parses snapshot bytes already in memory (the embedded copy, say); errors name `source` where they would name
    /// a file's path.
    static func read(_ data: Data, source: String) throws(CatalogError) -> [SnapshotModel] {
        guard data.count <= maxFileBytes else {
            throw .invalidSnapshot(path: source, line: 0, reason: "the snapshot is larger than \(maxFileBytes >> 20) MiB")
        }
        var models: [SnapshotModel] = []
        let decoder = JSONDecoder()
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) { continue }
            guard line.count <= maxLineBytes else {
                throw .invalidSnapshot(path: source, line: lineNumber, reason: "the line is longer than 1 MiB")
            }
            let lineData = Data(line)
            do {
                let info = try SafeJSON.decode(ModelInfo.self, from: lineData, using: decoder)
                _ = try SQLValues.validated(info.id)
                let extras = try decoder.decode(Line.self, from: lineData).hubscout
                models.append(model(info: info, extras: extras))
            } catch let error as CatalogError {
                throw .invalidSnapshot(path: source, line: lineNumber, reason: error.description)
            } catch {
                throw .invalidSnapshot(path: source, line: lineNumber, reason: "not a model object (\(error))")
            }
        }
        return models
    }

    static func model(info: ModelInfo, extras: Extras?) -> SnapshotModel {
        var config: ModelConfig?
        if let c = extras?.config {
            var m = ModelConfig(modelType: info.modelType, architecture: info.architecture, hiddenSize: c.hidden_size,
                                numLayers: c.num_hidden_layers, numAttentionHeads: c.num_attention_heads,
                                numKeyValueHeads: c.num_key_value_heads, vocabSize: c.vocab_size, dtype: c.torch_dtype,
                                contextLength: c.max_position_embeddings,
                                contextLengthSource: c.max_position_embeddings == nil ? nil : "max_position_embeddings",
                                numExperts: c.num_experts, numExpertsPerToken: c.num_experts_per_tok)
            // Whisper-style configs name their layers per side.
            if let extra = c.config_extra, extra["encoder_layers"] != nil {
                m.isEncoderDecoder = true
                m.numDecoderLayers = extra["decoder_layers"]?.intValue
            }
            config = m
        } else if info.architecture != nil || info.modelType != nil {
            config = ModelConfig(modelType: info.modelType, architecture: info.architecture)
        }
        var parameters: ParameterCount?
        if let p = extras?.parameters {
            parameters = ParameterCount(total: p.total, source: p.source.flatMap(ParameterSource.init(rawValue:)) ?? .hubAPI)
        } else if let total = info.apiParameterCount {
            parameters = ParameterCount(total: total, source: .hubAPI)
        }
        return SnapshotModel(info: info, config: config, parameters: parameters, asOf: extras?.as_of.flatMap(parseDay),
                             inferenceProviderTasks: extras?.inference_provider_tasks ?? [], sources: extras?.sources ?? [])
    }

    /// `2025-03-21` or `2026-05` (first of the month), UTC.
    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard (2...3).contains(parts.count), (1...12).contains(parts[1]) else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts.count == 3 ? parts[2] : 1
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: components)
    }
}
