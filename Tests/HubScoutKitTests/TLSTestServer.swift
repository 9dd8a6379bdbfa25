import Foundation
import HubScoutTestSupport
import Testing

/// A real TLS server for the transport tests: Python's `ssl` (Fixtures/tls/tls_server.py) with a throw-away
/// certificate made by openssl, which is also the CA a trusting client points at.
final class TLSTestServer: @unchecked Sendable {
    let port: Int
    /// The PEM certificate to trust (self-signed, CA:TRUE, for 127.0.0.1).
    let caFile: String
    private let logFile: String
    private let folder: URL
    private let process: Process

    /// `https://127.0.0.1:<port>/path`.
    func url(_ path: String = "/") -> String { "https://127.0.0.1:\(port)\(path)" }

    /// One line per accepted connection: the protocol it negotiated (`h2`, `http/1.1`, `none`) or `handshake-failed`.
    func connections() -> [String] {
        ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// The connection log once it has `count` lines (or whatever it has after a minute).
    func waitForConnections(_ count: Int) async -> [String] {
        for _ in 0..<600 {
            let lines = connections()
            if lines.count >= count { return lines }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        return connections()
    }

    /// Starts a server; `alpn` is the comma-separated list it advertises, `mode` `www` or `silent`.
    static func start(alpn: String = "", mode: String = "www") async throws -> TLSTestServer {
        let script = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/tls/tls_server.py").path
        return try await OffPool.run {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
            try run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                     "-days", "2", "-subj", "/CN=hubscout test CA",
                                     "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            let log = folder.appendingPathComponent("connections.log").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, "--cert", cert, "--key", key, "--mode", mode, "--log", log]
                + (alpn.isEmpty ? [] : ["--alpn", alpn])
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            while !text.contains("\n") {
                let data = stdout.fileHandleForReading.availableData
                guard !data.isEmpty else { break }
                text += String(decoding: data, as: UTF8.self)
            }
            guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                process.terminate()
                throw TLSServerError.didNotStart(text)
            }
            return TLSTestServer(port: port, caFile: cert, logFile: log, folder: folder, process: process)
        }
    }

    private init(port: Int, caFile: String, logFile: String, folder: URL, process: Process) {
        self.port = port
        self.caFile = caFile
        self.logFile = logFile
        self.folder = folder
        self.process = process
    }

    /// Stops the server and removes its files.
    func stop() async {
        let process = process, folder = folder
        _ = try? await OffPool.run {
            // SIGKILL: a child spawned from a thread that blocks SIGTERM may never see a terminate().
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TLSServerError.toolFailed(arguments.first ?? tool) }
    }
}

enum TLSServerError: Error {
    case didNotStart(String)
    case toolFailed(String)
}
