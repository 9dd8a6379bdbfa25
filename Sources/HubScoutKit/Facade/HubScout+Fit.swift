import HubScoutCore

extension HubScout {
    /// Everything about `repo` that can be learned without downloading its weights: the model info, its
    /// files by format, `config.json`, the model card, and the safetensors/GGUF headers read with HTTP
    /// Range requests, with the parameter count and where it came from.
    ///
    /// - Parameters:
    ///   - repo: the model, as `ORG/NAME`.
    ///   - revision: a branch, tag or commit; nil for the default branch.
    /// - Throws: ``HubError`` (not found, gated, revision not found, network…).
    public func inspect(_ repo: RepoID, revision: String? = nil) async throws -> ModelInspection {
        try await ModelInspector(client: client).inspect(repo, revision: revision)
    }

    /// Whether `repo` fits `target`, and in which precision: inspects the model, then sizes it.
    ///
    /// ```swift
    /// let fit = try await hub.fit(try RepoID("mlx-community/Qwen2.5-7B-Instruct-4bit"), on: .thisHost,
    ///                             options: EstimateOptions(context: 32_768, engine: .mlx))
    /// print(fit.fits ? "fits as \(fit.format!)" : "does not fit: \(fit.reason ?? "")")
    /// ```
    ///
    /// - Throws: ``HubError`` when the model cannot be read; a model that can be read but not sized is
    ///   not an error: its ``ModelFit/outcome`` is `.skipped` with the reason.
    public func fit(_ repo: RepoID, revision: String? = nil, on target: FitTarget = .thisHost, precision: FitPrecision? = nil,
                    options: EstimateOptions = EstimateOptions()) async throws -> ModelFit {
        async let budget = target.budget(detector: hardware)
        let inspection = try await inspect(repo, revision: revision)
        return try fit(inspection, budget: await budget, precision: precision, options: options)
    }

    /// Whether an inspected model fits `target` (no further request, except detecting this machine).
    ///
    /// - Throws: `FitError` when an estimate overflows (absurd configs or budgets).
    public func fit(_ inspection: ModelInspection, on target: FitTarget = .thisHost, precision: FitPrecision? = nil,
                    options: EstimateOptions = EstimateOptions()) async throws -> ModelFit {
        try fit(inspection, budget: await target.budget(detector: hardware), precision: precision, options: options)
    }

    /// Sizes an inspection against a settled budget: the decision of ``FitSearch/evaluate(_:)`` plus the
    /// planner's verdict table.
    private func fit(_ inspection: ModelInspection, budget: FitBudget, precision: FitPrecision?, options: EstimateOptions) throws -> ModelFit {
        let search = FitSearch(client: client, query: ModelQuery(ModelFilter()), budget: budget, precision: precision, options: options)
        let outcome = search.evaluate(inspection)
        var verdicts: [FitVerdict] = []
        var recommended: FitVerdict?
        if case .skipped = outcome {} else if case .success(let estimator) = inspection.estimator() {
            let planner = FitPlanner(estimator: estimator, host: budget.host, policy: budget.policy)
            verdicts = try planner.verdicts(options: options)
            if case let .fits(format, _, _, _, _) = outcome {
                recommended = try verdicts.first { $0.format == format } ?? planner.verdict(format, options: options)
            }
        }
        return ModelFit(inspection: inspection, budget: budget, precision: precision, options: options, outcome: outcome,
                        verdicts: verdicts, recommended: recommended)
    }
}
