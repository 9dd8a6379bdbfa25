import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where output goes: results to stdout, diagnostics and progress to stderr.
enum Terminal {
    /// Writes a line to stdout.
    static func print(_ text: String) { writeOut(Data((text + "\n").utf8)) }

    /// Writes `error: …` to stderr.
    static func error(_ text: String) { writeErr(Data(("error: " + text + "\n").utf8)) }

    /// Writes a note to stderr.
    static func note(_ text: String) { writeErr(Data((text + "\n").utf8)) }

    /// Writes bytes to stdout; a failure (full disk, closed file) is remembered so the command can
    /// exit non-zero instead of claiming a result it could not deliver.
    static func writeOut(_ data: Data) {
        if !write(data, to: STDOUT_FILENO) { stdoutState.set() }
    }

    /// Writes bytes to stderr. A diagnostic that cannot be written is dropped: it must never crash
    /// the command (FileHandle traps on a full disk).
    static func writeErr(_ data: Data) { _ = write(data, to: STDERR_FILENO) }

    /// True once a write to stdout failed.
    static var stdoutFailed: Bool { stdoutState.isSet }
    private static let stdoutState = Flag()

    /// A flag set from any thread (`Mutex` needs macOS 15; this builds for macOS 14 too).
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    /// `write(2)` until done; false on an error other than EINTR.
    private static func write(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let count = Glibc_or_Darwin_write(fd, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
    }

    /// True when stderr is a terminal (progress bars go there).
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
}

#if canImport(Glibc)
private let Glibc_or_Darwin_write = Glibc.write
#elseif canImport(Darwin)
private let Glibc_or_Darwin_write = Darwin.write
#endif
