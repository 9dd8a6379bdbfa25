import CCurl
import Foundation

/// One libcurl multi handle driven by one thread, shared by the whole process.
///
/// Every transfer that does not ask for a connection of its own runs here, so the multi handle's
/// connection pool serves them all: a request to a host already connected costs one round trip instead
/// of a TCP and a TLS handshake, and parallel requests to one HTTP/2 server share one connection as
/// streams. Callbacks of these transfers run on this thread, so they must not block for long.
final class CurlMultiLoop: @unchecked Sendable {
    /// The loop, or nil if libcurl cannot make a multi handle (transfers then run on threads of their own).
    static let shared: CurlMultiLoop? = CurlMultiLoop()

    /// A transfer handed to the loop: its easy handle, who to ask about cancellation, and what to call when done.
    private struct Job {
        let easy: UnsafeMutableRawPointer
        let isCancelled: @Sendable () -> Bool
        let done: @Sendable (CURLcode) -> Void
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    /// Jobs waiting to be added; guarded by `lock`.
    private var incoming: [Job] = []
    /// Jobs in the multi handle; touched only by the loop thread.
    private var active: [UnsafeMutableRawPointer: Job] = [:]

    private init?() {
        guard CurlGlobal.initialised, let multi = curl_multi_init() else { return nil }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        // Idle connections kept for reuse (libcurl's default is four times the handles in use, which drops to nothing
        // between an app's waves of requests); idle sockets are cheap.
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 256)
        let thread = Thread { [self] in self.loop() }
        thread.name = "hubscout.curl-multi"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `easy` in the loop; `done` is called on the loop thread with libcurl's result, after the handle
    /// has left the multi handle (so the caller may read its info and clean it up).
    func add(_ easy: UnsafeMutableRawPointer, isCancelled: @escaping @Sendable () -> Bool, done: @escaping @Sendable (CURLcode) -> Void) {
        lock.withLock { incoming.append(Job(easy: easy, isCancelled: isCancelled, done: done)) }
        curl_multi_wakeup(multi)
    }

    /// Wakes the loop so it notices a cancellation at once, even on an idle transfer.
    func wake() { curl_multi_wakeup(multi) }

    private func loop() {
        while true {
            let new = lock.withLock { () -> [Job] in
                defer { incoming.removeAll() }
                return incoming
            }
            for job in new {
                if curl_multi_add_handle(multi, job.easy) == CURLM_OK {
                    active[job.easy] = job
                } else {
                    job.done(CURLE_FAILED_INIT)
                }
            }
            for (easy, job) in active where job.isCancelled() {
                curl_multi_remove_handle(multi, easy)
                active[easy] = nil
                job.done(CURLE_ABORTED_BY_CALLBACK)
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = ccurl_msg_result(message)
                curl_multi_remove_handle(multi, easy)
                if let job = active.removeValue(forKey: easy) { job.done(code) }
            }
            var ready: Int32 = 0
            // Wakes for socket activity, libcurl's own timers (which poll honours), a new job or a cancellation.
            _ = curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }
}
