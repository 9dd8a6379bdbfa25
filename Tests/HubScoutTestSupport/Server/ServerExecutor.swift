import Foundation

/// Threads of their own on which test servers answer requests.
///
/// Swift's cooperative pool has one thread per core. A test that keeps a thread of it busy with CPU work
/// (a fuzz loop, hashing gigabytes, a bulk insert) is legitimate, but two at once on a 2-core machine left
/// every in-process server silent past the clients' stall timeouts. Servers started on this executor (a task
/// executor preference, inherited by every connection's child task and by default actors) keep answering
/// whatever the pool is doing.
public final class ServerExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor every `TestHubServer` runs on.
    public static let shared = ServerExecutor(threads: 4)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0

    /// Starts `threads` threads that live as long as the process.
    public init(threads: Int) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in work() }
            thread.name = "test-server-\(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            // Drop what has run now and then, so the queue doesn't grow with the jobs ever run.
            if head > 4096, head * 2 > jobs.count { jobs.removeFirst(head); head = 0 }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
