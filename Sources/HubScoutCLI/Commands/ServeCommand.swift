import ArgumentParser
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout serve`: a Hub-compatible server over an HF cache directory.
    struct ServeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve an HF cache directory as a Hub-compatible API (air-gapped mirrors, tests).",
            discussion: """
            Examples:
              hubscout serve ~/.cache/huggingface/hub --port 8080
              HF_ENDPOINT=http://127.0.0.1:8080 hubscout search --limit 5
            """
        )

        @Argument(help: "A directory in the Hugging Face cache layout (models--ORG--NAME/…).")
        var directory: String
        @Option(help: "Port of the API listener.")
        var port: Int = 8080
        @Option(help: "Address of the API listener.")
        var host: String = "127.0.0.1"

        func run() async throws {
            Terminal.error("serve is not wired yet")
            throw ExitCode(1)
        }
    }
}
