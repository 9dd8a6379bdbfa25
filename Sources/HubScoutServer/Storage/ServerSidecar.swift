import Foundation

/// The sidecar file `hubscout-server.json` at the storage root: what a cache cannot know.
///
/// ```json
/// {
///   "repos": {
///     "meta-llama/Llama-3.1-8B-Instruct": {
///       "downloads": 5795728, "likes": 3763, "trendingScore": 40, "gated": "manual", "private": false,
///       "pipeline_tag": "text-generation", "library_name": "transformers",
///       "createdAt": "2024-07-18T08:56:00.000Z", "lastModified": "2024-09-25T17:00:57.000Z",
///       "safetensors": {"parameters": {"BF16": 8030261248}, "total": 8030261248},
///       "usedStorage": 32123357950, "tags": ["region:us"], "gitTags": ["v1.0"],
///       "_id": "6698d8a0653e4babe21e1e7d", "overrides": {"inference": "warm"}
///     }
///   },
///   "aliases": {"meta-llama/Meta-Llama-3.1-8B-Instruct": "meta-llama/Llama-3.1-8B-Instruct"},
///   "tokens": {
///     "hf_alice": {"user": "alice", "orgs": ["acme"], "role": "read",
///                  "gatedRepos": ["meta-llama/Llama-3.1-8B-Instruct"], "privateRepos": ["acme/secret"]}
///   }
/// }
/// ```
/// Every key is optional. Repo ids are matched case-insensitively. See `Sources/HubScoutServer/README.md`.
public struct ServerSidecar: Sendable, Equatable, Codable {
    /// The file name looked for at the storage root.
    public static let fileName = "hubscout-server.json"

    /// Per-repository facts, keyed by repo id.
    public var repos: [String: RepoFacts]
    /// Old id → canonical id.
    public var aliases: [String: String]
    /// Token → grant.
    public var tokens: [String: TokenGrant]

    /// Creates a sidecar.
    public init(repos: [String: RepoFacts] = [:], aliases: [String: String] = [:], tokens: [String: TokenGrant] = [:]) {
        self.repos = repos; self.aliases = aliases; self.tokens = tokens
    }

    enum CodingKeys: String, CodingKey { case repos, aliases, tokens }

    /// Decodes leniently: every top-level key is optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        repos = try c.decodeIfPresent([String: RepoFacts].self, forKey: .repos) ?? [:]
        aliases = try c.decodeIfPresent([String: String].self, forKey: .aliases) ?? [:]
        tokens = try c.decodeIfPresent([String: TokenGrant].self, forKey: .tokens) ?? [:]
    }

    /// The facts for `id`, matched case-insensitively.
    public func facts(for id: String) -> RepoFacts? {
        if let exact = repos[id] { return exact }
        let lower = id.lowercased()
        return repos.first { $0.key.lowercased() == lower }?.value
    }

    /// Pretty, key-sorted JSON, as `FixtureCache` and hand editing expect.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
