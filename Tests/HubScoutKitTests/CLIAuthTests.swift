import Foundation
import HubScoutKit
import HubScoutServer
import HubScoutTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `hubscout auth …` and `login` as a user runs them: the built binary, on a pseudo-terminal where a person
/// would type, against a started test Hub.
@Suite("hubscout auth and login (CLI)", .serialized)
struct CLIAuthTests {
    static let alice = "hf_test_alice_auth_0123456789"
    static let bob = "hf_test_bob_auth_9876543210"
    static let repo = "acme/tiny"

    /// A Hub with one public repository and two tokens (its whoami names every token `hubscout`).
    static func withServer(_ body: (TestHubServer) async throws -> Void) async throws {
        let cache = try await OffPool.run {
            let cache = try FixtureCache()
            try cache.addRepo(repo, commits: [[FixtureFile("config.json", text: "{}")]])
            try cache.addToken(alice, TokenGrant(user: "alice"))
            try cache.addToken(bob, TokenGrant(user: "bob"))
            return cache
        }
        defer { cache.remove() }
        try await TestHubServer.with(root: cache.root) { try await body($0) }
    }

    /// A fresh HF_HOME (and HOME) for one test.
    struct Home {
        let root: String
        var hfHome: String { root + "/hf" }
        var tokenPath: String { hfHome + "/token" }
        var storedTokensPath: String { hfHome + "/stored_tokens" }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-auth-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        func environment(_ server: TestHubServer, _ extra: [String: String] = [:]) -> [String: String] {
            ["HOME": root, "HF_HOME": hfHome, "HF_ENDPOINT": server.apiURL].merging(extra) { $1 }
        }

        func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    // MARK: - The prompt

    @Test("login on a terminal: a prompt on the terminal, the typed token not echoed, stored, and echo back on afterwards")
    func promptHidesToken() async throws {
        try await Self.withServer { server in
            let home = try Home()
            defer { home.remove() }
            let terminal = try AuthTerminal()
            let child = try terminal.spawn(["login"], environment: home.environment(server))
            let prompt = try await OffPool.run { terminal.read(until: { $0.contains("(input will not be visible): ") }) }
            #expect(prompt.contains("Enter your token (input will not be visible): "), "\(prompt)")
            // The prompt says where tokens are made, on the Hub HF_ENDPOINT names.
            #expect(prompt.contains(server.apiURL + "/settings/tokens"), "\(prompt)")
            // Echo went off before the prompt showed.
            #expect(!terminal.echoEnabled)
            terminal.type(Self.alice + "\n")
            let status = try await OffPool.run { () -> Int32 in
                child.waitUntilExit()
                return child.terminationStatus
            }
            let rest = try await OffPool.run { terminal.read(until: { _ in false }, quietFor: 0.3) }
            #expect(status == 0, "\(prompt)\(rest)")
            #expect(!(prompt + rest).contains(Self.alice), "the token was echoed or printed: \(prompt + rest)")
            #expect(!(prompt + rest).contains("test_alice"), "part of the token was echoed: \(prompt + rest)")
            #expect(rest.contains("logged in as alice"), "\(rest)")
            #expect(home.read(home.tokenPath) == Self.alice)
            #expect(home.read(home.storedTokensPath) == "[hubscout]\nhf_token = \(Self.alice)\n\n")
            #expect(terminal.echoEnabled, "echo was left off")
        }
    }

    @Test("Ctrl-C at the prompt puts echo back on, stores nothing, and the process still dies of SIGINT")
    func interruptRestoresEcho() async throws {
        try await Self.withServer { server in
            let home = try Home()
            defer { home.remove() }
            let terminal = try AuthTerminal()
            let child = try terminal.spawn(["auth", "login"], environment: home.environment(server))
            let prompt = try await OffPool.run { terminal.read(until: { $0.contains("(input will not be visible): ") }) }
            #expect(prompt.contains("Enter your token"), "\(prompt)")
            #expect(!terminal.echoEnabled)
            // Half a token typed, then the interrupt (the child has no controlling terminal, so it is sent directly).
            terminal.type("hf_half")
            kill(child.processIdentifier, SIGINT)
            let (reason, status) = try await OffPool.run { () -> (Process.TerminationReason, Int32) in
                child.waitUntilExit()
                return (child.terminationReason, child.terminationStatus)
            }
            #expect(reason == .uncaughtSignal && status == SIGINT, "exit \(reason) \(status)")
            #expect(terminal.echoEnabled, "echo was left off after Ctrl-C")
            #expect(!FileManager.default.fileExists(atPath: home.tokenPath))
            #expect(!FileManager.default.fileExists(atPath: home.storedTokensPath))
        }
    }

