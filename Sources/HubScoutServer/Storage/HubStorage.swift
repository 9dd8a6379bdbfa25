import HubScoutCore

/// Where a `HubServer` reads repositories, commits, files and access rules from.
///
/// Implementations must be safe to call concurrently and must only hand out `StoredFile.diskPath`
/// values that lie inside their own root and hold that repository's own content: the server streams those paths
/// as they are, after checking access against the repository asked for (so a file borrowed from a gated
/// repository would bypass its gating).
public protocol HubStorage: Sendable {
    /// Every repository the storage holds, with its refs, commits and sidecar facts.
    func repositories() async throws(StorageError) -> [StoredRepository]
    /// The files, card data and config summary of one commit of `repository`.
    func snapshot(of repository: StoredRepository, commit: String) async throws(StorageError) -> RepoSnapshot
    /// Server-wide rules: repository aliases and access tokens.
    func policy() async throws(StorageError) -> ServerPolicy
}
