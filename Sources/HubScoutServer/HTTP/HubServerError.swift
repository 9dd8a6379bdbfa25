/// Why a `HubServer` could not start.
public enum HubServerError: Error, Sendable, CustomStringConvertible {
    /// A listener could not bind (port taken, address not configured on this machine…).
    case bindFailed(host: String, port: Int, reason: String)
    /// `start()` was called on a server that is already running.
    case alreadyRunning
    /// A configured port is outside 0...65535.
    case invalidPort(listener: String, port: Int)
    /// A public URL (`publicURL`, `--public-url`) is not an http(s) base URL clients can use.
    case invalidPublicURL(String, reason: String)

    /// A user-facing sentence.
    public var description: String {
        switch self {
        case let .bindFailed(host, port, reason):
            "Cannot listen on \(host):\(port) (\(reason)); pick another --port, --file-port or --host (port 0 picks a free one)."
        case .alreadyRunning:
            "The server is already running; stop it before starting it again."
        case let .invalidPort(listener, port):
            "The \(listener) port \(port) is not a TCP port; use 0...65535 (0 picks a free one)."
        case let .invalidPublicURL(text, reason):
            "The public URL '\(text)' cannot be used: \(reason) (e.g. http://mirror.example:8080)."
        }
    }
}
