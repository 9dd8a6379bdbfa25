import Foundation
import HubScoutTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the built `hubscout` on a pseudo-terminal of a given width, as a person at a terminal does.
enum PTYRunner {
    /// What one run wrote and returned.
    struct Run {
        var status: Int32
        /// Everything written to the terminal (stderr, and stdout unless it went to a file), `\r` removed.
        var terminal: String
        /// stdout when it went to a file (`stdoutOnTerminal: false`), else empty.
        var stdout: String

        /// The terminal's lines as they look on screen: escape sequences removed.
        var visibleLines: [String] {
            terminal.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Runs `hubscout arguments…` with stdin and stderr on a new pseudo-terminal `columns` wide (stdout too, unless
    /// `stdoutOnTerminal` is false: then it goes to a file), `TERM=xterm` and a temporary HOME unless `environment`
    /// says otherwise. The terminal is read on a thread of its own (`OffPool`) until the last writer closes it.
    static func run(_ arguments: [String], columns: Int, environment: [String: String] = [:],
                    stdoutOnTerminal: Bool = true) async throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-pty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pty = try PseudoTerminal(columns: columns)
        let master = pty.master
        let out = dir.appendingPathComponent("stdout")
        FileManager.default.createFile(atPath: out.path, contents: nil)

        let process = Process()
        process.executableURL = try CLIRunner.binary()
        process.arguments = arguments
        process.environment = CLIRunner.baseEnvironment(home: dir.path).merging(["TERM": "xterm"].merging(environment) { _, new in new }) { _, new in new }
        let terminal = pty.slaveHandle
        process.standardInput = terminal
        process.standardError = terminal
        process.standardOutput = stdoutOnTerminal ? terminal : try FileHandle(forWritingTo: out)

        let reader = Task { [master] in try await OffPool.run { readUntilClosed(master) } }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                pty.closeSlave()
                continuation.resume(throwing: error)
                return
            }
            // Only the child holds the terminal now, so the reader sees its end when the child exits.
            pty.closeSlave()
            DispatchQueue.global().asyncAfter(deadline: .now() + TestTimeouts.child) { if process.isRunning { process.terminate() } }
        }
        let bytes = try await reader.value
        return Run(status: status, terminal: String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r", with: ""),
                   stdout: try String(contentsOf: out, encoding: .utf8))
    }

    /// Reads `fd` until end of file or EIO (a pseudo-terminal whose other side is closed).
    private static func readUntilClosed(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { data.append(contentsOf: buffer[0..<count]); continue }
            if count < 0, errno == EINTR { continue }
            return data
        }
    }
}

/// Tables and progress on a terminal fit its width; pipes get every row whole.
@Suite("hubscout on a terminal: widths", .serialized)
struct CLITerminalTests {
    /// Offline from the snapshot compiled into the binary: a fresh HOME, and a Hub that cannot be reached.
    static let offline = ["HF_ENDPOINT": "http://127.0.0.1:9"]
    static let search = ["search", "--offline", "--limit", "30"]

    /// The ids the same search returns, from its JSON.
    static func ids() async throws -> [String] {
        let run = try await CLIRunner.run(search + ["--json"], environment: offline)
        #expect(run.status == 0, "\(run.stderr)")
        return try run.array().compactMap { $0["id"] as? String }
    }

