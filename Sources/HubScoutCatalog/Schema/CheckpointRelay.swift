import Foundation

/// Passes "a write committed" from the catalog's writes to the background checkpointer of a bulk
/// load in progress, if any. Writes outside a bulk load find none and pay one uncontended lock.
final class CheckpointRelay: @unchecked Sendable {
    private let lock = NSLock()
    private var checkpointer: BackgroundCheckpointer?

    /// Sets (or, with nil, clears) the checkpointer that commits are reported to.
    func attach(_ checkpointer: BackgroundCheckpointer?) {
        lock.withLock { self.checkpointer = checkpointer }
    }

    /// Reports a commit.
    func committed() {
        lock.withLock { checkpointer }?.request()
    }
}
