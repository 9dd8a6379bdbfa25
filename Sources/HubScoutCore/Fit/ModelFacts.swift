/// What is known about a model for sizing it, whatever the source: a full `config.json`, GGUF metadata, or the
/// few config facts a catalog keeps, plus a parameter count. `sizing()` is the one path from facts to a
/// `MemoryEstimator`: online inspection, the catalog (snapshot import and recorded inspections) and the public-facts
/// estimate of a gated repository all go through it, so the same facts give the same bytes everywhere.
public struct ModelFacts: Sendable, Equatable {
    /// The normalised config (possibly only the layer/head shape).
    public var config: ModelConfig
    /// The most trusted parameter count, when there is one.
    public var parameters: ParameterCount?
    /// The checkpoint's own format; nil = from the config's `quantization_config`, else `torch_dtype`.
    public var nativeFormat: WeightFormat?
    /// Exact tensor bytes of the checkpoint in its native format (headers or `total_size`).
    public var exactWeightBytes: Int64?
    /// A GGUF header's shape, when one was read: llama.cpp estimates then follow `LlamaCppMemoryModel`.
    public var ggufShape: GGUFModelShape?

    /// Facts to size.
    public init(config: ModelConfig, parameters: ParameterCount? = nil, nativeFormat: WeightFormat? = nil, exactWeightBytes: Int64? = nil,
                ggufShape: GGUFModelShape? = nil) {
        self.config = config; self.parameters = parameters; self.nativeFormat = nativeFormat; self.exactWeightBytes = exactWeightBytes
        self.ggufShape = ggufShape
    }

    /// How the parameter breakdown was obtained.
    public enum Basis: String, Sendable, Codable, Equatable {
        /// The config formula, scaled to a trusted count when there is one.
        case formula
        /// The config formula over a shape completed from the count: the FFN width the count implies.
        case derivedShape
        /// Embeddings from vocab × hidden, the rest as quantizable linear weights (no FFN width known).
        case parameterCount
    }

    /// An estimator and how it was made.
    public struct Sizing: Sendable {
        /// The estimator, over the (possibly completed) config.
        public var estimator: MemoryEstimator
        /// Which path produced the breakdown.
        public var basis: Basis
        /// What was assumed, as sentences.
        public var notes: [String]
    }

    /// Why facts cannot be sized.
    public struct Unsizable: Error, Sendable, CustomStringConvertible {
        /// A sentence naming what is missing.
        public var reason: String
        /// The reason.
        public var description: String { reason }
    }

    /// The estimator for these facts: the config formula when the config states the shape (scaled to a trusted
    /// count), else the formula over the FFN width the count implies, else a breakdown from the count alone.
    /// - Throws: `Unsizable` when neither the formula nor a count can size the model, or the config lacks the
    ///   layer/head shape the KV cache needs.
    public func sizing() throws(Unsizable) -> Sizing {
        var notes: [String] = []
        var candidates: [(Basis, ModelConfig, ParameterBreakdown)] = []
        let count = parameters.flatMap { $0.total > 0 ? $0 : nil }
        let trusted = count.flatMap { $0.source == .configFormula ? nil : $0 }
        do {
            let formula = try ParameterCounter.estimate(config)
            candidates.append((.formula, config, Self.scaled(formula.breakdown, to: trusted, notes: &notes)))
        } catch {
            notes.append("config formula unavailable (\(error))")
            if let trusted, let completed = Self.completed(config, total: trusted.total) {
                notes.append(completed.note)
                candidates.append((.derivedShape, completed.config, Self.scaled(completed.formula.breakdown, to: trusted, notes: &notes)))
            }
        }
        if let count {
            candidates.append((.parameterCount, config, Self.breakdownFromCount(count.total, config: config)))
        }
        var failures: [String] = []
        for (basis, shape, breakdown) in candidates where breakdown.total > 0 {
            do {
                let estimator = try MemoryEstimator(config: shape, parameters: breakdown, parameterSource: parameters?.source ?? .configFormula,
                                                    nativeFormat: nativeFormat, exactWeightBytes: exactWeightBytes,
                                                    ggufShape: ggufShape)
                if basis == .parameterCount, let count {
                    notes.append("breakdown built from the \(count.source.rawValue) count of \(count.total) parameters")
                }
                return Sizing(estimator: estimator, basis: basis, notes: notes)
            } catch {
                failures.append("\(error)")
            }
        }
        if let failure = failures.first { throw Unsizable(reason: failure) }
        throw Unsizable(reason: count == nil
            ? "the config does not state the model's shape (hidden size, layers, heads, vocabulary) and no parameter count is known"
            : "the config does not state the layer and head shape needed to size the KV cache")
    }

