import ArgumentParser
import HubScoutCatalog
import HubScoutNetwork

/// The `hubscout` root command.
@main
struct HubScoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubscout",
        abstract: "Choose, size and fetch open models from the Hugging Face Hub.",
        discussion: """
        Examples:
          hubscout search --task text-generation --fits 16GB --limit 10
          hubscout info Qwen/Qwen2.5-0.5B
          hubscout fit meta-llama/Llama-3.1-8B-Instruct --gpu 24GB --context 32768
          hubscout download Qwen/Qwen2.5-0.5B --include "*.json"
          hubscout ls

        Environment: HF_ENDPOINT (Hub URL), HF_TOKEN (token), HF_HOME / HF_HUB_CACHE (cache), HUBSCOUT_HOME (catalog).
        """,
        version: versionLine,
        subcommands: [SearchCommand.self, InfoCommand.self, FitCommand.self, HardwareCommand.self, DownloadCommand.self,
                      LsCommand.self, DedupeCommand.self, LinkCommand.self, ModelsCommand.self, CatalogCommand.self, CacheCommand.self, BundleCommand.self,
                      AuthCommand.self, LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, ServeCommand.self]
    )

    /// What `--version` prints: `hubscout 0.1.0 (commit 1a2b3c4d5e6f)`, the commit compiled in by the EmbedSnapshot
    /// plugin ("unknown" for a build outside a git checkout).
    static let versionLine = "hubscout \(HubScoutVersion.current) (commit \(HubScoutBuildInfo.shortCommit))"
}
