import Foundation
import HubScoutCatalog
import HubScoutKit
import HubScoutCore

/// Turns the real `MemoryEstimator` into the rows the catalog stores (`CatalogEstimate`): one per
/// precision (fp16, int8, int4) at the default context, so offline `--fits` answers like online `--fits`.
///
/// A catalog row is linear in the context (`weights + kvPerToken × context + overhead`); the KV figure is
/// the estimator's cache at the default context divided by that context, so it is exact there and, for
/// models with sliding-window layers, an over-estimate at longer contexts (never an under-estimate).
public enum CatalogEstimator {
    /// How a model's estimates were made.
    public enum Method: String, Sendable, Codable, Equatable {
        /// `MemoryEstimator` over the config formula's breakdown (scaled to a trusted count when there is one).
        case formula
        /// `MemoryEstimator` over a breakdown built from the parameter count alone: embeddings from
        /// vocab × hidden, the output head counted separately unless tied, the rest as quantizable linear weights.
        case parameterCount
        /// `FallbackEstimator` (the catalog's own approximation): the config could not feed `MemoryEstimator`.
        case fallback
        /// No estimate: the parameter count, or the layer and head shape, is unknown.
        case none
    }

    /// Estimates and how they were made.
    public struct Result: Sendable, Equatable {
        /// Rows to store, best precision first (may be empty).
        public var estimates: [CatalogEstimate]
        /// Which path produced them.
        public var method: Method
        /// Why the path was taken, and what was assumed.
        public var notes: [String]
    }

    /// The estimator to pass to `Catalog.importSnapshotIfEmpty(_:estimator:)`.
    public static let snapshotEstimator: SnapshotEstimator = { model in estimate(snapshot: model).estimates }

    /// Estimates for a model of the shipped snapshot (config facts + parameter count).
    public static func estimate(snapshot model: SnapshotModel) -> Result {
        guard let config = model.config else {
            return Result(estimates: [], method: .none, notes: ["no config facts: memory cannot be estimated"])
        }
        return estimate(config: config, parameters: model.parameters) {
            FallbackEstimator.estimates(for: model)
        }
    }

    /// Estimates from a normalised config and a parameter count. `fallback` runs when `MemoryEstimator`
    /// cannot be built (defaults to none).
    public static func estimate(config: ModelConfig, parameters: ParameterCount?,
                                fallback: () -> [CatalogEstimate] = { [] }) -> Result {
        var notes: [String] = []
        var breakdown: ParameterBreakdown?
        var method = Method.formula
        do {
            let formula = try ParameterCounter.estimate(config)
            breakdown = formula.breakdown
            if let count = parameters, count.source != .configFormula, count.total > 0, formula.breakdown.total > 0 {
                breakdown = formula.breakdown.scaled(toTotal: count.total)
                notes.append("config formula breakdown scaled to the \(count.source.rawValue) count of \(count.total) parameters")
            }
        } catch {
            if let count = parameters, count.total > 0 {
                breakdown = breakdownFromCount(count.total, config: config)
                method = .parameterCount
                notes.append("config formula unavailable (\(error)); breakdown built from the \(count.source.rawValue) count of \(count.total) parameters")
            } else {
                notes.append("config formula unavailable (\(error)) and no parameter count")
            }
        }
        if let breakdown, breakdown.total > 0 {
            do {
                let estimator = try MemoryEstimator(config: config, parameters: breakdown, parameterSource: parameters?.source ?? .configFormula)
                return Result(estimates: try rows(estimator), method: method, notes: notes)
            } catch {
                notes.append("MemoryEstimator failed (\(error))")
            }
        }
        let rows = fallback()
        notes.append(rows.isEmpty ? "no estimate: parameter count or layer/head shape missing" : "used the catalog's FallbackEstimator")
        return Result(estimates: rows, method: rows.isEmpty ? .none : .fallback, notes: notes)
    }

