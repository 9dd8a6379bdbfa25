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

        @Argument(help: "The model, as ORG/NAME.")
        var repo: String
        @Option(help: "Branch, tag or commit (default: the default branch).")
        var revision: String?
        @Flag(help: "Skip reading safetensors/GGUF headers (faster; counts then come from the API or config).")
        var noHeaders = false

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run {
                let id = try RepoID(repo)
                let inspection = try await ModelInspector(client: hub.client()).inspect(id, revision: revision, readHeaders: !noHeaders)
                let report = ModelReport(inspection, environment: hub.environment)
                await CatalogHook.record(environment: hub.environment) { await $0.record(inspection: inspection) }
                if output.json {
                    Terminal.print(try Format.json(report))
                } else {
                    Terminal.print(report.render())
                }
            }
        }
    }
}
