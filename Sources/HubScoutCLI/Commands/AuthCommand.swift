import ArgumentParser
import Foundation
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout auth …`: log in, list, switch and forget tokens, in the files `hf auth` reads and writes.
    struct AuthCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "auth",
            abstract: "Log in and manage stored Hub tokens (shared with hf auth).",
            discussion: """
            Tokens are stored by name in $HF_HOME/stored_tokens; the active one is in $HF_TOKEN_PATH or $HF_HOME/token. Both are the files huggingface_hub uses, so `hf auth list` sees what `hubscout auth login` stored and the other way round. HF_TOKEN, when set, wins over both.

            Examples:
              hubscout auth login
              hubscout auth list
              hubscout auth switch --token-name work
              hubscout auth logout --token-name old-laptop
            """,
            subcommands: [LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, AuthListCommand.self, AuthSwitchCommand.self]
        )
    }

    /// `hubscout auth list`: the stored tokens, masked, the active one starred (as `hf auth list`).
    struct AuthListCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored tokens (masked); * marks the one in effect.",
                                                        aliases: ["ls"])

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run {
                let store = TokenStore(environment: HubEnvironment())
                // The token in effect (HF_TOKEN included), as hf auth list stars the entry equal to get_token().
                let current = (try? store.resolve())?.value
                let stored = try store.storedTokens()
                let rows = stored.entries.map { entry in
                    Row(name: entry.name, token: entry.token.map(ResolvedToken.listMask) ?? "<not set>",
                        active: entry.token != nil && entry.token == current, expiresAt: entry.expiresAt)
                }
                if output.json {
                    Terminal.print(try Format.json(rows))
                } else if rows.isEmpty {
                    Terminal.note("no stored tokens in \(store.storedTokensPath)")
                } else {
                    let expiring = rows.contains { $0.expiresAt != nil }
                    var table = Table(headers: ["", "NAME", "TOKEN"] + (expiring ? ["EXPIRES"] : []))
                    table.rows = rows.map { row in
                        [row.active ? "*" : "", row.name, row.token] + (expiring ? [row.expiresAt.map(Self.date) ?? ""] : [])
                    }
                    Terminal.print(table)
                }
                if let overriding = try? store.environmentToken() {
                    Terminal.note("note: \(overriding.source.rawValue) is set and is the token in effect, whatever is stored")
                } else if !rows.isEmpty, !rows.contains(where: \.active) {
                    Terminal.note("note: none of these is active; pick one with hubscout auth switch --token-name NAME")
                }
            }
        }

        /// One stored token, as `--json` prints it (the token masked).
        struct Row: Encodable {
            var name: String
            var token: String
            var active: Bool
            var expiresAt: Int?
        }

        /// `2026-09-01`, or `2026-09-01 (expired)`, as hf auth list shows an OAuth token's expiry.
        static func date(_ seconds: Int) -> String {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd"
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            return formatter.string(from: date) + (date < Date() ? " (expired)" : "")
        }
    }

    /// `hubscout auth switch --token-name NAME`: make a stored token the active one (as `hf auth switch`).
    struct AuthSwitchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "switch", abstract: "Make a stored token the active one.")

        @Option(name: .customLong("token-name"), help: ArgumentHelp("The stored token to use (see hubscout auth list).", valueName: "name"))
        var tokenName: String

        func run() async throws {
            try await CommandRunner.run {
                let store = TokenStore(environment: HubEnvironment())
                let path = try await store.switchTo(name: tokenName)
                Terminal.note("the active token is now '\(tokenName)' (\(path))")
                if let overriding = try? store.environmentToken(), overriding.value != store.activeStoredToken() {
                    Terminal.note("note: \(overriding.source.rawValue) is set and takes precedence over '\(tokenName)'; unset it to use '\(tokenName)'")
                }
            }
        }
    }
}
