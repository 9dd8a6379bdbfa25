import Foundation
import HubScoutTestSupport
import Testing

/// Runs the built `hubscout` binary (next to the test bundle in `.build/debug`) as a child process.
enum CLIRunner {
    /// What one run printed and returned.
    struct Run {
        /// The exit status; a process killed by signal N reads 128 + N, as in a shell (never 0).
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the process died of a signal (a crash: trap, abort, segfault), not an exit.
        var crashed = false
        /// True when it ran past `TestTimeouts.child` and was killed (then `crashed` is true as well).
        var timedOut = false

        /// stdout parsed as a JSON object.
        func object() throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(value as? [String: Any], "stdout is not a JSON object: \(stdout.prefix(300))")
        }

        /// stdout parsed as a JSON array of objects.
        func array() throws -> [[String: Any]] {
            let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(value as? [[String: Any]], "stdout is not a JSON array: \(stdout.prefix(300))")
        }
    }

    /// What every child starts with: a temporary HOME, and a stall timeout as patient as the in-process test
    /// clients' (a loaded machine can leave a test server silent for a while; tests of stalls set their own).
    static func baseEnvironment(home: String) -> [String: String] {
        ["HOME": home, "PATH": "/usr/bin:/bin", "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DOWNLOAD_TIMEOUT": String(TestTimeouts.stall)]
    }

    /// The executable SwiftPM built beside the test resources.
    static func binary() throws -> URL {
        let resources = try #require(Bundle.module.resourceURL)
        let candidates = [resources.deletingLastPathComponent().appendingPathComponent("hubscout"),
                          resources.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("debug/hubscout")]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "build the hubscout executable first (swift build)")
    }

    /// A fixture sysroot under Fixtures/sysroots.
    static func sysroot(_ name: String) throws -> String {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/sysroots/\(name)")
        #expect(FileManager.default.fileExists(atPath: url.path))
        return url.path
    }

    /// Runs `hubscout arguments…` with only `environment` (plus a temporary HOME); a run past
    /// `TestTimeouts.child` is killed and reported as such.
    /// Output goes to temporary files, so a chatty child can never block on a full pipe.
    /// `executable` (default: the built binary) runs in `directory` (default: inherited); `environment` may
    /// replace HOME.
    static func run(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil,
                    directory: URL? = nil) async throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = try executable ?? binary()
        if let directory { process.currentDirectoryURL = directory }
        process.arguments = arguments
        process.environment = CLIRunner.baseEnvironment(home: dir.path).merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        let killed = KillFlag()
        let (status, signalled): (Int32, Bool) = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: ($0.terminationStatus, $0.terminationReason == .uncaughtSignal)) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + TestTimeouts.child) {
                if process.isRunning { killed.set(); process.terminate() }
            }
        }
        var stderr = try String(contentsOf: err, encoding: .utf8)
        if killed.isSet { stderr += "\n[CLIRunner: killed after \(Int(TestTimeouts.child)) s]" }
        return Run(status: signalled ? 128 + status : status, stdout: try String(contentsOf: out, encoding: .utf8), stderr: stderr,
                   crashed: signalled, timedOut: killed.isSet)
    }
}

/// Set once by the watchdog that kills a hung child.
private final class KillFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