    /// Estimates for an inspected model: its own estimator (exact header bytes for the native format),
    /// and GGUF files as the int8/int4 rows when the repository ships them (`Q8_0`, `Q4_K_M`…), with exact file sizes.
    public static func estimate(inspection: ModelInspection) -> Result {
        switch inspection.estimator() {
        case .success(let estimator):
            do {
                var rows = try rows(estimator)
                var notes = ["MemoryEstimator from the inspected config (parameters: \(estimator.parameterSource.rawValue))"]
                for (precision, file) in ggufVariants(inspection.files) {
                    guard let size = file.size, let type = file.quantization.flatMap(GGUFFileType.init(rawValue:)) else { continue }
                    let row = try row(estimator, format: .gguf(type), precision: precision, exactBytes: size)
                    rows.removeAll { $0.precision == precision }
                    rows.append(row)
                    notes.append("\(precision.rawValue) row from \(file.path) (\(size) bytes)")
                }
                rows.sort { $0.precision < $1.precision }
                return Result(estimates: rows, method: .formula, notes: notes)
            } catch {
                return Result(estimates: [], method: .none, notes: ["MemoryEstimator failed (\(error))"])
            }
        case .failure(let reason):
            if let config = inspection.config {
                return estimate(config: config, parameters: inspection.parameters)
            }
            return Result(estimates: [], method: .none, notes: [reason.reason])
        }
    }

    /// fp16, int8 and int4 rows at the default context; the checkpoint's native format (exact header
    /// bytes, or a pre-quantized format) replaces the row of the precision class it belongs to.
    static func rows(_ estimator: MemoryEstimator) throws -> [CatalogEstimate] {
        var rows = [
            try row(estimator, format: .fp16, precision: .fp16),
            try row(estimator, format: .int8, precision: .int8),
            try row(estimator, format: .int4, precision: .int4),
        ]
        if let native = estimator.nativeFormat, !native.isFloatingPoint {
            let precision: FitPrecision = native.quantizedBitsPerWeight.value >= 8 ? .int8 : .int4
            rows.removeAll { $0.precision == precision }
            rows.append(try row(estimator, format: native, precision: precision))
            rows.sort { $0.precision < $1.precision }
        }
        return rows
    }

    /// One row: weights, KV per token (ceiling of the cache at the default context ÷ that context) and overhead.
    static func row(_ estimator: MemoryEstimator, format: WeightFormat, precision: FitPrecision, exactBytes: Int64? = nil) throws -> CatalogEstimate {
        let estimate = try estimator.estimate(format, options: EstimateOptions(), exactBytes: exactBytes)
        let context = max(1, estimate.context)
        let perToken = (estimate.kvCacheBytes + Int64(context) - 1) / Int64(context)
        return CatalogEstimate(precision: precision, weightsBytes: estimate.weightsBytes, kvBytesPerToken: perToken,
                               overheadBytes: estimate.overheadBytes, defaultContext: context)
    }

    /// A breakdown from a bare count: embeddings vocab × hidden, an untied head of the same size unless the
    /// config says it is tied (an upper bound for quantized sizes), everything else quantizable.
    static func breakdownFromCount(_ total: Int64, config: ModelConfig) -> ParameterBreakdown {
        var embedding: Int64 = 0
        if let vocab = config.vocabSize, let hidden = config.hiddenSize, vocab > 0, hidden > 0 {
            let (product, overflow) = Int64(vocab).multipliedReportingOverflow(by: Int64(hidden))
            if !overflow, product < total { embedding = product }
        }
        var head = config.tieWordEmbeddings == true ? 0 : embedding
        if embedding + head >= total { head = 0 }
        return ParameterBreakdown(embedding: embedding, lmHead: head, denseMLP: total - embedding - head)
    }

    /// GGUF files that can stand for a precision class: Q8_0 for int8; Q4_K_M, else another 4-bit quant, for int4.
    static func ggufVariants(_ files: [ModelInspection.File]) -> [(FitPrecision, ModelInspection.File)] {
        let gguf = files.filter { $0.format == .gguf && $0.size != nil && $0.quantization != nil }
        var result: [(FitPrecision, ModelInspection.File)] = []
        if let q8 = gguf.first(where: { $0.quantization?.uppercased() == "Q8_0" }) { result.append((.int8, q8)) }
        let fours = ["Q4_K_M", "Q4_K_S", "Q4_0", "Q4_1"]
        if let q4 = fours.lazy.compactMap({ name in gguf.first { $0.quantization?.uppercased() == name } }).first {
            result.append((.int4, q4))
        }
        return result
    }
}
