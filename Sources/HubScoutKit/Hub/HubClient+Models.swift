import Foundation
import HubScoutCore
import HubScoutNetwork

extension HubClient {
    /// Searches models; pages are fetched lazily as the sequence is iterated, up to `query.limit` items.
    public func listModels(_ query: ModelQuery) -> HubPages<ModelInfo> {
        HubPages(client: self, firstURL: url("/api/models", query: query.queryItems), limit: query.limit, repo: nil, revision: nil)
    }

    /// Model info at a revision (default branch when nil); `blobs` adds file sizes and LFS facts.
    /// Renamed repos are followed through the Hub's relative 307.
    public func modelInfo(_ repo: RepoID, revision: String? = nil, expand: [String] = [], blobs: Bool = false) async throws -> ModelInfo {
        var path = "/api/models/\(repo)"
        if let revision { path += "/revision/\(Self.encodeSegment(revision))" }
        var query: [(String, String)] = []
        if blobs { query.append(("blobs", "true")) }
        for key in expand { query.append(("expand", key)) }
        let response = try await execute(request(url: url(path, query: query)), repo: repo, revision: revision)
        return try decode(ModelInfo.self, from: response)
    }

    /// Lists files (recursively by default) at a revision; paginated lazily.
    public func listTree(_ repo: RepoID, revision: String = "main", path: String? = nil, recursive: Bool = true) -> HubPages<TreeEntry> {
        var route = "/api/models/\(repo)/tree/\(Self.encodeSegment(revision))"
        if let path, !path.isEmpty { route += "/\(Self.encodePath(path))" }
        let query: [(String, String)] = recursive ? [("recursive", "true")] : []
        return HubPages(client: self, firstURL: url(route, query: query), limit: nil, repo: repo.description, revision: revision)
    }

    /// Branches and tags of a repository.
    public func refs(_ repo: RepoID) async throws -> RepoRefs {
        let response = try await execute(request(url: url("/api/models/\(repo)/refs")), repo: repo)
        return try decode(RepoRefs.self, from: response)
    }

    /// Who the token belongs to (`/api/whoami-v2`).
    public func whoami() async throws -> WhoAmI {
        guard token != nil else { throw HubError.notLoggedIn(what: "whoami") }
        let response = try await execute(request(url: url("/api/whoami-v2")), repo: nil)
        return try decode(WhoAmI.self, from: response)
    }
}

/// Branches and tags (`/api/models/{id}/refs`).
public struct RepoRefs: Sendable, Codable, Equatable {
    /// One ref and the commit it points to.
    public struct Ref: Sendable, Codable, Equatable {
        public var name: String
        public var ref: String
        public var targetCommit: String
    }
    public var branches: [Ref]
    public var tags: [Ref]
}

/// The account behind a token (`/api/whoami-v2`).
public struct WhoAmI: Sendable, Codable, Equatable {
    /// An organisation the user belongs to.
    public struct Org: Sendable, Codable, Equatable {
        public var name: String
    }
    /// The token's own facts.
    public struct Auth: Sendable, Codable, Equatable {
        public struct AccessToken: Sendable, Codable, Equatable {
            public var displayName: String?
            public var role: String?
        }
        public var type: String?
        public var accessToken: AccessToken?
    }
    public var type: String?
    public var name: String
    public var fullname: String?
    public var orgs: [Org]?
    public var auth: Auth?
}
