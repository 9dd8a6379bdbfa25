import Dispatch
import Foundation

/// Runs blocking file-system work (directory walks, hashing, sidecar reads) outside Swift's cooperative thread pool,
/// so neither the storage actor nor request handling waits on disk: one slow repository must not stall the others.
///
/// Each job gets its own serial queue. Serial queues draw on GCD's overcommit pool, which adds a thread when the
/// others are busy, so a long hash never queues the quick look at the sidecar behind it (a shared concurrent queue
/// is capped near the core count). The storage coalesces identical jobs, which bounds how many run at once.
///
/// Heavy jobs (walks and hashing) also take one of a few slots of their storage. Without that bound, dozens of
/// scans share the cores at once and all of them finish late, so every client waits for the slowest; with it,
/// they finish in turn. The slots belong to one storage, not to the process: a server hashing a large file must
/// not hold up another server in the same process (tests run dozens at once).
enum BlockingIO {
    /// Slots for heavy work: the core count, at least two (so one long hash never holds the only slot).
    static func heavySlots() -> AsyncSlots { AsyncSlots(max(2, ProcessInfo.processInfo.activeProcessorCount)) }

    /// `work`'s result, computed on a thread of its own; with `slots`, it waits for one first.
    static func run<T: Sendable, E: Error>(slots: AsyncSlots? = nil, _ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        await slots?.acquire()
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "hubscout.server.blocking-io").async {
                continuation.resume(returning: Result { () throws(E) -> T in try work() })
            }
        }
        await slots?.release()
        return try result.get()
    }
}

/// A counting semaphore for async code: `acquire` waits, first come first served, while all slots are taken.
actor AsyncSlots {
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
