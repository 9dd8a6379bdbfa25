import Foundation
import Testing

/// A cache holding two sparse 5 EiB blobs (their sum overflows 64 bits): the commands that add up
/// local sizes must answer, not trap.
@Suite("Local sizes beyond 64 bits")
struct HugeLocalFilesTests {
    /// tmpfs takes sparse files of any size; ext4 stops at 16 TiB, which cannot overflow a sum of two.
    static let shm = "/dev/shm"

    @Test("ls and catalog scan survive two 5 EiB blobs", .enabled(if: FileManager.default.isWritableFile(atPath: shm)))
    func twoHugeBlobs() async throws {
        let root = Self.shm + "/hubscout-huge-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let commit = String(repeating: "c", count: 40)
        for (index, name) in ["acme--one", "acme--two"].enumerated() {
            let repo = root + "/hub/models--" + name
            let blob = String(repeating: String(index + 1), count: 64)
            try FileManager.default.createDirectory(atPath: repo + "/blobs", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: repo + "/snapshots/" + commit, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: repo + "/refs", withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: URL(fileURLWithPath: repo + "/refs/main"))
            #expect(FileManager.default.createFile(atPath: repo + "/blobs/" + blob, contents: nil))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: repo + "/blobs/" + blob))
            try handle.truncate(atOffset: 5 << 60)
            try handle.close()
            try FileManager.default.createSymbolicLink(atPath: repo + "/snapshots/\(commit)/model.bin", withDestinationPath: "../../blobs/" + blob)
        }
        let environment = ["HF_ENDPOINT": "http://127.0.0.1:9", "HF_HUB_OFFLINE": "1"]
        let ls = try await CLIRunner.run(["ls", "--cache-dir", root + "/hub", "--json"], environment: environment)
        let scan = try await CLIRunner.run(["catalog", "scan", "--cache-dir", root + "/hub"], environment: environment)
        #expect(!ls.crashed, "\(ls.stderr.suffix(300))")
        #expect(!scan.crashed, "\(scan.stderr.suffix(300))")
        #expect(ls.status == 0, "\(ls.stderr)")
        let object = try ls.object()
        // The total saturates at the largest count instead of wrapping around.
        #expect((object["totalBytes"] as? NSNumber)?.int64Value == Int64.max, "\(object["totalBytes"] ?? "none")")
    }
}
