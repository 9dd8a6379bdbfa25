import ArgumentParser
import Foundation
import HubScoutServer

extension HubScoutCommand {
    /// `hubscout serve`: a Hub-compatible server over an HF cache directory.
    struct ServeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve an HF cache directory as a Hub-compatible API (air-gapped mirrors, tests).",
            discussion: """
            Serves every models--ORG--NAME folder of DIR: the JSON API, /resolve/ downloads with Range,
            and LFS files through a redirect to a second listener (--file-host), as the Hub's CDN does.
            Facts a cache cannot hold (downloads, likes, gating, tokens, aliases) come from an optional
            hubscout-server.json in DIR (see Sources/HubScoutServer/README.md).

            Examples:
              hubscout serve ~/.cache/huggingface/hub --port 8080
              HF_ENDPOINT=http://127.0.0.1:8080 hubscout search --limit 5
            """
        )

        @Argument(help: "A directory in the Hugging Face cache layout (models--ORG--NAME/…).")
        var directory: String
        @Option(help: "Port of the API listener (0 picks a free one).")
        var port: Int = 8080
        @Option(help: "Address of the API listener.")
        var host: String = "127.0.0.1"
        @Option(help: "Address of the file (CDN) listener; must differ from --host as a host name.")
        var fileHost: String = HubServerConfiguration.defaultFileHost
        @Option(help: "Port of the file listener (0 picks a free one).")
        var filePort: Int = 0

        /// Refuses ports the OS would silently truncate (70000 would listen on 4464).
        func validate() throws {
            for (flag, value) in [("--port", port), ("--file-port", filePort)]
            where !HubServerConfiguration.validPorts.contains(value) {
                throw ValidationError("\(flag) must be between 0 and 65535 (0 picks a free port); got \(value)")
            }
        }

        func run() async throws {
            try await CommandRunner.run {
                let root = (directory as NSString).expandingTildeInPath
                let storage = try CacheDirectoryStorage(root: root)
                // Read the sidecar once before listening: a broken one is reported here, with its path,
                // instead of every request being refused later.
                _ = try await storage.policy()
                let server = HubServer(storage: storage, configuration: HubServerConfiguration(
                    apiHost: host, apiPort: port, fileHost: fileHost, filePort: filePort))
                try await server.run { addresses in
                    Terminal.note("serving \(root)")
                    Terminal.note("API:   \(addresses.apiURL)   (export HF_ENDPOINT=\(addresses.apiURL))")
                    Terminal.note("files: \(addresses.fileURL)")
                }
            }
        }
    }
}
