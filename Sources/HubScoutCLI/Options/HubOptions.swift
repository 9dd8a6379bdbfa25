import ArgumentParser
import HubScoutKit

/// Options every command that talks to the Hub shares.
struct HubOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Hub token (else HF_TOKEN, HF_TOKEN_PATH, then the token file).", valueName: "token"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp("Hub URL (default: HF_ENDPOINT or https://huggingface.co).", valueName: "url"))
    var endpoint: String?

    @Flag(help: "Say more on stderr: retries, HTTP/2 falling back to HTTP/1.1, and (search --fits) every model skipped and why.")
    var verbose = false

    /// The environment with `--endpoint` and `--verbose` applied.
    var environment: HubEnvironment {
        var variables = HubEnvironment().variables
        if let endpoint { variables["HF_ENDPOINT"] = endpoint }
        if verbose { variables["HUBSCOUT_VERBOSE"] = "1" }
        return HubEnvironment(variables: variables)
    }

    /// A client with the token in effect.
    func client() throws -> HubClient {
        let environment = environment
        return HubClient(environment: environment, token: try TokenStore(environment: environment).resolve(commandLine: token))
    }
}

/// How a command prints: `--json`, `-q/--quiet`, `--no-truncate`. Parsing them configures `Terminal` for the run
/// (with `HF_HUB_DISABLE_PROGRESS_BARS` and `TERM` from the environment).
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (camelCase keys, documented in README) instead of a table.")
    var json = false

    @Flag(name: [.customShort("q"), .long], help: "Print results and errors only: no progress, notes or warnings on stderr.")
    var quiet = false

    @Flag(name: .customLong("no-truncate"), help: "Keep every table cell whole on a terminal (tables are fitted to its width by default; pipes always get whole rows).")
    var noTruncate = false

    /// ArgumentParser validates every option group before `run`: the one place all commands pass through after parsing,
    /// so the settings are in effect for the command's first line of output.
    func validate() throws {
        var settings = Terminal.settings
        settings.quiet = quiet
        settings.noTruncate = noTruncate
        Terminal.settings = settings
    }

    /// How download progress is shown: JSON lines with `--json`; only notices with `-q` or `HF_HUB_DISABLE_PROGRESS_BARS`;
    /// a redrawn display on a terminal that can move the cursor; plain lines otherwise (pipes, files, `TERM=dumb`).
    var progressMode: ProgressDisplay.Mode {
        if json { return .json }
        if !Terminal.settings.progressEnabled { return .silent }
        return Terminal.stderrSupportsCursor ? .terminal : .plain
    }
}
