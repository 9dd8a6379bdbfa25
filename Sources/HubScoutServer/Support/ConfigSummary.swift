import Foundation
import HubScoutCore

/// Builds the API's `config` summary from a `config.json`: the Hub reports a subset, not the file.
enum ConfigSummary {
    /// config.json files above this size are not summarised.
    static let maxBytes = 16 << 20

    /// `architectures`, `model_type`, `quantization_config` (key subset), `auto_map`, and a `tokenizer_config` subset.
    static func summary(configJSON: Data, tokenizerConfigJSON: Data?) -> JSONValue? {
        guard configJSON.count <= maxBytes,
              let config = try? SafeJSON.decode(JSONValue.self, from: configJSON), case let .object(fields) = config else { return nil }
        var out: [String: JSONValue] = [:]
        for key in ["architectures", "model_type", "auto_map"] { if let v = fields[key] { out[key] = v } }
        if case let .object(q)? = fields["quantization_config"] {
            var kept: [String: JSONValue] = [:]
            for key in ["quant_method", "bits", "load_in_4bit", "load_in_8bit"] { if let v = q[key] { kept[key] = v } }
            out["quantization_config"] = .object(kept)
        }
        var tokenizer: [String: JSONValue] = [:]
        if let data = tokenizerConfigJSON, data.count <= maxBytes,
           case let .object(t)? = try? SafeJSON.decode(JSONValue.self, from: data) {
            for key in ["bos_token", "eos_token", "pad_token", "unk_token", "chat_template"] { if let v = t[key] { tokenizer[key] = v } }
        }
        out["tokenizer_config"] = .object(tokenizer)
        return .object(out)
    }
}