    @Test("a token piped to login (not a terminal) is read without a prompt and stored")
    func pipedToken() async throws {
        try await Self.withServer { server in
            let home = try Home()
            defer { home.remove() }
            let run = try await Self.runPiped(["login", "--token-name", "ci"], input: Self.bob + "\n", environment: home.environment(server))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stderr.contains("input will not be visible"))
            #expect(!(run.stdout + run.stderr).contains(Self.bob))
            #expect(home.read(home.tokenPath) == Self.bob)
            #expect(home.read(home.storedTokensPath) == "[ci]\nhf_token = \(Self.bob)\n\n")
        }
    }

    // MARK: - A rejected token

    @Test("a rejected token's error names where it came from and what to do there, with the endpoint's tokens page")
    func rejectedTokenNamesSource() async throws {
        try await Self.withServer { server in
            let home = try Home()
            defer { home.remove() }
            let bad = "hf_rejected_000000000000"
            let page = server.apiURL + "/settings/tokens"
            // A valid stored token: HF_TOKEN must still be blamed, and logging in again must not be the advice.
            let login = try await CLIRunner.run(["auth", "login", "--token", Self.alice], environment: home.environment(server))
            #expect(login.status == 0, "\(login.stderr)")

            let env = try await CLIRunner.run(["info", Self.repo], environment: home.environment(server, ["HF_TOKEN": bad]))
            #expect(env.status == 12, "\(env.stderr)")
            #expect(env.stderr.contains("rejected your token from HF_TOKEN"), "\(env.stderr)")
            #expect(env.stderr.contains("HF_TOKEN takes precedence over any stored token"), "\(env.stderr)")
            #expect(env.stderr.contains("unset it"), "\(env.stderr)")
            #expect(env.stderr.contains(page), "\(env.stderr)")
            #expect(!env.stderr.contains("huggingface.co"), "\(env.stderr)")
            #expect(!env.stderr.contains("run hubscout auth login") && !env.stderr.contains("run hubscout login"), "\(env.stderr)")
            #expect(!env.stderr.contains(bad))

            let legacy = try await CLIRunner.run(["whoami"], environment: home.environment(server, ["HUGGING_FACE_HUB_TOKEN": bad]))
            #expect(legacy.status == 12)
            #expect(legacy.stderr.contains("rejected your token from HUGGING_FACE_HUB_TOKEN"), "\(legacy.stderr)")
            #expect(legacy.stderr.contains("HUGGING_FACE_HUB_TOKEN takes precedence"), "\(legacy.stderr)")

            let file = home.root + "/custom-token"
            try Data(bad.utf8).write(to: URL(fileURLWithPath: file))
            let pathFile = try await CLIRunner.run(["info", Self.repo], environment: home.environment(server, ["HF_TOKEN_PATH": file]))
            #expect(pathFile.status == 12)
            #expect(pathFile.stderr.contains("from the HF_TOKEN_PATH file (\(file))"), "\(pathFile.stderr)")
            #expect(pathFile.stderr.contains("unset HF_TOKEN_PATH"), "\(pathFile.stderr)")

            let flag = try await CLIRunner.run(["info", Self.repo, "--token", bad], environment: home.environment(server))
            #expect(flag.status == 12)
            #expect(flag.stderr.contains("from --token"), "\(flag.stderr)")
            #expect(flag.stderr.contains("pass a valid token with --token"), "\(flag.stderr)")

            // The stored token itself goes bad (revoked on the Hub): named, with login and switch as the way out.
            let revoked = try await CLIRunner.run(["auth", "login", "--token", bad, "--token-name", "old", "--no-verify"],
                                                  environment: home.environment(server))
            #expect(revoked.status == 0, "\(revoked.stderr)")
            let stored = try await CLIRunner.run(["info", Self.repo], environment: home.environment(server))
            #expect(stored.status == 12)
            #expect(stored.stderr.contains("from the stored token 'old' (\(home.tokenPath))"), "\(stored.stderr)")
            #expect(stored.stderr.contains("hubscout auth login") && stored.stderr.contains("hubscout auth switch"), "\(stored.stderr)")
            #expect(stored.stderr.contains(page), "\(stored.stderr)")
        }
    }

    // MARK: - Stored tokens

