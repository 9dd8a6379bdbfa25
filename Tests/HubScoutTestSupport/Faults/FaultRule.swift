/// One fault: which requests it hits, how many times, and what it does.
public struct FaultRule: Sendable {
    /// How a rule matches the request path (the raw path, without the query).
    public enum PathMatch: Sendable, Equatable {
        /// The whole path equals the string.
        case exact(String)
        /// The path starts with the string.
        case prefix(String)
        /// The path ends with the string.
        case suffix(String)
        /// The path contains the string.
        case contains(String)

        func matches(_ path: String) -> Bool {
            switch self {
            case let .exact(s): path == s
            case let .prefix(s): path.hasPrefix(s)
            case let .suffix(s): path.hasSuffix(s)
            case let .contains(s): path.contains(s)
            }
        }
    }

    /// The request method to match (`GET`, `HEAD`, `POST`); nil matches any.
    public var method: String?
    /// The path to match.
    public var path: PathMatch
    /// How many more requests this rule fires for (`Int.max` = always).
    public var remaining: Int
    /// What happens.
    public var action: FaultAction

    /// Creates a rule.
    public init(method: String? = nil, path: PathMatch, times: Int = 1, action: FaultAction) {
        self.method = method?.uppercased(); self.path = path; self.remaining = times; self.action = action
    }
}

/// What a fault does to a matching request.
public enum FaultAction: Sendable {
    /// Answer at once with `status`, `headers` and `body`; the server never sees the request.
    case respond(status: Int, headers: [String: String] = [:], body: String = "")
    /// 429 with `RateLimit: "<bucket>";r=0;t=<seconds>` and `Retry-After: <seconds>`.
    case rateLimited(bucket: String = "api", seconds: Int = 1)
    /// Send the headers and the first `bytes` bytes of the body, then close the connection.
    case cutBody(afterBytes: Int64)
    /// Drop the request's `Range` header, so the server answers 200 with the whole body.
    case ignoreRange
    /// Pause `seconds` after `bytes` bytes of the body, then go on.
    case stall(afterBytes: Int64, seconds: Double)
    /// Set a response header (e.g. lie in `X-Linked-Size`).
    case setHeader(name: String, value: String)
    /// Flip every bit of the body byte at `offset` (counted from the first byte sent).
    case corruptByte(at: Int64)
}
