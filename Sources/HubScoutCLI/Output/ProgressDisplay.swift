import Foundation
import HubScoutKit

/// Renders download events: a redrawn multi-line display on a terminal (at most 10 times a second),
/// plain periodic lines otherwise, or JSON lines on stdout with `--json`. Progress and notices go to
/// stderr in the human modes so stdout stays clean for results.
/// `@unchecked Sendable`: events arrive from transfer threads; all state is guarded by `lock`.
final class ProgressDisplay: @unchecked Sendable {
    enum Mode { case terminal, plain, json }

    private let mode: Mode
    private let lock = NSLock()
    private var lastDraw = 0.0
    private var drawnLines = 0
    private var latest: DownloadProgress?
    private var lastPlainLine: String?
    private let plainInterval: Double
    private let terminalWidth: Int

    init(mode: Mode, plainInterval: Double = 5) {
        self.mode = mode
        self.plainInterval = plainInterval
        terminalWidth = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }

    /// Handles one event (any thread).
    func handle(_ event: DownloadEvent) {
        lock.withLock {
            switch mode {
            case .json: json(event)
            case .terminal, .plain: human(event)
            }
        }
    }

    /// Clears the live display (before the final report or an error).
    func finish() {
        lock.withLock {
            if mode == .terminal { clear() }
            if mode == .plain, let latest, latest.totalBytes > 0, plainLine(latest) != lastPlainLine { writeErr(plainLine(latest) + "\n") }
        }
    }

    // MARK: - Human

    private func human(_ event: DownloadEvent) {
        let now = ProcessInfo.processInfo.systemUptime
        switch event {
        case let .planned(plan):
            let fetch = plan.bytesToFetch
            say("\(plan.repo) @ \(plan.revision) (\(plan.commit.value.prefix(12))): \(plan.files.count) files, \(ProgressFormat.bytes(fetch)) to fetch, \(ProgressFormat.bytes(plan.bytesPresent)) already present")
        case let .fileStarted(path, size, resumedFrom, connections):
            if mode == .plain || resumedFrom > 0 || connections > 1 {
                var line = "fetching \(path) (\(ProgressFormat.bytes(size))"
                if connections > 1 { line += ", \(connections) connections" }
                if resumedFrom > 0 { line += ", resuming at \(ProgressFormat.bytes(resumedFrom))" }
                say(line + ")")
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
                writeErr(line + "\n")
            }
        case let .fileFinished(file):
            let check = file.verified ? "verified" : file.status == .downloaded ? "size checked" : file.status.rawValue
            say("✓ \(file.path) (\(ProgressFormat.bytes(file.size)), \(check))")
        case let .notice(path, message):
            say("note: \(path.map { "\($0): " } ?? "")\(message)")
        }
    }

    private func plainLine(_ p: DownloadProgress) -> String {
        "progress: \(ProgressFormat.bytes(p.completedBytes)) of \(ProgressFormat.bytes(p.totalBytes)) (\(ProgressFormat.percent(p.completedBytes, of: p.totalBytes))), \(ProgressFormat.speed(p.bytesPerSecond)), ETA \(ProgressFormat.duration(p.etaSeconds)), \(p.filesDone)/\(p.filesTotal) files"
    }

    private func draw(_ p: DownloadProgress) {
        var lines: [String] = []
        let nameWidth = max(16, min(40, terminalWidth - 52))
        for file in p.active.prefix(8) {
            let name = ProgressFormat.shorten(file.path, to: nameWidth).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            lines.append("\(name) [\(ProgressFormat.bar(file.completed, of: file.size, width: 20))] \(ProgressFormat.percent(file.completed, of: file.size).leftPad(6)) \(ProgressFormat.bytes(file.completed))/\(ProgressFormat.bytes(file.size))")
        }
        if p.active.count > 8 { lines.append("… and \(p.active.count - 8) more") }
        lines.append("total \(p.filesDone)/\(p.filesTotal) files [\(ProgressFormat.bar(p.completedBytes, of: p.totalBytes, width: 20))] \(ProgressFormat.percent(p.completedBytes, of: p.totalBytes)) \(ProgressFormat.bytes(p.completedBytes))/\(ProgressFormat.bytes(p.totalBytes)) \(ProgressFormat.speed(p.bytesPerSecond)) ETA \(ProgressFormat.duration(p.etaSeconds))")
        clear()
        writeErr(lines.map { String($0.prefix(terminalWidth - 1)) }.joined(separator: "\n") + "\n")
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
            writeErr(text + "\n")
            if let latest { draw(latest) }
        } else {
            writeErr(text + "\n")
        }
    }

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
