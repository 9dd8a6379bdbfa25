import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free space on the filesystem that holds a path, from `statvfs`.
public enum DiskSpace {
    /// Bytes available to an unprivileged writer at `path` (its nearest existing ancestor), nil if unknown.
    public static func available(at path: String) -> Int64? {
        var probe = path
        while !probe.isEmpty, !FileManager.default.fileExists(atPath: probe) {
            let parent = (probe as NSString).deletingLastPathComponent
            if parent == probe { break }
            probe = parent
        }
        var stats = statvfs()
        guard statvfs(probe.isEmpty ? "/" : probe, &stats) == 0 else { return nil }
        let (bytes, overflow) = Int64(stats.f_bavail).multipliedReportingOverflow(by: Int64(stats.f_frsize))
        return overflow ? Int64.max : bytes
    }
}
