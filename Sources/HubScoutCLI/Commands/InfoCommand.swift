import ArgumentParser
import Foundation
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout info`: one model's facts and files.
    struct InfoCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show a model: task, license, gating, architecture, parameters, context, card and files.",
            discussion: """
            Examples:
              hubscout info Qwen/Qwen2.5-0.5B
              hubscout info meta-llama/Llama-3.1-8B-Instruct --revision main --json

            Parameters and weight bytes come from safetensors/GGUF headers read with HTTP Range requests (a few KB per file, never the weights), else the Hub API, else a formula over config.json; the output says which.

            A gated repository without access shows its public facts, says how to get access (as download does) and sizes memory from public facts, labelled as such. With HF_HUB_OFFLINE=1 (or the Hub unreachable) a model already in the local cache is read from its cached files.
            """
        )

        @OptionGroup var target: ModelOptions
        @Flag(help: "Skip reading safetensors/GGUF headers (faster; counts then come from the API or config).")
        var noHeaders = false

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        /// The memory table for this machine at the default context (llama.cpp for a GGUF-only repository), when the model can be sized.
        static func memoryReport(_ inspection: ModelInspection, publicFacts: [String]?) async -> FitReport? {
            guard case let .success(sizing) = inspection.sizing() else { return nil }
            let hardware = await ThisMachine.hardware()
            let options = EstimateOptions(engine: inspection.isGGUFOnly ? .llamaCpp : .default)
            return try? FitReport(inspection: inspection, sizing: sizing, hardware: hardware, overrides: [], options: options,
                                  basis: ModelLookup.basis(of: inspection, publicFacts: publicFacts))
        }

        func run() async throws {
            try await CommandRunner.run {
                let found = try await ModelLookup.inspect(target.repo, revision: target.effectiveRevision, readHeaders: !noHeaders, hub: hub)
                // The report shows what the Hub said; the memory table may come from public facts.
                var report = ModelReport(found, environment: hub.environment)
                let (inspection, publicFacts) = await ModelLookup.answeringFromPublicFacts(found, hub: hub)
                let fit = await Self.memoryReport(inspection, publicFacts: publicFacts)
                report.memory = fit?.memory
                report.memoryBasis = fit?.basis.name
                if case .hub = inspection.origin, inspection.gatedError == nil {
                    await CatalogHook.record(environment: hub.environment) { await $0.record(inspection: inspection) }
                }
                if output.json {
                    Terminal.print(try Format.json(report))
                } else {
                    Terminal.print(report.render())
                    if let fit {
                        Terminal.print("")
                        fit.basisLines.forEach { Terminal.print($0) }
                        let rows = fit.precisionRows.isEmpty ? fit.ggufRows : fit.precisionRows
                        let engine = fit.options.engine.engine.rawValue
                        Terminal.print("Memory at \(fit.context) tokens of context, \(engine) engine (GiB; * = exact from headers; TOTAL and verdicts for this machine):")
                        if !fit.precisionRows.isEmpty {
                            Terminal.print(fit.table(firstHeader: "FORMAT", rows: rows,
                                                     labels: rows.map { $0.isNative ? "\($0.label) (native)" : $0.label }))
                        }
                        if !fit.ggufRows.isEmpty {
                            Terminal.print(fit.table(firstHeader: "GGUF FILE", rows: fit.ggufRows, labels: fit.ggufRows.map { $0.path ?? $0.label }))
                        }
                        if let best = fit.best {
                            Terminal.print("Recommended here: \(best.path ?? best.label), \(MemoryFormat.gibText(best.verdict.totalBytes)) (\(MemoryFormat.verdict(best.verdict))).")
                        }
                        Terminal.print("Details, other contexts and hardware: hubscout fit \(report.id) --help")
                    }
                }
            }
        }
    }
}
