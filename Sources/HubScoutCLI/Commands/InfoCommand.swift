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

            Parameters and weight bytes come from safetensors/GGUF headers read with HTTP Range
            requests (a few KB per file, never the weights), else the Hub API, else a formula
            over config.json; the output says which.
            """
        )

        @OptionGroup var target: ModelOptions
        @Flag(help: "Skip reading safetensors/GGUF headers (faster; counts then come from the API or config).")
        var noHeaders = false

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        /// The memory table for this machine at the default context, when the model can be sized.
        static func memoryReport(_ inspection: ModelInspection) async -> FitReport? {
            guard case let .success(estimator) = inspection.estimator() else { return nil }
            let hardware = await ThisMachine.hardware()
            return try? FitReport(inspection: inspection, estimator: estimator, hardware: hardware, overrides: [], options: EstimateOptions())
        }

        func run() async throws {
            try await CommandRunner.run {
                let inspection = try await ModelInspector(client: try hub.client()).inspect(target.repo, revision: target.effectiveRevision,
                                                                                            readHeaders: !noHeaders)
                var report = ModelReport(inspection, environment: hub.environment)
                let fit = await Self.memoryReport(inspection)
                report.memory = fit?.memory
                await CatalogHook.record(environment: hub.environment) { await $0.record(inspection: inspection) }
                if output.json {
                    Terminal.print(try Format.json(report))
                } else {
                    Terminal.print(report.render())
                    if let fit {
                        Terminal.print("")
                        Terminal.print("Memory at \(fit.context) tokens of context, default engine (GiB; * = exact from headers; verdicts for this machine):")
                        Terminal.print(fit.table(firstHeader: "FORMAT", rows: fit.precisionRows,
                                                 labels: fit.precisionRows.map { $0.isNative ? "\($0.label) (native)" : $0.label }))
                        if !fit.ggufRows.isEmpty {
                            Terminal.print(fit.table(firstHeader: "GGUF FILE", rows: fit.ggufRows, labels: fit.ggufRows.map { $0.path ?? $0.label }))
                        }
                        Terminal.print("Details, other contexts and hardware: hubscout fit \(report.id) --help")
                    }
                }
            }
        }
    }
}