    /// `breakdown` scaled to a trusted count, so what-ifs start from the real size.
    static func scaled(_ breakdown: ParameterBreakdown, to count: ParameterCount?, notes: inout [String]) -> ParameterBreakdown {
        guard let count, breakdown.total > 0, count.total != breakdown.total else { return breakdown }
        notes.append("config formula breakdown scaled to the \(count.source.rawValue) count of \(count.total) parameters")
        return breakdown.scaled(toTotal: count.total)
    }

    /// The config of a dense decoder whose FFN width is missing (catalog facts keep only the attention shape), with the
    /// width that makes the formula's total equal the count: `(total − everything else) / (3 × hidden × layers)`.
    /// Tying, when not stated, is tried both ways; a width is accepted only when it comes out whole (a count that
    /// includes odd buffers, or a wrong tying guess, leaves a fraction) and prefers a multiple of 32, as real widths are.
    static func completed(_ config: ModelConfig, total: Int64) -> (config: ModelConfig, formula: ParameterEstimate, note: String)? {
        let family = config.textModelType ?? config.modelType ?? ""
        let otherFormulas = ["gpt2", "gpt_bigcode", "bert", "roberta", "xlm-roberta", "camembert", "t5", "mt5", "umt5", "bart", "mbart"]
        guard config.intermediateSize == nil, !config.isMoE, config.kvLoraRank == nil, !config.isEncoderDecoder,
              !otherFormulas.contains(family), let hidden = config.hiddenSize, let layers = config.numLayers, hidden > 0, layers > 0
        else { return nil }
        let (unit, overflow) = Int64(hidden).multipliedReportingOverflow(by: 3 * Int64(layers))
        guard !overflow, unit > 0 else { return nil }
        let tyings: [Bool] = config.tieWordEmbeddings.map { [$0] } ?? [false, true]
        var found: [(config: ModelConfig, formula: ParameterEstimate, width: Int)] = []
        for tied in tyings {
            var shape = config
            shape.tieWordEmbeddings = tied
            shape.intermediateSize = 0
            guard let rest = try? ParameterCounter.estimate(shape), rest.breakdown.denseMLP == 0 else { continue }
            let residual = total - rest.breakdown.total
            guard residual > 0 else { continue }
            let width = Double(residual) / Double(unit)
            let whole = width.rounded()
            guard whole >= 1, whole < Double(1 << 24), abs(width - whole) <= 0.05 else { continue }
            shape.intermediateSize = Int(whole)
            // Keep the caller's unknown tying unknown when the untied guess fits (the formula's own default).
            if config.tieWordEmbeddings == nil, !tied { shape.tieWordEmbeddings = nil }
            guard let formula = try? ParameterCounter.estimate(shape) else { continue }
            found.append((shape, formula, Int(whole)))
        }
        guard let best = found.first(where: { $0.width % 32 == 0 }) ?? found.first else { return nil }
        let tying = config.tieWordEmbeddings == nil && best.config.tieWordEmbeddings == true ? " with tied embeddings" : ""
        return (best.config, best.formula,
                "intermediate_size not stated: \(best.width) derived from the \(total)-parameter count\(tying)")
    }

    /// A breakdown from a bare count: embeddings vocab × hidden, an untied head of the same size unless the config
    /// says it is tied (an upper bound for quantized sizes), everything else quantizable.
    public static func breakdownFromCount(_ total: Int64, config: ModelConfig) -> ParameterBreakdown {
        var embedding: Int64 = 0
        if let vocab = config.vocabSize, let hidden = config.hiddenSize, vocab > 0, hidden > 0 {
            let (product, overflow) = Int64(vocab).multipliedReportingOverflow(by: Int64(hidden))
            if !overflow, product < total { embedding = product }
        }
        var head = config.tieWordEmbeddings == true ? 0 : embedding
        if embedding + head >= total { head = 0 }
        return ParameterBreakdown(embedding: embedding, lmHead: head, denseMLP: total - embedding - head)
    }
}
