import Foundation
import HubScoutCore

/// Everything hubscout learned about a model without downloading its weights.
public struct ModelInspection: Sendable {
    /// One file with its format and, for weights, what its header said.
    public struct File: Sendable, Codable, Equatable {
        public var path: String
        public var size: Int64?
        public var format: RepoFileFormat
        /// Quantization of the file (GGUF type such as `Q4_K_M`), when known.
        public var quantization: String?
        public var sha256: String?
        /// Parameters and tensor bytes from the file's header, when read.
        public var headerParameters: Int64?
        public var headerTensorBytes: Int64?
    }

    public var info: ModelInfo
    /// The revision asked for (nil: default branch) and the commit it resolved to.
    public var revision: String?
    public var commit: String?
    public var config: ModelConfig?
    public var card: ModelCard?
    /// The formula breakdown from the config (or GGUF metadata), when the family is known.
    public var formula: ParameterEstimate?
    /// The most trusted parameter count, with its source.
    public var parameters: ParameterCount?
    public var files: [File]
    /// Exact bytes of the safetensors weights from their headers (or the index's total_size).
    public var safetensorsWeightBytes: Int64?
    /// Bytes transferred to read headers, and requests made.
    public var headerBytesFetched: Int64
    public var headerRequests: Int
    /// What could not be read or computed, in plain words.
    public var warnings: [String]

    /// Where the facts were read from.
    public var origin: Origin = .hub
    /// For a gated repository whose files this token may not read: the Hub's answer (`HubError.gated`), so callers
    /// can say what a download would say. The API's metadata (parameter count, config summary, card data) stays public.
    public var gatedError: HubError?
    /// What llama.cpp reads from the first GGUF header (per-layer heads, sliding windows, MLA, recurrent state), for
    /// GGUF repositories whose header was read; llama.cpp estimates then follow its own buffer arithmetic.
    public var ggufShape: GGUFModelShape?

    /// Where an inspection's facts came from.
    public enum Origin: Sendable, Equatable {
        /// The Hub API and files, over the network.
        case hub
        /// A snapshot already in the local Hugging Face cache (`HF_HUB_OFFLINE`, or the Hub unreachable).
        case cache(snapshotPath: String)
    }

    /// Total size of all files.
    public var repoBytes: Int64 { ByteTotal.saturatingSum(files.map { $0.size ?? 0 }) }

    /// GGUF files, each a quantization variant.
    public var ggufFiles: [File] { files.filter { $0.format == .gguf } }

    /// True when every weight file is GGUF: the repository has no single native size, only one size per file.
    public var isGGUFOnly: Bool {
        let weights = files.filter(\.format.isWeights)
        return !weights.isEmpty && weights.allSatisfy { $0.format == .gguf }
    }

    /// The sizing facts: config, most trusted count and, unless the repository is GGUF-only, the native format's exact bytes.
    public var facts: ModelFacts? {
        guard var config else { return nil }
        if isGGUFOnly {
            // The files are the formats; a `torch_dtype` left in config.json names weights this repository does not ship.
            config.dtype = nil
            config.quantization = nil
        }
        return ModelFacts(config: config, parameters: parameters, exactWeightBytes: isGGUFOnly ? nil : safetensorsWeightBytes,
                          ggufShape: isGGUFOnly ? ggufShape : nil)
    }

    /// The estimator for this model and how it was made (`ModelFacts.sizing()`, the path the catalog uses too).
    public func sizing() -> Result<ModelFacts.Sizing, EstimatorUnavailable> {
        guard let facts else {
            return .failure(.init(reason: gatedError != nil
                ? "config.json is gated and no config facts are known for it"
                : "no config.json (or GGUF metadata) to size the KV cache from"))
        }
        do {
            return .success(try facts.sizing())
        } catch {
            return .failure(.init(reason: error.reason))
        }
    }

    /// The memory estimator for this model, or the reason there is none.
    public func estimator() -> Result<MemoryEstimator, EstimatorUnavailable> {
        sizing().map(\.estimator)
    }

    /// This inspection with public facts filling what a gated repository withholds: config facts from elsewhere (the
    /// local catalog) and a parameter count when the API gave none. Facts the inspection has are kept.
    public func withPublicFacts(config publicConfig: ModelConfig?, parameters publicParameters: ParameterCount?) -> ModelInspection {
        var copy = self
        if copy.config == nil, let publicConfig {
            copy.config = publicConfig
            copy.formula = try? ParameterCounter.estimate(publicConfig)
        }
        if copy.parameters == nil || copy.parameters?.source == .configFormula, let publicParameters {
            copy.parameters = publicParameters
        }
        return copy
    }

    /// Why no estimate could be made.
    public struct EstimatorUnavailable: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
