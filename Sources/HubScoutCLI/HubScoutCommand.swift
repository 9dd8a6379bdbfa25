import ArgumentParser
import HubScoutNetwork

/// The `hubscout` root command.
@main
struct HubScoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubscout",
        abstract: "Choose, size and fetch open models from the Hugging Face Hub.",
        discussion: """
        Examples:
          hubscout search --task text-generation --sort downloads --limit 10
          hubscout info Qwen/Qwen2.5-0.5B
          hubscout login

        Environment: HF_ENDPOINT (Hub URL), HF_TOKEN (token), HF_HOME / HF_HUB_CACHE (cache), HUBSCOUT_HOME (catalog).
        """,
        version: HubScoutVersion.current,
        subcommands: [SearchCommand.self, InfoCommand.self, LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, ServeCommand.self, DownloadCommand.self]
    )
}
