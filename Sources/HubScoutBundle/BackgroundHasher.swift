import Foundation
import HubScoutCache
import HubScoutCore

/// A `BlobDigest` computed on a thread of its own, so hashing overlaps the reads and writes of the
/// thread that feeds it (two cores: one hashes while the other copies). Bytes are copied into one of a
/// few fixed slots (4 × 1 MiB) and hashed from there; memory stays flat whatever the size.
///
/// One thread per hasher, reused from file to file: `start`, `update`…, `finish`, and `stop` at the end.
/// `@unchecked Sendable`: the queue and the slots are handed over under `condition`; a slot is written
/// only while free and read only while queued.
final class BackgroundHasher: @unchecked Sendable {
    private enum Job {
        case start(BlobID.Kind, Int64)
        case data(slot: Int, count: Int)
        case finish
        case stop
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var freeSlots: [Int]
    private var result: String?
    private var stopped = false
    private let slots: [UnsafeMutableRawBufferPointer]

    init(slotCount: Int = 4, slotSize: Int = 1 << 20) {
        slots = (0..<slotCount).map { _ in .allocate(byteCount: slotSize, alignment: 64) }
        freeSlots = Array(0..<slotCount)
        let thread = Thread { [self] in work() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        stop()
        for slot in slots { slot.deallocate() }
    }

    /// Begins a new digest.
    func start(kind: BlobID.Kind, size: Int64) { enqueue(.start(kind, size)) }

    /// Hands `bytes` over (copied; the caller may reuse its buffer at once).
    func update(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            condition.lock()
            while freeSlots.isEmpty { condition.wait() }
            let slot = freeSlots.removeLast()
            condition.unlock()
            let count = min(slots[slot].count, bytes.count - offset)
            slots[slot].baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            enqueue(.data(slot: slot, count: count))
            offset += count
        }
    }

    /// The digest of everything handed over since `start`, once the thread has hashed it.
    func finish() -> String {
        enqueue(.finish)
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        let value = result!
        result = nil
        return value
    }

    /// Ends the thread (waits for it); idempotent.
    func stop() {
        condition.lock()
        if stopped {
            condition.unlock()
            return
        }
        jobs.append(.stop)
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func enqueue(_ job: Job) {
        condition.lock()
        jobs.append(job)
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        var digest = BlobDigest(kind: .sha256, size: 0)
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            switch job {
            case let .start(kind, size):
                digest = BlobDigest(kind: kind, size: size)
            case let .data(slot, count):
                digest.update(UnsafeRawBufferPointer(rebasing: slots[slot][0..<count]))
                condition.lock()
                freeSlots.append(slot)
                condition.broadcast()
                condition.unlock()
            case .finish:
                let value = digest.finalize()
                condition.lock()
                result = value
                condition.broadcast()
                condition.unlock()
            case .stop:
                condition.lock()
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }
}
