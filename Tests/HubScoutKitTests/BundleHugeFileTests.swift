import Foundation
import HubScoutBundle
import HubScoutCache
import HubScoutCore
import HubScoutTestSupport
import Testing

/// A file past ustar's 8 GiB size field: the pax header carries its size through create, verify and import.
/// The blob is a sparse file of zeros (no disk used), the bundle is zstd-compressed (a few MB), and the
/// import writes holes for runs of zeros, so the test needs almost no disk, only time to hash the bytes
/// three times. Set `HUBSCOUT_BUNDLE_HUGE=0` to skip it.
@Suite("Bundles: a file over 8 GiB")
struct BundleHugeFileTests {
    /// 8 GiB + 1 MiB + 7 bytes of zeros, and their sha256 (computed once with `head -c … /dev/zero | sha256sum`).
    static let size: Int64 = (8 << 30) + (1 << 20) + 7
    static let sha256 = "0264d934f2e245eba7c245fe7258f54ba9bcf6f9f6d1364f7f76ab340963f8ad"

    static let enabled = ProcessInfo.processInfo.environment["HUBSCOUT_BUNDLE_HUGE"] != "0" && BundleCompression.zstdAvailable

    @Test("a sparse 8 GiB + 1 MiB file goes through create, ls and import (which hashes every byte)", .enabled(if: enabled))
    func overEightGiB() async throws {
        let work = BundleTestHelpers.temporaryFolder("huge")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let commit = String(repeating: "e", count: 40)
        let repo = work + "/src/models--acme--huge"
        try await OffPool.run {
            try FileManager.default.createDirectory(atPath: repo + "/blobs", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: repo + "/snapshots/" + commit, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: repo + "/refs", withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: URL(fileURLWithPath: repo + "/refs/main"))
            FileManager.default.createFile(atPath: repo + "/blobs/" + Self.sha256, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: repo + "/blobs/" + Self.sha256))
            try handle.truncate(atOffset: UInt64(Self.size))
            try handle.close()
            try FileManager.default.createSymbolicLink(atPath: repo + "/snapshots/\(commit)/model.safetensors",
                                                       withDestinationPath: "../../blobs/" + Self.sha256)
        }
        let output = work + "/huge.tar.zst"
        let created = try await BundleCreator(cache: HubCache(root: work + "/src"), options: .init(compression: .zstd, hubscoutVersion: "test"))
            .create([try BundleSpec(parsing: "acme/huge")], output: output)
        #expect(created.contentBytes == Self.size)
        #expect(created.bytes < 64 << 20, "zeros compress")
        let manifest = try await BundleReader.manifest(at: output)
        #expect(manifest.repos[0].files == [BundleManifest.File(path: "model.safetensors", size: Self.size, blob: BlobID(Self.sha256)!)])

        if FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd") {
            let listing = try await BundleTestHelpers.run("/usr/bin/tar", ["--zstd", "-tvf", output])
            #expect(listing.status == 0, "\(listing.output)")
            #expect(listing.output.contains(String(Self.size)), "GNU tar reads the pax size: \(listing.output)")
        }

        let root = work + "/hub"
        let imported = try await BundleImporter(cache: HubCache(root: root)).import(output)
        #expect(imported.filesImported == 1 && imported.bytesWritten == Self.size)
        let blob = root + "/models--acme--huge/blobs/" + Self.sha256
        let attributes = try FileManager.default.attributesOfItem(atPath: blob)
        #expect((attributes[.size] as? NSNumber)?.int64Value == Self.size)
        var info = stat()
        #expect(stat(blob, &info) == 0)
        #expect(Int64(info.st_blocks) * 512 < 64 << 20, "runs of zeros became holes")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/models--acme--huge/snapshots/\(commit)/model.safetensors")
                == "../../blobs/" + Self.sha256)
    }
}
