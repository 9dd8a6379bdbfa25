import Foundation
import HubScoutTestSupport
import Testing

/// A download into a filesystem that is already full, on a real (tiny) tmpfs mounted in a private
/// user and mount namespace, so no root is needed and nothing outside the test sees it.
@Suite("Disk full on a real filesystem")
struct DiskFullTests {
    /// True where `unshare -Urm` can mount a tmpfs (Linux with user namespaces).
    static let canMountTmpfs: Bool = {
        #if os(Linux)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-Urm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=16k tmpfs \"$d\" && umount \"$d\"; s=$?; rmdir \"$d\"; exit $s"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
        #else
        return false
        #endif
    }()

    @Test("a failed write leaves no temporary file, and the command exits with an error instead of crashing", .enabled(if: canMountTmpfs))
    func noTemporaryLeftovers() async throws {
        let hub = try await HostileHub.start()
        let binary = try CLIRunner.binary().path
        // Mount, fill every page, download, then list what the failed run left in the cache.
        let script = """
            set -u
            d=$(mktemp -d); e=$(mktemp)
            mount -t tmpfs -o size=64k tmpfs "$d" || exit 90
            mkdir -p "$d/hub"
            dd if=/dev/zero of="$d/fill" bs=4096 2>/dev/null
            HF_ENDPOINT='\(hub.apiURL)' HOME="$d" '\(binary)' download \(HostileHub.repo) --cache-dir "$d/hub" >/dev/null 2>"$e"
            echo "status=$?"
            echo "stderr=$(head -c 400 "$e" | tr '\\n' ' ')"; rm -f "$e"
            find "$d/hub" -name '*.tmp' -printf 'leftover=%P\\n'
            umount "$d"; rmdir "$d"
            """
        // Waiting on the child blocks, so it happens on a thread of its own, never on the cooperative
        // pool the test servers answer from.
        let (status0, output) = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int32, String), any Error>) in
            Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
                process.arguments = ["-Urm", "sh", "-c", script]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = FileHandle.nullDevice
                do { try process.run() } catch { continuation.resume(throwing: error); return }
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, output))
            }.start()
        }
        await hub.close()
        #expect(status0 == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        let status = lines.first { $0.hasPrefix("status=") }.flatMap { Int($0.dropFirst(7)) }
        // A typed error's exit code, not 128+signal (writing to a full disk once trapped).
        #expect(status.map { (1..<128).contains($0) } == true, "\(output)")
        #expect(lines.contains { $0.hasPrefix("stderr=") && $0.contains("space") }, "\(output)")
        #expect(!lines.contains { $0.hasPrefix("leftover=") }, "\(output)")
    }
}
