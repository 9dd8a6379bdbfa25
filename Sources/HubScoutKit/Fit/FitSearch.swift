import Foundation
import HubScoutCore

/// `search --fits`: pages through a Hub listing until `limit` models fit a memory budget, or a page cap.
///
/// Each row is first bounded from its API parameter count (no request: at 4 bits per weight or more, a model
/// cannot be smaller than `parameters × bits / 8`); only the remaining candidates are inspected (model info,
/// config.json and card; never weight headers), a few at a time, and estimated with the default (or given) options.
public struct FitSearch: Sendable {
    /// The Hub client.
    public var client: HubClient
    /// The listing filters; `limit` and `pageSize` are set by the search.
    public var query: ModelQuery
    /// What a model must fit.
    public var budget: FitBudget
    /// The one precision allowed, or nil for the best that fits.
    public var precision: FitPrecision?
    /// Context, batch, KV type and engine for every estimate.
    public var options: EstimateOptions
    /// Fitting models wanted.
    public var limit: Int
    /// Rows per listing page.
    public var pageSize: Int
    /// Pages read at most.
    public var maxPages: Int
    /// Models inspected at once (each inspection is a few small requests; over a pooled HTTP/2 connection a wave of
    /// them costs about the round trips of one).
    public var concurrency: Int

    /// Default page cap: with 100-row pages, at most 1000 models are looked at.
    public static let defaultMaxPages = 10

    /// Creates a search.
    public init(client: HubClient, query: ModelQuery, budget: FitBudget, precision: FitPrecision? = nil,
                options: EstimateOptions = EstimateOptions(), limit: Int = 20, pageSize: Int = 100,
                maxPages: Int = FitSearch.defaultMaxPages, concurrency: Int = 16) {
        self.client = client; self.query = query; self.budget = budget; self.precision = precision; self.options = options
        self.limit = max(1, limit); self.pageSize = min(max(1, pageSize), ModelQuery.maxPageSize)
        self.maxPages = max(1, maxPages); self.concurrency = min(max(1, concurrency), 32)
    }

    /// The decision for one model.
    public enum Outcome: Sendable {
        /// Fits in `format` with `total` bytes; `file` is the GGUF file meant, for a GGUF repository.
        case fits(WeightFormat, FitVerdict.Kind, total: Int64, parameters: ParameterCount?, file: String? = nil)
        /// Sized, and too large in every searched precision.
        case tooLarge(String)
        /// Could not be sized.
        case skipped(String)
    }

    /// Runs the search.
    /// - Throws: `HubError` when the listing itself fails; a model that cannot be read is skipped, not thrown.
    public func run() async throws -> FitSearchResult {
        var listing = query
        listing.pageSize = pageSize
        // A total item cap stops the pager exactly at the page cap, without fetching one page more.
        let (cap, overflow) = pageSize.multipliedReportingOverflow(by: maxPages)
        listing.limit = overflow ? Int.max : cap
        if !listing.expand.isEmpty {
            for field in ["safetensors", "gguf"] where !listing.expand.contains(field) { listing.expand.append(field) }
        }
        var iterator = client.listModels(listing).makeAsyncIterator()
        var result = FitSearchResult()
        var exhausted = false
        while result.matches.count < limit && !exhausted {
            try Task.checkCancellation()
            var batch: [ModelInfo] = []
            // A wave is as wide as the pool allows but not much wider than the matches still wanted, so a search
            // for one model doesn't read pages it won't need.
            let wave = min(concurrency, max(4, 2 * (limit - result.matches.count)))
            while batch.count < wave {
                guard let model = try await iterator.next() else { exhausted = true; break }
                result.modelsChecked += 1
                if tooLargeByParameterCount(model) != nil {
                    result.tooLarge.append(model.id)
                    result.droppedByParameterCount += 1
                    continue
                }
                batch.append(model)
            }
            result.pagesFetched = iterator.pagesFetched
            guard !batch.isEmpty else { continue }
            result.modelsInspected += batch.count
            let outcomes = await inspect(batch)
            for (model, outcome) in zip(batch, outcomes) {
                switch outcome {
                case let .fits(format, kind, total, parameters, file):
                    if result.matches.count < limit {
                        result.matches.append(FitSearchMatch(model: model, format: format, verdict: kind, totalBytes: total,
                                                             parameters: parameters, file: file))
                    }
                case .tooLarge:
                    result.tooLarge.append(model.id)
                case .skipped(let reason):
                    result.skipped.append(FitSearchSkip(id: model.id, reason: reason))
                }
            }
        }
        result.pagesFetched = iterator.pagesFetched
        result.pageCapReached = exhausted && result.matches.count < limit && result.modelsChecked >= (listing.limit ?? Int.max)
        return result
    }

    /// A reason when the API parameter count alone proves the model cannot fit; nil when it might.
    public func tooLargeByParameterCount(_ model: ModelInfo) -> String? {
        guard let parameters = model.apiParameterCount, parameters > 0 else { return nil }
        // The fewest bits any allowed precision stores.
        let minimumBits = FitPrecision.candidates(precision).map(\.minimumBitsPerWeight).min() ?? 4
        let (bits, o) = parameters.multipliedReportingOverflow(by: minimumBits)
        let lowerBound = o ? Int64.max : bits / 8
        guard lowerBound > budget.capacityBytes else { return nil }
        return "\(parameters) parameters need at least \(ByteCount.format(lowerBound)) at \(minimumBits) bits per weight"
    }

