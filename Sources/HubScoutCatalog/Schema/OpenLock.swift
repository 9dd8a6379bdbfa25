import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `<catalog>.lock`, held while a process brings the schema up to date.
///
/// GRDB's migrator reads which migrations are applied once, then runs each in its own transaction;
/// two processes opening a new catalog at once would both run the same migration (seen as "index
/// already exists" with three `hubscout` processes on a loaded machine). The lock makes opening one
/// process at a time; SQLite's own locks still govern everything after. A separate file, because
/// SQLite's POSIX locks on the database file must not be disturbed.
struct OpenLock {
    private let fd: Int32

    /// Waits for the lock; nil when the lock file cannot be created (a read-only folder), in which case
    /// nobody else can be creating the schema there either.
    init?(catalogPath: String) {
        let fd = open(catalogPath + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { close(fd); return nil }
        }
        self.fd = fd
    }

    /// Releases the lock.
    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
