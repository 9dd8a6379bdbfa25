import Foundation
import HubScoutCore

/// The short path for an app: search the Hub, size a model for this machine (or a memory budget), and
/// download it into the Hugging Face cache, in a few lines.
///
/// ```swift
/// import HubScoutKit
///
/// let hub = try HubScout()                                   // HF_ENDPOINT, HF_HOME, HF_TOKEN as huggingface_hub reads them
/// let models = try await hub.search(ModelFilter(library: "mlx", sort: .downloads), limit: 10)
/// let repo = try RepoID(models[0].id)
/// let fit = try await hub.fit(repo, on: .thisHost)
/// if fit.fits {
///     for try await update in hub.download(repo) {
///         if case .completed(let snapshot) = update { print(snapshot.folder.path) }
///     }
/// }
/// ```
///
/// `HubScout` composes the library's parts and adds no behaviour of its own: ``HubClient`` for the API,
/// ``ModelInspector`` for a model's facts, ``FitSearch`` and `FitPlanner` for memory, ``Downloader`` for
/// resumable, verified downloads and ``HardwareDetector`` for this machine. Reach for those directly when you
/// need more control. Failures are the typed errors of those parts (``HubError``, ``DownloadError``,
/// `CacheError`), each with a sentence meant for the user as its `description`.
public struct HubScout: Sendable {
    /// The Hub client every call goes through (endpoint, token, transport).
    public let client: HubClient
    /// Parallelism, retries and verification of downloads.
    public var downloadOptions: DownloadOptions
    /// How ``FitTarget/thisHost`` finds this machine's RAM and GPUs.
    public var hardware: HardwareDetector

    /// A facade over `client`, for full control of the environment, token and transport.
    public init(client: HubClient, downloadOptions: DownloadOptions = DownloadOptions(), hardware: HardwareDetector = HardwareDetector()) {
        self.client = client
        self.downloadOptions = downloadOptions
        self.hardware = hardware
    }

    /// A facade configured by the environment, as `huggingface_hub` and the `hubscout` command are:
    /// `HF_ENDPOINT`, `HF_HOME` / `HF_HUB_CACHE`, `HF_HUB_OFFLINE`, and the token from `token`, else
    /// `HF_TOKEN`, `HF_TOKEN_PATH` or the token file `hubscout login` and `hf auth login` write.
    ///
    /// - Throws: `TokenStoreError` when the token found contains characters an HTTP header cannot carry.
    public init(environment: HubEnvironment = .current, token: String? = nil, downloadOptions: DownloadOptions = DownloadOptions(),
                hardware: HardwareDetector = HardwareDetector()) throws {
        let resolved = try TokenStore(environment: environment).resolve(commandLine: token)
        self.init(client: HubClient(environment: environment, token: resolved), downloadOptions: downloadOptions, hardware: hardware)
    }

    /// A facade for an explicit Hub and cache, ignoring the process environment: `endpoint` is the Hub
    /// (`https://huggingface.co`, or a mirror such as `hubscout serve`), `token` is sent to that host only
    /// (nil: anonymous), and files land in the Hugging Face cache layout under `cacheDirectory`.
    ///
    /// - Throws: `TokenStoreError` when `token` contains characters an HTTP header cannot carry.
    public init(endpoint: URL, token: String? = nil, cacheDirectory: URL, downloadOptions: DownloadOptions = DownloadOptions(),
                hardware: HardwareDetector = HardwareDetector()) throws {
        let environment = HubEnvironment(variables: [
            "HOME": NSHomeDirectory(),
            "HF_ENDPOINT": endpoint.absoluteString,
            "HF_HUB_CACHE": cacheDirectory.standardizedFileURL.path,
        ])
        let resolved = try token.map { token throws(TokenStoreError) in try ResolvedToken(value: token, source: .commandLine) }
        self.init(client: HubClient(environment: environment, token: resolved), downloadOptions: downloadOptions, hardware: hardware)
    }

    /// Where and how this facade talks to the Hub and keeps files.
    public var environment: HubEnvironment { client.environment }

    /// The Hub's base URL.
    public var endpoint: URL? { URL(string: client.environment.endpoint) }

    /// The root of the Hugging Face cache downloads land in (`models--ORG--NAME/{blobs,snapshots,refs}` below it).
    public var cacheDirectory: URL { URL(fileURLWithPath: client.environment.hubCache, isDirectory: true) }
}
