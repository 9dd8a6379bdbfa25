/// Where a started `HubServer` listens (ports are the bound ones, also when 0 was asked for).
public struct HubServerAddresses: Sendable, Equatable {
    /// Host of the API listener as clients should use it.
    public var apiHost: String
    /// Bound API port.
    public var apiPort: Int
    /// Base URL of the file host as written into redirects.
    public var fileURL: String
    /// Bound file-host port.
    public var filePort: Int

    /// Creates addresses.
    public init(apiHost: String, apiPort: Int, fileURL: String, filePort: Int) {
        self.apiHost = apiHost; self.apiPort = apiPort; self.fileURL = fileURL; self.filePort = filePort
    }

    /// `http://<apiHost>:<apiPort>`, the value for `HF_ENDPOINT`.
    public var apiURL: String {
        let host = apiHost == "0.0.0.0" || apiHost == "::" ? "127.0.0.1" : apiHost
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(apiPort)"
    }
}
