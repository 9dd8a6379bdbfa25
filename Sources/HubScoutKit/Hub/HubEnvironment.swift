import Foundation
import HubScoutNetwork

/// Where hubscout talks to and keeps files, from the same environment variables huggingface_hub reads.
public struct HubEnvironment: Sendable, Equatable {
    /// Base URL of the Hub (`HF_ENDPOINT`, default `https://huggingface.co`), no trailing slash.
    public var endpoint: String
    /// `HF_HOME`: `$HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`.
    public var hfHome: String
    /// `HF_HUB_CACHE` (legacy `HUGGINGFACE_HUB_CACHE`), default `$HF_HOME/hub`.
    public var hubCache: String
    /// `HF_TOKEN_PATH`, default `$HF_HOME/token`.
    public var tokenPath: String
    /// `HUBSCOUT_HOME`, default `~/.cache/hubscout` (catalog and hubscout's own state).
    public var hubscoutHome: String
    /// `HF_HUB_OFFLINE`: no network at all.
    public var offline: Bool
    /// The raw variables, for token lookup.
    public var variables: [String: String]
    /// Seconds without a byte before a transfer counts as stalled (and a download resumes it):
    /// `HF_HUB_DOWNLOAD_TIMEOUT`, as huggingface_hub reads it, else 30.
    public var stallTimeout: Int
    /// `HUBSCOUT_VERBOSE` (set by `--verbose`): retries and protocol fallbacks are logged to stderr.
    public var verbose: Bool

    /// Reads the environment of this process (or the given variables, for tests).
    public init(variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
        let home = variables["HOME"] ?? NSHomeDirectory()
        func expand(_ path: String) -> String { path.hasPrefix("~") ? home + path.dropFirst() : path }
        var endpoint = variables["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://huggingface.co"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        let hfHome = variables["HF_HOME"].map(expand)
            ?? variables["XDG_CACHE_HOME"].map { expand($0) + "/huggingface" }
            ?? home + "/.cache/huggingface"
        self.hfHome = hfHome
        hubCache = (variables["HF_HUB_CACHE"] ?? variables["HUGGINGFACE_HUB_CACHE"]).map(expand) ?? hfHome + "/hub"
        tokenPath = variables["HF_TOKEN_PATH"].map(expand) ?? hfHome + "/token"
        hubscoutHome = variables["HUBSCOUT_HOME"].map(expand) ?? home + "/.cache/hubscout"
        offline = HubEnvironment.isTrue(variables["HF_HUB_OFFLINE"]) || HubEnvironment.isTrue(variables["TRANSFORMERS_OFFLINE"])
        stallTimeout = HubEnvironment.seconds(variables["HF_HUB_DOWNLOAD_TIMEOUT"]) ?? 30
        verbose = HubEnvironment.isTrue(variables["HUBSCOUT_VERBOSE"])
    }

    /// A positive number of seconds (huggingface_hub takes a float), rounded up and capped at a day; nil otherwise.
    static func seconds(_ value: String?) -> Int? {
        guard let value, let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite, number > 0 else { return nil }
        return Int(min(number.rounded(.up), 86_400))
    }

    /// huggingface_hub's boolean rule: 1, ON, YES, TRUE (any case).
    public static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "on", "yes", "true"].contains(value.lowercased())
    }

    // MARK: - Where the token may go

    /// The origin the Hub token belongs to: the endpoint's scheme, host and port (nil when the
    /// endpoint is not an http(s) URL, and then the token goes nowhere).
    public var endpointOrigin: HTTPOrigin? { HTTPOrigin(url: endpoint) }

    /// True when `url` is on the endpoint's origin (`HTTPS://HUB:443` and `https://hub` are the same
    /// place; `https://hub.evil`, `http://hub` and `https://hub:8443` are not).
    public func isEndpointOrigin(_ url: String) -> Bool {
        guard let origin = HTTPOrigin(url: url), let endpointOrigin else { return false }
        return origin == endpointOrigin
    }

    /// The one decision on credentials: the `Authorization` value for a request to `url`, which is
    /// `Bearer <token>` on the endpoint's origin and nil anywhere else (a CDN, a `Link` or `Location`
    /// naming another host, port or scheme). Every request `HubClient` builds asks here; the transport
    /// also drops the header on a redirect to another origin, as a second line of defence.
    public func authorization(for url: String, token: ResolvedToken?) -> String? {
        guard let token, isEndpointOrigin(url) else { return nil }
        return "Bearer \(token.value)"
    }

    /// The web page of a repository, where gated access is requested.
    public func repoPageURL(_ repo: RepoID) -> String { "\(endpoint)/\(repo)" }
}

import HubScoutCore
