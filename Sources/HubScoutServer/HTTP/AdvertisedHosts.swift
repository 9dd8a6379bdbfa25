import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where redirects send clients for LFS files: a fixed base URL, or the host name each client used for the API with
/// the file host's port (a file host bound to every interface has no one name all clients can reach).
enum FileHostAdvert: Sendable, Equatable {
    /// `http://files.example:9000`, the same for every request.
    case fixed(String)
    /// `http://<the request's Host name>:<port>`.
    case requestHost(port: Int)

    /// The file host's base URL for a request that reached the API as `requestHost` (nil when it sent no `Host`).
    func base(requestHost: String?) -> String {
        switch self {
        case let .fixed(url): url
        case let .requestHost(port): "http://\(requestHost ?? AdvertisedHosts.bracketed(AdvertisedHosts.machineName())):\(port)"
        }
    }
}

/// Naming the listeners for clients: bind addresses such as `0.0.0.0` are not addresses anyone can connect to.
public enum AdvertisedHosts {
    /// True for an address that binds every interface (`0.0.0.0`, `::`), which no client can connect to by that name.
    public static func isWildcard(_ host: String) -> Bool {
        ["0.0.0.0", "::", "[::]", "", "*", "0:0:0:0:0:0:0:0"].contains(host.lowercased())
    }

    /// True for an address only this machine can reach (`127.x.x.x`, `::1`, `localhost`).
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered.hasPrefix("127.") || lowered == "::1" || lowered == "[::1]" || lowered == "localhost"
    }

    /// This machine's host name (`gethostname`), which other machines on a LAN often resolve; `localhost` if unset.
    public static func machineName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// An IPv6 literal in brackets, for a URL's authority; other hosts as they are.
    public static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// The host part of a `Host` header value (`name:8080` → `name`, `[::1]:8080` → `[::1]`); nil when empty.
    static func hostName(ofAuthority authority: String) -> String? {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        let host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }

    /// Checks a public base URL (`--public-url`) and returns it as `scheme://host[:port]`: http or https, a host, no
    /// credentials, path, query or fragment (clients append `/api/…` to it, and the file host is derived from its host).
    public static func publicBaseURL(_ text: String) throws(HubServerError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw .invalidPublicURL(text, reason: "it is not a URL")
        }
        guard scheme == "http" || scheme == "https" else { throw .invalidPublicURL(text, reason: "it must start with http:// or https://") }
        guard let host = components.host, !host.isEmpty else { throw .invalidPublicURL(text, reason: "it names no host") }
        guard !isWildcard(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) else {
            throw .invalidPublicURL(text, reason: "\(host) is a bind address, not one clients can connect to; use this machine's name or IP address")
        }
        guard components.user == nil, components.password == nil else { throw .invalidPublicURL(text, reason: "it must not hold a user or password") }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw .invalidPublicURL(text, reason: "it must be only scheme://host[:port], without a path, query or fragment")
        }
        if let port = components.port, !(1...65535).contains(port) { throw .invalidPublicURL(text, reason: "port \(port) is not a TCP port") }
        return "\(scheme)://\(bracketed(host.lowercased()))\(components.port.map { ":\($0)" } ?? "")"
    }
}
