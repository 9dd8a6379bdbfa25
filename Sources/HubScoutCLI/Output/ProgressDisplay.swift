import Foundation
import HubScoutKit

/// Renders download events: a redrawn multi-line display on a terminal (at most 10 times a second, each line cut
/// to the terminal's width, asked before every redraw), plain periodic lines otherwise (also on a `TERM=dumb`
/// terminal), JSON lines on stdout with `--json`, or only notices (`silent`: `-q`, `HF_HUB_DISABLE_PROGRESS_BARS`).
/// Progress and notices go to stderr in the human modes so stdout stays clean for results.
/// `@unchecked Sendable`: events arrive from transfer threads; all state is guarded by `lock`.
final class ProgressDisplay: @unchecked Sendable {
    enum Mode { case terminal, plain, json, silent }

    private let mode: Mode
    private let lock = NSLock()
    private var lastDraw = 0.0
    private var drawnLines = 0
    private var latest: DownloadProgress?
    private var lastPlainLine: String?
    private let plainInterval: Double

    init(mode: Mode, plainInterval: Double = 5) {
        self.mode = mode
        self.plainInterval = plainInterval
    }

    /// Handles one event (any thread).
    func handle(_ event: DownloadEvent) {
        lock.withLock {
            switch mode {
            case .json: json(event)
            case .terminal, .plain: human(event)
            case .silent:
                // Notices are warnings about the download, not progress: only -q hides them (Terminal.note).
                if case let .notice(path, message) = event { Terminal.note(Self.noticeLine(path, message)) }
            }
        }
    }

    /// Clears the live display (before the final report or an error).
    func finish() {
        lock.withLock {
            if mode == .terminal { clear() }
            if mode == .plain, let latest, latest.totalBytes > 0, plainLine(latest) != lastPlainLine { writeLine(plainLine(latest)) }
        }
    }

    // MARK: - Human

    private func human(_ event: DownloadEvent) {
        let now = ProcessInfo.processInfo.systemUptime
        switch event {
        case let .planned(plan):
            let fetch = plan.bytesToFetch
            say("\(plan.repo) @ \(plan.revision) (\(plan.commit.value.prefix(12))): \(Plural.count(plan.files.count, "file")), \(ProgressFormat.bytes(fetch)) to fetch, \(ProgressFormat.bytes(plan.bytesPresent)) already present")
        case let .fileStarted(path, size, resumedFrom, connections):
            if mode == .plain || resumedFrom > 0 || connections > 1 {
                var details = " (\(ProgressFormat.bytes(size))"
                if connections > 1 { details += ", \(connections) connections" }
                if resumedFrom > 0 { details += ", resuming at \(ProgressFormat.bytes(resumedFrom))" }
                say(Self.fileLine("fetching ", path, details + ")"))
            }
        case let .progress(progress):
            latest = progress
            if mode == .terminal, now - lastDraw >= 0.1 {
                lastDraw = now
                draw(progress)
            } else if mode == .plain, progress.totalBytes > 0, now - lastDraw >= plainInterval {
                lastDraw = now
                let line = plainLine(progress)
                lastPlainLine = line
                writeLine(line)
            }
        case let .fileFinished(file):
            let check = file.verified ? "verified" : file.status == .downloaded ? "size checked" : file.status.rawValue
            say(Self.fileLine("✓ ", file.path, " (\(ProgressFormat.bytes(file.size)), \(check))"))
        case let .notice(path, message):
            say(Self.noticeLine(path, message))
        }
    }

    /// A line about one file; on a terminal its path is shortened (the end kept) so the line fits the width.
    private static func fileLine(_ head: String, _ path: String, _ tail: String) -> String {
        guard let width = Terminal.stderrWidth else { return head + path + tail }
        return head + ProgressFormat.shorten(path, to: max(8, width - 1 - head.count - tail.count)) + tail
    }

    private static func noticeLine(_ path: String?, _ message: String) -> String {
        "note: \(path.map { "\($0): " } ?? "")\(message)"
    }

    private func plainLine(_ p: DownloadProgress) -> String {
        "progress: \(ProgressFormat.bytes(p.completedBytes)) of \(ProgressFormat.bytes(p.totalBytes)) (\(ProgressFormat.percent(p.completedBytes, of: p.totalBytes))), \(ProgressFormat.speed(p.bytesPerSecond)), ETA \(ProgressFormat.duration(p.etaSeconds)), \(p.filesDone)/\(p.filesTotal) \(Plural.word(p.filesTotal, "file"))"
    }

    private func draw(_ p: DownloadProgress) {
        // One column short of the edge: a line that fills the last column wraps on some terminals, and then
        // the cursor-up count of the next redraw would be wrong.
        let width = max(20, (Terminal.stderrWidth ?? 80) - 1)
        var lines: [String] = []
        let longest = p.active.prefix(8).map(\.path.count).max()
        for file in p.active.prefix(8) {
            lines.append(ProgressFormat.fileLine(file.path, completed: file.completed, size: file.size, width: width, longestName: longest))
        }
        if p.active.count > 8 { lines.append("… and \(p.active.count - 8) more") }
        lines.append(ProgressFormat.totalLine(filesDone: p.filesDone, filesTotal: p.filesTotal, completed: p.completedBytes,
                                              total: p.totalBytes, bytesPerSecond: p.bytesPerSecond, eta: p.etaSeconds, width: width))
        clear()
        writeErr(lines.map { String($0.prefix(width)) }.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    /// Erases the lines drawn last time.
    private func clear() {
        guard drawnLines > 0 else { return }
        writeErr("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }

    /// Prints a line above the live display.
    private func say(_ text: String) {
        if mode == .terminal {
            clear()
            writeLine(text)
            if let latest { draw(latest) }
        } else {
            writeLine(text)
        }
    }

    /// Writes a line of text, wrapped to the terminal's width when stderr is one.
    private func writeLine(_ text: String) { writeErr(Terminal.wrapForStderr(text) + "\n") }

    private func writeErr(_ text: String) { Terminal.writeErr(Data(text.utf8)) }

    // MARK: - JSON lines

    private func json(_ event: DownloadEvent) {
        let now = ProcessInfo.processInfo.systemUptime
        let line: JSONLine
        switch event {
        case let .planned(plan): line = JSONLine(event: "planned", plan: plan)
        case let .fileStarted(path, size, resumedFrom, connections):
            line = JSONLine(event: "fileStarted", path: path, size: size, resumedFrom: resumedFrom, connections: connections)
        case let .progress(progress):
            // Byte-exact, but at most twice a second: a JSON consumer needs no more.
            guard now - lastDraw >= 0.5 else { return }
            lastDraw = now
            line = JSONLine(event: "progress", progress: progress)
        case let .fileFinished(file): line = JSONLine(event: "fileFinished", file: file)
        case let .notice(path, message): line = JSONLine(event: "notice", path: path, message: message)
        }
        Self.printJSONLine(line)
    }

    /// Writes one compact JSON object and a newline to stdout.
    static func printJSONLine<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        Terminal.writeOut(data + Data("\n".utf8))
    }

    /// One `--json` event line.
    struct JSONLine: Encodable {
        var event: String
        var plan: DownloadPlan?
        var path: String?
        var size: Int64?
        var resumedFrom: Int64?
        var connections: Int?
        var progress: DownloadProgress?
        var file: DownloadedFile?
        var message: String?
    }
}

extension String {
    /// Right-aligns in `width` characters.
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
