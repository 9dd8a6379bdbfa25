import Foundation
import HubScoutKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where output goes: results to stdout, diagnostics and progress to stderr.
///
/// On a terminal, notes and errors are wrapped at word boundaries to its width and tables are fitted to it
/// (`Table`); anything that is not a terminal (a pipe, a file) gets every line whole.
enum Terminal {
    /// Writes a line to stdout.
    static func print(_ text: String) { writeOut(Data((text + "\n").utf8)) }

    /// Writes `Error: …` to stderr. Capitalised like ArgumentParser's own messages (every usage and validation
    /// error, which we cannot reword), so a user sees one spelling whichever layer refused.
    static func error(_ text: String) { writeErr(Data((wrapForStderr("Error: " + text) + "\n").utf8)) }

    /// Writes a note to stderr; nothing with `-q`.
    static func note(_ text: String) {
        guard !settings.quiet else { return }
        writeErr(Data((wrapForStderr(text) + "\n").utf8))
    }

    /// Writes a progress line to stderr; nothing with `-q` or `HF_HUB_DISABLE_PROGRESS_BARS`.
    static func progress(_ text: String) {
        guard settings.progressEnabled else { return }
        note(text)
    }

    /// Prints a table fitted to stdout's width (unless `--no-truncate` or stdout is not a terminal), and says on
    /// stderr which columns were left out to make it fit.
    static func print(_ table: Table) {
        let width = tableWidth
        let layout = table.layout(width: width)
        print(table.render(layout))
        if let width, !layout.hidden.isEmpty {
            let names = layout.hidden.map { table.headers[$0] }.joined(separator: ", ")
            note("(\(names) left out to fit \(width) columns; --no-truncate shows every column)")
        }
    }

    // MARK: - Settings

    /// What this run's options and environment ask of the output.
    struct Settings: Sendable {
        /// `-q`: results and errors only.
        var quiet = false
        /// `--no-truncate`: tables keep every cell whole even on a terminal.
        var noTruncate = false
        /// `HF_HUB_DISABLE_PROGRESS_BARS` (huggingface_hub's switch): no progress display.
        var progressBarsDisabled = HubEnvironment.isTrue(ProcessInfo.processInfo.environment["HF_HUB_DISABLE_PROGRESS_BARS"])
        /// True when progress lines may be shown at all.
        var progressEnabled: Bool { !quiet && !progressBarsDisabled }
    }

    /// This run's settings (set once from `OutputOptions`, before the command runs).
    static var settings: Settings {
        get { settingsBox.value }
        set { settingsBox.value = newValue }
    }
    private static let settingsBox = Locked(Settings())

    // MARK: - Width

    /// The width tables on stdout are fitted to: nil (whole rows) when stdout is not a terminal or with `--no-truncate`.
    static var tableWidth: Int? { settings.noTruncate ? nil : columns(of: STDOUT_FILENO) }

    /// stderr's width, or nil when it is not a terminal (then nothing is wrapped or cut).
    static var stderrWidth: Int? { columns(of: STDERR_FILENO) }

    /// The width of the terminal on `fd`: the kernel's window size (TIOCGWINSZ), else `$COLUMNS`, else 80; nil
    /// when `fd` is not a terminal. Asked each time, so a resized window is honoured by the next line.
    static func columns(of fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        guard isatty(fd) == 1 else { return nil }
        var size = winsize()
        // The window size is the truth; COLUMNS is rarely exported by shells, so it is only a fallback.
        if withUnsafeMutablePointer(to: &size, { ioctl(fd, UInt(TIOCGWINSZ), $0) }) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let text = environment["COLUMNS"], let value = Int(text), value > 0 { return value }
        return 80
    }

    /// True when progress may redraw itself with cursor escapes: stderr is a terminal that is not `TERM=dumb`.
    static var stderrSupportsCursor: Bool {
        stderrIsTTY && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// `text` wrapped to stderr's width when stderr is a terminal; unchanged otherwise.
    static func wrapForStderr(_ text: String) -> String {
        guard let width = stderrWidth else { return text }
        return wrap(text, width: width)
    }

    /// Wraps each line of `text` at spaces so that no line is wider than `width`; continuation lines keep the
    /// line's indentation plus two spaces. A single word wider than the line (a URL, a path) stays whole on a line
    /// of its own, so it can still be copied.
    static func wrap(_ text: String, width: Int) -> String {
        guard width > 8 else { return text }
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.count > width else { out.append(String(line)); continue }
            let indent = String(line.prefix { $0 == " " })
            var current = indent
            for word in line.split(separator: " ") {
                if current.count == indent.count {
                    current += word
                } else if current.count + 1 + word.count <= width {
                    current += " " + word
                } else {
                    out.append(current)
                    current = indent + "  " + word
                }
            }
            out.append(current)
        }
        return out.joined(separator: "\n")
    }

    // MARK: - Writing

    /// Writes bytes to stdout; a failure (full disk, closed file) is remembered so the command can
    /// exit non-zero instead of claiming a result it could not deliver.
    static func writeOut(_ data: Data) {
        if !write(data, to: STDOUT_FILENO) { stdoutState.value = true }
    }

    /// Writes bytes to stderr. A diagnostic that cannot be written is dropped: it must never crash
    /// the command (FileHandle traps on a full disk).
    static func writeErr(_ data: Data) { _ = write(data, to: STDERR_FILENO) }

    /// True once a write to stdout failed.
    static var stdoutFailed: Bool { stdoutState.value }
    private static let stdoutState = Locked(false)

    /// A value read and written from any thread (`Mutex` needs macOS 15; this builds for macOS 14 too).
    private final class Locked<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
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
