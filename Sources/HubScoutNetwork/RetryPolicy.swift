import Foundation

/// When and how long to wait before retrying: connection errors, 408, 429 and 5xx,
/// exponential backoff with jitter, `Retry-After` and the `RateLimit` header honoured.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// First backoff in seconds; doubled each retry.
    public var baseDelay: Double
    /// Largest backoff in seconds.
    public var maxDelay: Double
    /// Longest server-requested wait we accept; a longer one is returned to the caller as rate limited.
    public var maxRetryAfter: Double

    public init(maxRetries: Int = 5, baseDelay: Double = 1, maxDelay: Double = 8, maxRetryAfter: Double = 60) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Five retries waiting about 1, 2, 4, 8, 8 s (as huggingface_hub).
    public static let `default` = RetryPolicy()
    /// Never retry.
    public static let none = RetryPolicy(maxRetries: 0)

    /// Statuses worth retrying.
    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// Backoff before retry number `attempt` (0-based), with ±25 % jitter so clients don't retry in lockstep.
    public func backoff(attempt: Int) -> Double {
        let exponential = min(maxDelay, baseDelay * pow(2, Double(min(attempt, 30))))
        return exponential * Double.random(in: 0.75...1.25)
    }

    /// The wait a 429/503 asks for: `RateLimit` `t`+1 when `r=0`, else `Retry-After` seconds; nil when neither says.
    public static func serverRequestedDelay(_ headers: HTTPHeaders) -> Double? {
        if let rateLimit = headers["RateLimit"], let parsed = RateLimitHeader(rateLimit), parsed.remaining == 0 {
            return Double(parsed.resetSeconds + 1)
        }
        if let retryAfter = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces), let seconds = Double(retryAfter), seconds >= 0 {
            return seconds
        }
        return nil
    }
}

/// The IETF draft `RateLimit` header the Hub sends: `"api";r=<remaining>;t=<seconds to reset>`.
public struct RateLimitHeader: Sendable, Equatable {
    /// The bucket (`api`, `resolvers`, `pages`).
    public var bucket: String
    public var remaining: Int
    public var resetSeconds: Int

    /// Parses the header; nil when it lacks `r` or `t`.
    public init?(_ text: String) {
        var bucket = ""
        var remaining: Int?
        var reset: Int?
        for part in text.split(separator: ";") {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.hasPrefix("\"") { bucket = item.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            else if item.hasPrefix("r=") { remaining = Int(item.dropFirst(2)) }
            else if item.hasPrefix("t=") { reset = Int(item.dropFirst(2)) }
        }
        guard let remaining, let reset, remaining >= 0, reset >= 0 else { return nil }
        self.bucket = bucket
        self.remaining = remaining
        self.resetSeconds = reset
    }
}
