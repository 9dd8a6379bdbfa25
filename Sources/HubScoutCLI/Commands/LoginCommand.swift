import ArgumentParser
import Foundation
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout login`: store a token in the token file that huggingface_hub also reads.
    struct LoginCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Store a Hub access token (mode 0600) for gated and private repos.",
            discussion: """
            The token is checked against the Hub, then written to $HF_TOKEN_PATH or $HF_HOME/token
            (default ~/.cache/huggingface/token), the file huggingface_hub reads too.
            Create a token at https://huggingface.co/settings/tokens (read access is enough).

            Examples:
              hubscout login --token hf_xxx
              echo "$TOKEN" | hubscout login
            """
        )

        @Option(help: "The token; read from standard input when left out.")
        var token: String?
        @Flag(help: "Store the token without checking it with the Hub.")
        var noVerify = false
        @Option(name: .long, help: ArgumentHelp("Hub URL (default: HF_ENDPOINT or https://huggingface.co).", valueName: "url"))
        var endpoint: String?

        func run() async throws {
            try await CommandRunner.run {
                var variables = HubEnvironment().variables
                if let endpoint { variables["HF_ENDPOINT"] = endpoint }
                let environment = HubEnvironment(variables: variables)
                let value = token ?? readLine(strippingNewline: true) ?? ""
                let store = TokenStore(environment: environment)
                guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw TokenStoreError.emptyToken }
                var who: WhoAmI?
                if !noVerify {
                    let client = HubClient(environment: environment, token: try ResolvedToken(value: value.trimmingCharacters(in: .whitespacesAndNewlines), source: .commandLine))
                    who = try await client.whoami()
                }
                let path = try store.save(value)
                Terminal.note("token saved to \(path)\(who.map { " (logged in as \($0.name))" } ?? "")")
                if environment.variables["HF_TOKEN"] != nil {
                    Terminal.note("note: HF_TOKEN is set and takes precedence over the token file")
                }
            }
        }
    }

    /// `hubscout logout`: delete the token file.
    struct LogoutCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "logout", abstract: "Delete the stored token file.")

        func run() async throws {
            try await CommandRunner.run {
                let environment = HubEnvironment()
                let removed = try TokenStore(environment: environment).remove()
                Terminal.note(removed ? "removed \(environment.tokenPath)" : "no token file at \(environment.tokenPath)")
                if environment.variables["HF_TOKEN"] != nil { Terminal.note("note: HF_TOKEN is still set in your environment") }
            }
        }
    }

    /// `hubscout whoami`: who the token in effect belongs to, and where it came from.
    struct WhoamiCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show the account and token source in effect.")

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run {
                let client = try hub.client()
                guard let token = client.token else {
                    throw HubError.notLoggedIn(what: "whoami")
                }
                let who = try await client.whoami()
                if output.json {
                    struct Out: Encodable { var name: String; var orgs: [String]; var tokenSource: String; var tokenRole: String?; var token: String }
                    Terminal.print(try Format.json(Out(name: who.name, orgs: (who.orgs ?? []).map(\.name), tokenSource: token.source.rawValue,
                                                       tokenRole: who.auth?.accessToken?.role, token: token.masked)))
                } else {
                    Terminal.print("\(who.name)\(who.fullname.map { " (\($0))" } ?? "")")
                    if let orgs = who.orgs, !orgs.isEmpty { Terminal.print("orgs:  \(orgs.map(\.name).joined(separator: ", "))") }
                    Terminal.print("token: \(token.masked) from \(token.source.rawValue)\(token.path.map { " (\($0))" } ?? "")\(who.auth?.accessToken?.role.map { ", role \($0)" } ?? "")")
                }
            }
        }
    }
}
