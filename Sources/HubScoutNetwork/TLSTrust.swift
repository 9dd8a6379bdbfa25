import Foundation

/// Which certificate authorities TLS connections trust: the system's, or the ones the environment names
/// through the variables curl, OpenSSL and huggingface_hub (requests) read, so one setting serves all of them.
public struct TLSTrust: Sendable, Equatable {
    /// A file or folder of CA certificates, and the variable that named it.
    public struct Location: Sendable, Equatable {
        /// The path, as given.
        public var path: String
        /// The environment variable it came from (nil when set in code).
        public var variable: String?

        public init(path: String, variable: String? = nil) {
            self.path = path
            self.variable = variable
        }
    }

    /// A PEM bundle trusted instead of the system's (`CURLOPT_CAINFO`).
    public var caBundle: Location?
    /// A folder of hashed CA certificates (`CURLOPT_CAPATH`).
    public var caDirectory: Location?

    public init(caBundle: Location? = nil, caDirectory: Location? = nil) {
        self.caBundle = caBundle
        self.caDirectory = caDirectory
    }

    /// The system's certificate authorities.
    public static let system = TLSTrust()

    /// The bundle variables, first set wins: curl's own, OpenSSL's, then the one huggingface_hub's `requests` reads.
    public static let bundleVariables = ["CURL_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"]

    /// The trust the environment asks for: the first non-empty of `bundleVariables`, and `SSL_CERT_DIR`.
    public static func fromEnvironment(_ variables: [String: String] = ProcessInfo.processInfo.environment) -> TLSTrust {
        var trust = TLSTrust()
        for name in bundleVariables {
            if let path = variables[name], !path.isEmpty {
                trust.caBundle = Location(path: path, variable: name)
                break
            }
        }
        if let path = variables["SSL_CERT_DIR"], !path.isEmpty { trust.caDirectory = Location(path: path, variable: "SSL_CERT_DIR") }
        return trust
    }

    /// "SSL_CERT_FILE (/etc/ca.pem)", for messages; nil when the system's authorities are used.
    var summary: String? {
        let parts = [caBundle, caDirectory].compactMap { $0 }.map { "\($0.variable ?? "CA file") (\($0.path))" }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }
}

/// How a request gets its connection.
public enum ConnectionUse: Sendable, Equatable {
    /// The process's pool: connections are reused and, over HTTP/2, shared by parallel requests as streams.
    /// For API calls, headers and small files; the body callback must not block for long.
    case shared
    /// A connection and a thread of its own, over HTTP/1.1: for bulk bytes, where several connections are the
    /// point and one transfer's disk back-pressure must not hold up any other.
    case dedicated
}
