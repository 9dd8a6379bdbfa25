import Foundation

/// Mutable state shared by both listeners: the file host's base URL once bound, counters, rate-limit windows.
/// A class with a lock because Hummingbird calls responders concurrently; every access is short and non-blocking.
final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    private var fileBaseURL: String?
    private var rejections = 0
    private var windowStart = Date()
    private var windowCounts: [String: Int] = [:]

    /// Records the file host's public base URL.
    func setFileBaseURL(_ url: String) { lock.withLock { fileBaseURL = url } }
    /// The file host's public base URL, once bound.
    var fileBase: String? { lock.withLock { fileBaseURL } }

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
