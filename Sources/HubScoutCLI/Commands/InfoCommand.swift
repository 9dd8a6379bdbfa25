import ArgumentParser
import Foundation
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout info`: one model's facts and files.
    struct InfoCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show a model: task, library, license, gating, parameters and files.",
            discussion: """
            Examples:
              hubscout info Qwen/Qwen2.5-0.5B
              hubscout info meta-llama/Llama-3.1-8B-Instruct --revision main --json
            """
        )

        @Argument(help: "The model, as ORG/NAME.")
        var repo: String
        @Option(help: "Branch, tag or commit (default: the default branch).")
        var revision: String?

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run {
                let id = try RepoID(repo)
                let info = try await hub.client().modelInfo(id, revision: revision, blobs: true)
                let report = ModelReport(info: info, environment: hub.environment)
                if output.json {
                    Terminal.print(try Format.json(report))
                } else {
                    Terminal.print(report.render())
                }
            }
        }
    }
}
