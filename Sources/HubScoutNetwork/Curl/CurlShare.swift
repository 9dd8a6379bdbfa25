import CCurl
import Foundation

/// The process-wide libcurl share: DNS answers and TLS sessions, used by every transfer, so a second
/// connection to a host skips the lookup and resumes the TLS session instead of a full handshake.
///
/// Connections themselves are not shared here (libcurl does not support sharing them across concurrent
/// threads); they are reused through `CurlMultiLoop`, where one multi handle owns them.
enum CurlShare {
    /// The share handle, or nil if libcurl refused it (transfers then simply don't share).
    // libcurl guards the share itself with the lock callbacks below.
    nonisolated(unsafe) static let handle: UnsafeMutableRawPointer? = {
        guard CurlGlobal.initialised, let share = curl_share_init() else { return nil }
        guard ccurl_share_setopt_lockfunc(share, lock) == CURLSHE_OK,
              ccurl_share_setopt_unlockfunc(share, unlock) == CURLSHE_OK,
              ccurl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue)) == CURLSHE_OK else {
            curl_share_cleanup(share)
            return nil
        }
        // A libcurl without session sharing still shares DNS.
        _ = ccurl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        return share
    }()

    /// One lock per kind of shared data, as libcurl asks.
    private static let locks = ShareLocks()

    private static let lock: curl_lock_function = { _, data, _, _ in
        CurlShare.locks.lock(Int(data.rawValue))
    }

    private static let unlock: curl_unlock_function = { _, data, _ in
        CurlShare.locks.unlock(Int(data.rawValue))
    }
}

/// libcurl's one-time global initialisation, shared by easy, multi and share handles.
enum CurlGlobal {
    static let initialised: Bool = { ccurl_global_init() == CURLE_OK }()
}

/// A fixed set of mutexes indexed by `curl_lock_data`.
private final class ShareLocks: @unchecked Sendable {
    private let mutexes: [NSLock] = (0..<Int(CURL_LOCK_DATA_LAST.rawValue) + 1).map { _ in NSLock() }

    func lock(_ index: Int) { if mutexes.indices.contains(index) { mutexes[index].lock() } }
    func unlock(_ index: Int) { if mutexes.indices.contains(index) { mutexes[index].unlock() } }
}
