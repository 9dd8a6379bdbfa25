import Foundation

/// Runs blocking work (writing fixture files, waiting on a child process) on a thread of its own.
///
/// Test servers answer from Swift's cooperative pool, which has one thread per core: two tests that
/// block it at once (a fixture population is a few seconds of file writing on a busy 2-core machine)
/// would leave every other test's server silent past the client's stall timeout.
public enum OffPool {
    /// `work`'s result, computed on a new thread.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }
}
