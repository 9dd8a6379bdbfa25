extension HubErrorResponse {
    /// What a client is told about a storage failure. `StorageError.description` names files on disk for the operator's
    /// log; a response must not reveal the server's filesystem, so these texts name no path.
    init(_ error: StorageError) {
        switch error {
        case .invalidSidecar:
            // Fail closed: without valid access rules no gated or private decision can be made.
            self = .unavailable("The server's access rules (\(ServerSidecar.fileName)) are invalid; requests are refused until the operator fixes them.")
        case .rootUnreadable:
            self = .unavailable("The server's cache directory cannot be read.")
        case .unreadableFile:
            self = .internalError("A cached file cannot be read.")
        case let .missingSnapshot(repo, commit):
            self = .internalError("Commit \(commit) of \(repo) is not stored on this server.")
        }
    }
}
