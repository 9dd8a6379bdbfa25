import Dispatch

/// Runs blocking file-system work (directory walks, hashing, sidecar reads) outside Swift's cooperative thread pool,
/// so neither the storage actor nor request handling waits on disk: one slow repository must not stall the others.
///
/// Each job gets its own serial queue. Serial queues draw on GCD's overcommit pool, which adds a thread when the
/// others are busy, so a long hash never queues the quick look at the sidecar behind it (a shared concurrent queue
/// is capped near the core count). The storage coalesces identical jobs, which bounds how many run at once.
enum BlockingIO {
    /// `work`'s result, computed on a thread of its own.
    static func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "hubscout.server.blocking-io").async {
                continuation.resume(returning: Result { () throws(E) -> T in try work() })
            }
        }
        return try result.get()
    }
}
