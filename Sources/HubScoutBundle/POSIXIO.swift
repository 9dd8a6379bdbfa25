#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few system calls the bundle code makes on raw descriptors, named apart from the methods that use them.
enum POSIXIO {
    /// `write(2)`.
    @inline(__always)
    static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
        #else
        Darwin.write(fd, buffer, count)
        #endif
    }

    /// `read(2)`, retried on EINTR; -1 with errno set on failure.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            #else
            let count = Darwin.read(fd, buffer.baseAddress, buffer.count)
            #endif
            if count < 0, errno == EINTR { continue }
            return count
        }
    }

    /// Writes all of `bytes`; false with errno set on failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    /// True when every byte is zero (a hole can stand in for it). Compared with `memcmp` against a zero
    /// block, which is fast in any build.
    static func isAllZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let length = min(zeroBlockSize, bytes.count - offset)
            if memcmp(base + offset, zeroBlock, length) != 0 { return false }
            offset += length
        }
        return true
    }

    private static let zeroBlockSize = 64 << 10
    /// 64 KiB of zeros, never written (a pointer constant: nothing shared is mutated).
    private nonisolated(unsafe) static let zeroBlock: UnsafeRawPointer = UnsafeRawPointer(calloc(zeroBlockSize, 1)!)

    /// The current `errno` as text.
    static var errorText: String { String(cString: strerror(errno)) }
}
