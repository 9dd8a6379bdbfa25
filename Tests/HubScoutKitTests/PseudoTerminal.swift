import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pseudo-terminal for a child process: the child gets the slave side as stdin/stdout/stderr, as a shell
/// would give it a terminal; the test reads what it shows and types at the master side.
final class PseudoTerminal: @unchecked Sendable {
    struct OpenFailed: Error, CustomStringConvertible {
        var code: Int32
        var description: String { "no pseudo-terminal: errno \(code)" }
    }

    /// The test's side.
    let master: Int32
    /// The child's side; -1 once `closeSlave()` ran.
    private(set) var slave: Int32

    /// A terminal `columns` wide and `rows` high.
    init(columns: Int, rows: Int = 50) throws {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        var master: Int32 = -1, slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw OpenFailed(code: errno) }
        // Only the child gets the slave; the master must not leak into it.
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        self.master = master
        self.slave = slave
    }

    deinit {
        close(master)
        closeSlave()
    }

    /// The slave side as a handle for `Process` (the handle does not close it).
    var slaveHandle: FileHandle { FileHandle(fileDescriptor: slave, closeOnDealloc: false) }

    /// Closes the test's copy of the slave once the child holds its own, so reading the master ends when the
    /// child exits.
    func closeSlave() {
        if slave >= 0 { close(slave); slave = -1 }
    }

    /// Types `text` at the terminal; the terminal keeps it until the child reads.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }
}
