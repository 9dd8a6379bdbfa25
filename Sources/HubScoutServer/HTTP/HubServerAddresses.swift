/// Where a started `HubServer` listens (ports are the bound ones, also when 0 was asked for), and what clients should use.
public struct HubServerAddresses: Sendable, Equatable {
    /// The API listener's bind address (`127.0.0.1`, or `0.0.0.0` for every interface).
    public var apiHost: String
    /// Bound API port.
    public var apiPort: Int
    /// Base URL of the file host as written into redirects. When `fileHostFollowsRequest`, redirects name the host each
    /// client used for the API, and this shows it with this machine's name.
    public var fileURL: String
    /// Bound file-host port.
    public var filePort: Int
    /// The configured public base URL of the API (`HubServerConfiguration.publicURL`, normalized), if any.
    public var publicURL: String?
    /// The file listener's bind address.
    public var fileHost: String
    /// True when the file host binds every interface with no public name: each redirect names the host its client
    /// reached the API by, with `filePort`.
    public var fileHostFollowsRequest: Bool

    /// Creates addresses.
    public init(apiHost: String, apiPort: Int, fileURL: String, filePort: Int, publicURL: String? = nil,
                fileHost: String? = nil, fileHostFollowsRequest: Bool = false) {
        self.apiHost = apiHost; self.apiPort = apiPort; self.fileURL = fileURL; self.filePort = filePort
        self.publicURL = publicURL; self.fileHost = fileHost ?? apiHost; self.fileHostFollowsRequest = fileHostFollowsRequest
    }

    /// `http://<apiHost>:<apiPort>`, the value for `HF_ENDPOINT` on this machine (a wildcard bind reads as `127.0.0.1`).
    public var apiURL: String {
        let host = AdvertisedHosts.isWildcard(apiHost) ? "127.0.0.1" : apiHost
        return "http://\(AdvertisedHosts.bracketed(host)):\(apiPort)"
    }

    /// True when other machines may reach the API: it binds every interface or a non-loopback address.
    public var servesOtherMachines: Bool { !AdvertisedHosts.isLoopback(apiHost) }

    /// What clients on other machines set `HF_ENDPOINT` to: the public URL; else, for a wildcard bind, this machine's
    /// host name with the API port (a guess: the name may not resolve everywhere); else the bind address's URL.
    public var clientURL: String {
        if let publicURL { return publicURL }
        if AdvertisedHosts.isWildcard(apiHost) { return "http://\(AdvertisedHosts.bracketed(AdvertisedHosts.machineName())):\(apiPort)" }
        return apiURL
    }
}
