import ArgumentParser
import Foundation
import HubScoutKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HubScoutCommand {
    /// `hubscout auth login` (also `hubscout login`): check a token with the Hub, store it by name in
    /// `stored_tokens` and make it the active token, in the files huggingface_hub reads.
    struct LoginCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Check a Hub access token and store it where huggingface_hub keeps tokens.",
            discussion: """
            The token is checked against the Hub, stored under its name in $HF_HOME/stored_tokens and made the active token in $HF_TOKEN_PATH or $HF_HOME/token (mode 0600), the files `hf auth` uses too. Its name is the one it has on the Hub (as `hf auth login` names it) unless --token-name says otherwise. On a terminal the token is typed at a prompt that does not show it. Create one at <HF_ENDPOINT>/settings/tokens (https://huggingface.co/settings/tokens; read access is enough). HF_TOKEN, when set, still wins over any stored token.

            Examples:
              hubscout auth login
              hubscout auth login --token hf_xxx --token-name laptop
              echo "$TOKEN" | hubscout auth login
            """
        )

        @Option(help: "The token; without it, typed at a hidden prompt (on a terminal) or read from standard input.")
        var token: String?
        @Option(name: .customLong("token-name"), help: ArgumentHelp("Store it under this name (default: its name on the Hub).", valueName: "name"))
        var tokenName: String?
        @Flag(help: "Store the token without checking it with the Hub (needs --token-name).")
        var noVerify = false
        @Option(name: .long, help: ArgumentHelp("Hub URL (default: HF_ENDPOINT or https://huggingface.co).", valueName: "url"))
        var endpoint: String?

        func validate() throws {
            // The name comes from the Hub's answer; without asking, there is none to use.
            if noVerify, tokenName == nil {
                throw ValidationError("--no-verify needs --token-name NAME: the token's name normally comes from the Hub")
            }
        }

        func run() async throws {
            try await CommandRunner.run {
                var variables = HubEnvironment().variables
                if let endpoint { variables["HF_ENDPOINT"] = endpoint }
                let environment = HubEnvironment(variables: variables)
                let store = TokenStore(environment: environment)
                let (typed, source) = readToken(environment)
                let value = typed.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !value.isEmpty else { throw TokenStoreError.emptyToken(tokensPage: environment.tokensPage) }
                let candidate = try ResolvedToken(value: value, source: source)
                if value.hasPrefix("api_org") { throw TokenStoreError.organizationToken }
                var who: WhoAmI?
                if !noVerify {
                    who = try await HubClient(environment: environment, token: candidate).whoami()
                }
                // hf auth login's naming: the token's display name on the Hub, else `oauth-<user>`.
                let name = tokenName?.trimmingCharacters(in: .whitespaces)
                    ?? who?.auth?.accessToken?.displayName ?? who.map { "oauth-\($0.name)" } ?? ""
                let path = try await store.login(value, name: name)
                if let who {
                    let role = who.auth?.accessToken?.role.map { " (role \($0))" } ?? ""
                    Terminal.note("token is valid\(role); logged in as \(who.name)")
                }
                Terminal.note("stored as '\(name)' in \(store.storedTokensPath); active token written to \(path)")
                if let overriding = try? store.environmentToken() {
                    Terminal.note("note: \(overriding.source.rawValue) is set and takes precedence over stored tokens; unset it to use '\(name)'")
                }
            }
        }

        /// `--token`, else a hidden prompt on a terminal, else a line from standard input (a pipe).
        private func readToken(_ environment: HubEnvironment) -> (String, TokenSource) {
            if let token { return (token, .commandLine) }
            guard isatty(STDIN_FILENO) == 1 else { return (readLine(strippingNewline: true) ?? "", .standardInput) }
            Terminal.note("Paste an access token from \(environment.tokensPage) (read access is enough).")
            return (HiddenInput.readLine(prompt: "Enter your token (input will not be visible): ") ?? "", .standardInput)
        }
    }

    /// `hubscout auth logout` (also `hubscout logout`): forget one stored token, or all of them.
    struct LogoutCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logout",
            abstract: "Forget the stored tokens (or one, with --token-name), as hf auth logout does.",
            discussion: """
            Without --token-name: deletes the active token file and $HF_HOME/stored_tokens. With it: removes that token, and the active token file too if it held that token. HF_TOKEN is not touched.
            """
        )

        @Option(name: .customLong("token-name"), help: ArgumentHelp("The stored token to forget (default: all of them).", valueName: "name"))
        var tokenName: String?

        func run() async throws {
            try await CommandRunner.run {
                let environment = HubEnvironment()
                let store = TokenStore(environment: environment)
                let result = try await store.logout(name: tokenName)
                if let name = result.removedName {
                    Terminal.note("removed '\(name)' from \(store.storedTokensPath)"
                                  + (result.removedActiveToken ? "; it was the active token, so \(environment.tokenPath) was deleted too" : ""))
                } else if result.removedActiveToken || result.removedStoredTokens {
                    let removed = [result.removedActiveToken ? environment.tokenPath : nil, result.removedStoredTokens ? store.storedTokensPath : nil]
                    Terminal.note("logged out: deleted \(removed.compactMap { $0 }.joined(separator: " and "))")
                } else {
                    Terminal.note("not logged in: there is no \(environment.tokenPath) or \(store.storedTokensPath)")
                }
                if let overriding = try? store.environmentToken() {
                    Terminal.note("note: \(overriding.source.rawValue) is still set and still used; unset it to log out completely")
                }
            }
        }
    }

    /// `hubscout auth whoami` (also `hubscout whoami`): who the token in effect belongs to, and where it came from.
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
                    struct Out: Encodable {
                        var name: String; var orgs: [String]; var tokenSource: String; var tokenName: String?; var tokenRole: String?; var token: String
                    }
                    Terminal.print(try Format.json(Out(name: who.name, orgs: (who.orgs ?? []).map(\.name), tokenSource: token.source.rawValue,
                                                       tokenName: token.name, tokenRole: who.auth?.accessToken?.role, token: token.masked)))
                } else {
                    Terminal.print("\(who.name)\(who.fullname.map { " (\($0))" } ?? "")")
                    if let orgs = who.orgs, !orgs.isEmpty { Terminal.print("orgs:  \(orgs.map(\.name).joined(separator: ", "))") }
                    Terminal.print("token: \(token.masked) from \(token.origin)\(who.auth?.accessToken?.role.map { ", role \($0)" } ?? "")")
                }
            }
        }
    }
}

