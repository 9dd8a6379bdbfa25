/// What one access token may do, from the sidecar's `tokens` map (token string → grant).
public struct TokenGrant: Sendable, Equatable, Codable {
    /// The user name `whoami-v2` reports; repositories under this namespace count as owned.
    public var user: String
    /// Display name (default: the user name).
    public var fullname: String?
    /// E-mail address, reported by `whoami-v2` when set.
    public var email: String?
    /// Organisations of the user; their repositories count as owned too.
    public var orgs: [String]
    /// Token role: `read`, `write`, `admin` or `fineGrained`.
    public var role: String
    /// Gated repositories this token has been granted (`*` = all).
    public var gatedRepos: [String]
    /// Private repositories this token can see (`*` = all).
    public var privateRepos: [String]

    /// Creates a grant.
    public init(user: String, fullname: String? = nil, email: String? = nil, orgs: [String] = [], role: String = "read",
                gatedRepos: [String] = [], privateRepos: [String] = []) {
        self.user = user; self.fullname = fullname; self.email = email; self.orgs = orgs; self.role = role
        self.gatedRepos = gatedRepos; self.privateRepos = privateRepos
    }

    enum CodingKeys: String, CodingKey { case user, fullname, email, orgs, role, gatedRepos, privateRepos }

    /// Decodes leniently: only `user` is required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        user = try c.decode(String.self, forKey: .user)
        fullname = try c.decodeIfPresent(String.self, forKey: .fullname)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        orgs = try c.decodeIfPresent([String].self, forKey: .orgs) ?? []
        role = try c.decodeIfPresent(String.self, forKey: .role) ?? "read"
        gatedRepos = try c.decodeIfPresent([String].self, forKey: .gatedRepos) ?? []
        privateRepos = try c.decodeIfPresent([String].self, forKey: .privateRepos) ?? []
    }

    /// True when `repo` lives under the user's or one of the orgs' namespaces.
    public func owns(_ repo: String) -> Bool {
        guard let namespace = repo.split(separator: "/").first.map({ $0.lowercased() }), repo.contains("/") else { return false }
        return namespace == user.lowercased() || orgs.contains { $0.lowercased() == namespace }
    }

    /// True when the token may download files of the gated repository `repo`.
    public func mayDownloadGated(_ repo: String) -> Bool {
        owns(repo) || gatedRepos.contains { $0 == "*" || $0.lowercased() == repo.lowercased() }
    }

    /// True when the token may see the private repository `repo`.
    public func maySeePrivate(_ repo: String) -> Bool {
        owns(repo) || privateRepos.contains { $0 == "*" || $0.lowercased() == repo.lowercased() }
    }
}
