import Foundation

/// Runs blocking file work (hashing gigabytes, fsync) on a dedicated thread, never on the cooperative
/// pool, which has as many threads as cores: one blocked there stalls unrelated tasks.
package enum BlockingWork {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
