import Foundation

/// Mutable state shared by both listeners: how the file host is advertised once bound, counters, rate-limit windows.
/// A class with a lock because Hummingbird calls responders concurrently; every access is short and non-blocking.
final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    private var fileAdvert: FileHostAdvert?
    private var rejections = 0
    private var windowStart = Date()
    private var windowCounts: [String: Int] = [:]

    /// Records how the file host is advertised, once it listens.
    func setFileHost(_ advert: FileHostAdvert) { lock.withLock { fileAdvert = advert } }
    /// How the file host is advertised in redirects, once bound.
    var fileHost: FileHostAdvert? { lock.withLock { fileAdvert } }

    /// Counts one request the file host refused because it carried `Authorization`.
    func countRejection() { lock.withLock { rejections += 1 } }
    /// How many requests the file host refused for carrying `Authorization`.
    var rejectionCount: Int { lock.withLock { rejections } }

    /// Counts a request in `bucket`'s fixed window; returns (remaining, seconds to reset).
    func consume(bucket: String, quota: Int, window: Int) -> (remaining: Int, reset: Int) {
        lock.withLock {
            let now = Date()
            var elapsed = Int(now.timeIntervalSince(windowStart))
            if elapsed >= window { windowStart = now; windowCounts = [:]; elapsed = 0 }
            let used = (windowCounts[bucket] ?? 0) + 1
            windowCounts[bucket] = used
            return (max(0, quota - used), max(1, window - elapsed))
        }
    }
}
