/// Server-wide rules from the sidecar: repository aliases and access tokens.
public struct ServerPolicy: Sendable, Equatable {
    /// Old id (lower-cased) → canonical id; answered with a relative 307.
    public var aliases: [String: String]
    /// Token → grant. A token not in this map is answered with 401 "Invalid credentials".
    public var tokens: [String: TokenGrant]

    /// Creates a policy; alias keys are lower-cased so lookups ignore case as the Hub does.
    public init(aliases: [String: String] = [:], tokens: [String: TokenGrant] = [:]) {
        self.aliases = Dictionary(aliases.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.tokens = tokens
    }

    /// The canonical id an old id redirects to, if any.
    public func canonicalID(forAlias id: String) -> String? { aliases[id.lowercased()] }
}