    @Test("auth list masks and stars the active token, switch changes it, logout forgets one then all; no full token is printed")
    func listSwitchLogout() async throws {
        try await Self.withServer { server in
            let home = try Home()
            defer { home.remove() }
            let environment = home.environment(server)
            var printed = ""
            func run(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> CLIRunner.Run {
                let run = try await CLIRunner.run(arguments, environment: environment.merging(extra) { $1 })
                printed += run.stdout + run.stderr
                return run
            }
            #expect(try await run(["auth", "login", "--token", Self.alice, "--token-name", "work"]).status == 0)
            // The alias, named as hf names it: the token's name on the Hub.
            #expect(try await run(["login", "--token", Self.bob]).status == 0)
            #expect(home.read(home.storedTokensPath) == "[hubscout]\nhf_token = \(Self.bob)\n\n[work]\nhf_token = \(Self.alice)\n\n")

            let list = try await run(["auth", "list"])
            #expect(list.status == 0, "\(list.stderr)")
            let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.contains(["*", "hubscout", "hf_****3210"]), "\(list.stdout)")
            #expect(rows.contains(["work", "hf_****6789"]), "\(list.stdout)")

            #expect(try await run(["auth", "switch", "--token-name", "work"]).status == 0)
            #expect(home.read(home.tokenPath) == Self.alice)
            let json = try await run(["auth", "ls", "--json"])
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(entries.map { $0["name"] as? String } == ["hubscout", "work"])
            #expect(entries.map { $0["active"] as? Bool } == [false, true])
            let whoami = try await run(["auth", "whoami"])
            #expect(whoami.stdout.hasPrefix("alice"), "\(whoami.stdout)")
            #expect(whoami.stdout.contains("the stored token 'work'"), "\(whoami.stdout)")

            // HF_TOKEN wins: the star follows it, and list says so.
            let overridden = try await run(["auth", "list"], ["HF_TOKEN": Self.bob])
            #expect(overridden.stdout.split(separator: "\n").contains { $0.hasPrefix("*") && $0.contains("hubscout") }, "\(overridden.stdout)")
            #expect(overridden.stderr.contains("HF_TOKEN is set"), "\(overridden.stderr)")

            let unknown = try await run(["auth", "switch", "--token-name", "nope"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("stored: hubscout, work"), "\(unknown.stderr)")
            let noName = try await run(["auth", "login", "--token", Self.bob, "--no-verify"])
            #expect(noName.status == 64, "\(noName.stderr)")

            let one = try await run(["auth", "logout", "--token-name", "work"])
            #expect(one.status == 0, "\(one.stderr)")
            #expect(!FileManager.default.fileExists(atPath: home.tokenPath), "the active token's file was kept")
            #expect(home.read(home.storedTokensPath) == "[hubscout]\nhf_token = \(Self.bob)\n\n")
            #expect(try await run(["logout"]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: home.storedTokensPath))
            #expect(!printed.contains(Self.alice) && !printed.contains(Self.bob), "a full token was printed: \(printed)")
        }
    }

    /// Runs the binary with `input` on a pipe as standard input.
    static func runPiped(_ arguments: [String], input: String, environment: [String: String]) async throws -> CLIRunner.Run {
        let binary = try CLIRunner.binary()
        return try await OffPool.run {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-pipe-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            let stdin = Pipe()
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
            process.standardInput = stdin
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
            try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            process.waitUntilExit()
            return CLIRunner.Run(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                                 stderr: try String(contentsOf: err, encoding: .utf8))
        }
    }
}

/// A pseudo-terminal for one child: its stdin, stdout and stderr are the terminal's slave side, as in a shell;
/// the test reads what it shows and types into the master side.
final class AuthTerminal: @unchecked Sendable {
    private let pty: PseudoTerminal
    var master: Int32 { pty.master }
    var slave: Int32 { pty.slave }
    /// Everything read from the master so far.
    private var shown: [UInt8] = []

    init() throws {
        // A wide window, so the CLI's wrapping of notes never splits what the tests look for.
        pty = try PseudoTerminal(columns: 500)
    }

    /// Starts the built binary with the terminal as its stdin, stdout and stderr.
    func spawn(_ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = try CLIRunner.binary()
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Types `text` at the terminal.
    func type(_ text: String) { pty.type(text) }

    /// True while the terminal echoes what is typed (the slave side's ECHO flag).
    var echoEnabled: Bool {
        var settings = termios()
        guard tcgetattr(slave, &settings) == 0 else { return false }
        return settings.c_lflag & tcflag_t(ECHO) != 0
    }

    /// Reads what the child shows until `done` holds for what came since the call, or nothing more has come
    /// for `quietFor` seconds; gives up after 60 s so a broken child cannot hang the suite. Blocking: call it
    /// through `OffPool`.
    func read(until done: (String) -> Bool, quietFor: Double = 60) -> String {
        let start = shown.count
        let deadline = Date().addingTimeInterval(60)
        var lastData = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var text: String { String(decoding: shown[start...], as: UTF8.self) }
        while !done(text), Date() < deadline, Date().timeIntervalSince(lastData) < quietFor {
            var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let count = readBytes(master, &buffer, buffer.count)
            guard count > 0 else { break }
            shown += buffer[0..<count]
            lastData = Date()
        }
        return text
    }
}

/// `read(2)`, under a name no method shadows.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
