/// A request as the server received it, for tests to assert on (e.g. that no token reached the file host).
public struct RecordedRequest: Sendable, Equatable {
    /// `GET`, `HEAD`, `POST`…
    public var method: String
    /// The raw path, without the query.
    public var path: String
    /// The raw query string, if any.
    public var query: String?
    /// The `Host` header (tells the API host from the file host).
    public var host: String?
    /// The `Range` header, if any.
    public var range: String?
    /// The `Authorization` header, if any.
    public var authorization: String?
    /// All headers as (name, value), in order.
    public var headers: [HeaderPair]

    /// True when an `Authorization` header was sent.
    public var hasAuthorization: Bool { authorization != nil }

    /// One header line.
    public struct HeaderPair: Sendable, Equatable {
        /// Header name as sent.
        public var name: String
        /// Header value.
        public var value: String
    }
}
