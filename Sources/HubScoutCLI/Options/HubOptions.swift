import ArgumentParser
import HubScoutKit

/// Options every command that talks to the Hub shares.
struct HubOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Hub token (else HF_TOKEN, HF_TOKEN_PATH, then the token file).", valueName: "token"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp("Hub URL (default: HF_ENDPOINT or https://huggingface.co).", valueName: "url"))
    var endpoint: String?

    /// The environment with `--endpoint` applied.
    var environment: HubEnvironment {
        var variables = HubEnvironment().variables
        if let endpoint { variables["HF_ENDPOINT"] = endpoint }
        return HubEnvironment(variables: variables)
    }

    /// A client with the token in effect.
    func client() throws -> HubClient {
        let environment = environment
        return HubClient(environment: environment, token: try TokenStore(environment: environment).resolve(commandLine: token))
    }
}

/// `--json` for machine-readable output.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (camelCase keys, documented in README) instead of a table.")
    var json = false
}