/// Reads a line typed at the terminal on standard input without showing it, as Python's `getpass` does:
/// echo is turned off (line editing and Ctrl-C still work) and put back on every way out, a signal included.
enum HiddenInput {
    /// The terminal's settings before echo went off, for the signal handler to put back. Written before the
    /// handler is installed and only read by it.
    nonisolated(unsafe) private static var original = termios()

    /// Shows `prompt` on stderr and reads one line from the terminal with echo off; nil at end of input.
    static func readLine(prompt: String) -> String? {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            Terminal.writeErr(Data(prompt.utf8))
            return Swift.readLine(strippingNewline: true)
        }
        original = saved
        // Ctrl-C (or a kill) while echo is off would leave the shell not showing what is typed: put the
        // settings back, then die of the signal as if unhandled, so the exit status still says so.
        let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
        let previous = signals.map { number in
            signal(number) { received in
                var settings = HiddenInput.original
                tcsetattr(STDIN_FILENO, TCSANOW, &settings)
                signal(received, SIG_DFL)
                raise(received)
            }
        }
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            for (number, handler) in zip(signals, previous) { signal(number, handler) }
        }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        // Echo goes off before the prompt shows, so nothing typed after the prompt appears can be echoed.
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        Terminal.writeErr(Data(prompt.utf8))
        let line = Swift.readLine(strippingNewline: true)
        // The Enter that ended the line was not echoed either.
        Terminal.writeErr(Data("\n".utf8))
        return line
    }
}