    @Test("search at 80 and 50 columns: no line is wider than the terminal, long ids end with …, the rest are whole",
          arguments: [80, 50])
    func searchFitsTheTerminal(columns: Int) async throws {
        let ids = try await Self.ids()
        // The snapshot's longest ids (e.g. alefiury/wav2vec2-large-xlsr-53-gender-recognition-librispeech) are
        // wider than either terminal allows for the MODEL column.
        #expect(ids.contains { $0.count > 40 })
        let run = try await PTYRunner.run(Self.search, columns: columns, environment: Self.offline)
        #expect(run.status == 0, "\(run.terminal)")
        let lines = run.visibleLines
        for line in lines { #expect(line.count <= columns, "\(line.count) > \(columns): \(line)") }

        let header = try #require(lines.firstIndex { $0.hasPrefix("MODEL ") }, "\(run.terminal)")
        let rows = Array(lines[(header + 1)...].prefix(ids.count))
        #expect(rows.count == ids.count, "\(run.terminal)")
        var shortened = 0
        for (row, id) in zip(rows, ids) {
            let cell = String(row.prefix { $0 != " " })
            if cell.hasSuffix("…") {
                shortened += 1
                #expect(id.hasPrefix(cell.dropLast()), "\(cell) is not the start of \(id)")
            } else {
                #expect(cell == id)
            }
        }
        #expect(shortened > 0, "no id was shortened at \(columns) columns:\n\(run.terminal)")
        // Columns left out are named on stderr, never silently (the note itself wrapped to the width).
        let unwrapped = run.terminal.replacingOccurrences(of: "\n  ", with: " ")
        let leftOut = columns == 80 ? "UPDATED" : "UPDATED, LIKES, TASK, DOWNLOADS"
        #expect(unwrapped.contains("(\(leftOut) left out to fit \(columns) columns"), "\(run.terminal)")
    }

    @Test("a pipe gets whole rows: every id and every column, however wide; --no-truncate does the same on a terminal")
    func pipeIsWhole() async throws {
        let ids = try await Self.ids()
        let piped = try await CLIRunner.run(Self.search, environment: Self.offline)
        #expect(piped.status == 0, "\(piped.stderr)")
        let lines = piped.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("UPDATED") == true, "\(lines.first ?? "")")
        #expect(!piped.stdout.contains("…"))
        for id in ids { #expect(lines.contains { $0.hasPrefix(id + " ") }, "\(id) is not whole") }
        #expect(lines.contains { $0.count > 100 })

        let whole = try await PTYRunner.run(Self.search + ["--no-truncate"], columns: 50, environment: Self.offline)
        #expect(whole.status == 0, "\(whole.terminal)")
        let shown = whole.visibleLines
        for id in ids { #expect(shown.contains { $0.hasPrefix(id + " ") }, "\(id) is not whole with --no-truncate") }
        #expect(shown.contains { $0.hasPrefix("MODEL ") && $0.hasSuffix("UPDATED") })
    }

    @Test("a download's progress on a 50-column terminal: every line, redrawn or not, fits")
    func progressFitsTheTerminal() async throws {
        let cache = try await OffPool.run { () -> FixtureCache in
            let cache = try FixtureCache()
            try cache.addRepo("hubscout-test/wide-progress", commits: [[
                .readme(frontMatter: "license: mit"),
                FixtureFile("weights/an-unusually-long-shard-name-model-00001-of-00002.safetensors", generatedSize: 6 << 20, seed: 1, lfs: true),
                FixtureFile("weights/an-unusually-long-shard-name-model-00002-of-00002.safetensors", generatedSize: 6 << 20, seed: 2, lfs: true),
            ]])
            return cache
        }
        defer { cache.remove() }
        try await TestHubServer.with(root: cache.root) { server in
            let run = try await PTYRunner.run(["download", "hubscout-test/wide-progress"], columns: 50,
                                              environment: ["HF_ENDPOINT": server.apiURL], stdoutOnTerminal: false)
            #expect(run.status == 0, "\(run.terminal)")
            // The live display ran (it moves the cursor up to redraw) and finished with the summary.
            #expect(run.terminal.contains("\u{1B}["))
            #expect(run.terminal.range(of: #"done: \d+ files"#, options: .regularExpression) != nil, "\(run.terminal)")
            #expect(run.terminal.contains("✓ …"), "long paths keep their end: \(run.terminal)")
            for line in run.visibleLines { #expect(line.count <= 50, "\(line.count) > 50: \(line)") }
        }
    }
}