    /// Inspects models concurrently; outcomes come back in the order given.
    func inspect(_ models: [ModelInfo]) async -> [Outcome] {
        let inspector = ModelInspector(client: client)
        // A GGUF repository rarely has a config.json: its first file's header (read in 2 MB Range chunks) is the config.
        let headerInspector = ModelInspector(client: client, maxHeaderFiles: 1)
        var outcomes = [Outcome](repeating: .skipped("not inspected"), count: models.count)
        await withTaskGroup(of: (Int, Outcome).self) { group in
            for (index, model) in models.enumerated() {
                group.addTask {
                    guard let id = try? RepoID(model.id) else { return (index, .skipped("not a valid repo id")) }
                    do {
                        let gguf = Self.looksGGUFOnly(model)
                        let inspection = try await (gguf ? headerInspector : inspector)
                            .inspect(id, revision: nil, readHeaders: gguf, readCard: false)
                        return (index, evaluate(inspection))
                    } catch {
                        return (index, .skipped("could not be read: \(error)"))
                    }
                }
            }
            for await (index, outcome) in group { outcomes[index] = outcome }
        }
        return outcomes
    }

    /// True when a top-level config lacks the dimensions that size the model, so the parser fell back to the
    /// config class's defaults (a stub config, or one missing its FFN size): the estimate would describe the
    /// family's reference model, not this one. Nested text configs (llava) legitimately rely on defaults.
    static func statesNoShape(_ config: ModelConfig) -> Bool {
        let defaulted = Set(config.defaultedKeys ?? [])
        // The width and depth keys of every family's config class (GPT-2's n_embd/n_layer, T5's d_model/num_layers).
        let sizing: Set<String> = ["hidden_size", "num_hidden_layers", "intermediate_size", "n_embd", "n_layer", "d_model",
                                   "num_layers", "d_ff"]
        return !defaulted.isDisjoint(with: sizing) && !config.notes.contains { $0.hasPrefix("The language model was read from") }
    }

    /// True when a listing row describes a GGUF repository without safetensors (sized per file, from a GGUF header).
    static func looksGGUFOnly(_ model: ModelInfo) -> Bool {
        (model.gguf != nil || model.libraryName == "gguf" || model.tags.contains("gguf")) && model.safetensors == nil
    }

    /// Most bits per weight a GGUF file may have to count as `precision` (`int4` means the 4-bit class and below).
    static func maximumBits(_ precision: FitPrecision) -> Double {
        switch precision {
        case .fp16: 16.5
        case .int8: 8.5
        case .int4: FitPlanner.cpuClassMaxBits
        }
    }

    /// A GGUF-only repository: the file with the most bits per weight that fits (within `precision` when given);
    /// nil when no file's quantization is known.
    func evaluateGGUF(_ inspection: ModelInspection, estimator: MemoryEstimator) -> Outcome? {
        var unknown: [String] = []
        let variants = inspection.sizedGGUFVariants(unknown: &unknown).map { ($0.variant, $0.type, $0.bytes) }
        // Nothing says which quant a file is: size it by precision like any checkpoint.
        guard !variants.isEmpty else { return nil }
        let ceiling = precision.map(Self.maximumBits) ?? .infinity
        let allowed = variants.filter { WeightFormat.gguf($0.1).rankBits <= ceiling }
            .sorted { WeightFormat.gguf($0.1).rankBits > WeightFormat.gguf($1.1).rankBits }
        guard !allowed.isEmpty else { return .skipped("no GGUF file of the searched precision") }
        let planner = FitPlanner(estimator: estimator, host: budget.host, policy: budget.policy)
        var smallest: (String, Int64)?
        do {
            for (variant, type, bytes) in allowed {
                let verdict = try planner.verdict(.gguf(type), options: options, exactBytes: bytes)
                if verdict.kind <= budget.requiredPlacement {
                    return .fits(.gguf(type), verdict.kind, total: verdict.estimate.totalBytes, parameters: verdict.estimate.parameters,
                                 file: variant.mainFile)
                }
                smallest = (type.rawValue, verdict.estimate.totalBytes)
            }
        } catch {
            return .skipped("\(error)")
        }
        let need = smallest.map { "\($0.0) needs \(ByteCount.format($0.1))" } ?? "no file fits"
        return .tooLarge("\(need); budget \(budget.summary)")
    }

    /// Decides whether an inspected model fits, trying the searched precisions from highest fidelity down (for a
    /// GGUF repository, its own files from most bits per weight down).
    public func evaluate(_ inspection: ModelInspection) -> Outcome {
        if let config = inspection.config, Self.statesNoShape(config) {
            return .skipped("config.json states neither hidden_size nor num_hidden_layers; a size from class defaults would be a guess")
        }
        let estimator: MemoryEstimator
        switch inspection.estimator() {
        case .success(let e): estimator = e
        case .failure(let why): return .skipped(why.reason)
        }
        if inspection.isGGUFOnly, let outcome = evaluateGGUF(inspection, estimator: estimator) { return outcome }
        let planner = FitPlanner(estimator: estimator, host: budget.host, policy: budget.policy)
        let required = budget.requiredPlacement
        var smallest: MemoryEstimate?
        do {
            for format in FitPrecision.candidates(precision).map(\.format) {
                let verdict = try planner.verdict(format, options: options)
                if verdict.kind <= required {
                    return .fits(format, verdict.kind, total: verdict.estimate.totalBytes, parameters: verdict.estimate.parameters)
                }
                smallest = verdict.estimate
            }
        } catch {
            return .skipped("\(error)")
        }
        let need = smallest.map { "\($0.format) needs \(ByteCount.format($0.totalBytes))" } ?? "no format fits"
        return .tooLarge("\(need); budget \(budget.summary)")
    }
}
