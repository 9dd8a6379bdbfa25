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

    /// Total size of all files.
    public var repoBytes: Int64 { ByteTotal.saturatingSum(files.map { $0.size ?? 0 }) }

    /// GGUF files, each a quantization variant.
    public var ggufFiles: [File] { files.filter { $0.format == .gguf } }

    /// The memory estimator for this model, or nil with the reason in `warnings`-style text.
    public func estimator() -> Result<MemoryEstimator, EstimatorUnavailable> {
        guard let config else { return .failure(.init(reason: "no config.json (or GGUF metadata) to size the KV cache from")) }
        guard let formula else { return .failure(.init(reason: "the parameter layout of model type '\(config.modelType ?? "?")' is unknown")) }
        do {
            let source = parameters?.source ?? .configFormula
            var breakdown = formula.breakdown
            // Scale the formula's parts to an exact total so what-ifs start from the real size.
            if let exact = parameters?.total, source != .configFormula, formula.breakdown.total > 0 {
                breakdown = breakdown.scaled(toTotal: exact)
            }
            let ggufOnly = files.contains { $0.format.isWeights } && files.filter(\.format.isWeights).allSatisfy { $0.format == .gguf }
            // A GGUF-only repo has one size per file (estimate each with its exact bytes); no single native size.
            return .success(try MemoryEstimator(config: config, parameters: breakdown, parameterSource: source,
                                                exactWeightBytes: ggufOnly ? nil : safetensorsWeightBytes))
        } catch {
            return .failure(.init(reason: "\(error)"))
        }
    }

    /// Why no estimate could be made.
    public struct EstimatorUnavailable: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
