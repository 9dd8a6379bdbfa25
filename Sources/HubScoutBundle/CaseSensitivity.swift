import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a folder's filesystem tells `a` from `A` (ext4 does; APFS and NTFS by default do not).
enum CaseSensitivity {
    /// True when names in `folder` that differ only in case name one file. Probes with a temporary file;
    /// false when the probe cannot be made.
    static func isCaseInsensitive(at folder: String) -> Bool {
        let name = ".hubscout-case-probe-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let lower = folder + "/" + name
        let fd = open(lower, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        close(fd)
        defer { unlink(lower) }
        var info = stat()
        return lstat(folder + "/" + name.uppercased(), &info) == 0
    }
}
