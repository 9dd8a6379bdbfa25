import Foundation

/// Moves disk writes and hashing off a transfer thread: the transfer thread fills buffers and hands them
/// over; one writer thread writes (and hashes) them in order. Receiving and hashing then run on two cores
/// at once, and memory stays at `depth` buffers per range.
/// `@unchecked Sendable`: every field is guarded by `condition`, buffers are owned by exactly one side at a time.
final class WriteBehind: @unchecked Sendable {
    private struct Job {
        var buffer: UnsafeMutableRawBufferPointer
        var count: Int
        var offset: Int64
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var free: [UnsafeMutableRawBufferPointer]
    private var all: [UnsafeMutableRawBufferPointer]
    private var busy = false
    private var closed = false
    private var exited = false
    private var failure: (any Error)?
    private let write: (UnsafeRawBufferPointer, Int64) throws -> Void

    /// Starts the writer thread with `depth` buffers of `bufferSize` bytes; `write` runs on that thread.
    init(depth: Int, bufferSize: Int, write: @escaping (UnsafeRawBufferPointer, Int64) throws -> Void) {
        all = (0..<max(2, depth)).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64) }
        free = all
        self.write = write
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        close()
        for buffer in all { buffer.deallocate() }
    }

    /// The first write error, if any (the transfer should stop).
    var error: (any Error)? { condition.withLock { failure } }

    /// A free buffer; waits while all are queued (back-pressure on the transfer).
    func take() -> UnsafeMutableRawBufferPointer {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty { condition.wait() }
        return free.removeLast()
    }

    /// Queues `count` bytes of `buffer` for `offset`; the buffer returns to the pool once written.
    func submit(_ buffer: UnsafeMutableRawBufferPointer, count: Int, offset: Int64) {
        condition.withLock {
            jobs.append(Job(buffer: buffer, count: count, offset: offset))
            condition.broadcast()
        }
    }

    /// Gives back a buffer that was taken but not submitted.
    func giveBack(_ buffer: UnsafeMutableRawBufferPointer) {
        condition.withLock {
            free.append(buffer)
            condition.broadcast()
        }
    }

    /// Waits until everything queued is written; rethrows the first write error.
    func drain() throws {
        condition.lock()
        while !jobs.isEmpty || busy { condition.wait() }
        let failure = failure
        condition.unlock()
        if let failure { throw failure }
    }

    /// Stops the writer thread after the queue is empty and waits for it to exit.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !closed { condition.wait() }
            if jobs.isEmpty {
                exited = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            busy = true
            let skip = failure != nil
            condition.unlock()
            var caught: (any Error)?
            if !skip {
                do { try write(UnsafeRawBufferPointer(rebasing: job.buffer[0..<job.count]), job.offset) } catch { caught = error }
            }
            condition.lock()
            if let caught, failure == nil { failure = caught }
            busy = false
            free.append(job.buffer)
            condition.broadcast()
            condition.unlock()
        }
    }
}
