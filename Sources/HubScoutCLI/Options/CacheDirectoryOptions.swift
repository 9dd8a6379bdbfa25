import ArgumentParser
import Foundation
import HubScoutKit

/// `--cache-dir`, declared once for every command that reads or writes the Hugging Face cache.
struct CacheDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"),
            help: ArgumentHelp("The Hugging Face cache (default: HF_HUB_CACHE, else $HF_HOME/hub).", valueName: "dir"))
    var cacheDir: String?

    /// The cache root in effect: `--cache-dir` made absolute against the working directory, else the environment's.
    func root(in environment: HubEnvironment = HubEnvironment()) -> String {
        guard let cacheDir else { return environment.hubCache }
        return URL(fileURLWithPath: cacheDir).standardizedFileURL.path
    }

    /// `--cache-dir` made absolute, or nil when it was not given.
    var given: String? { cacheDir.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
}
