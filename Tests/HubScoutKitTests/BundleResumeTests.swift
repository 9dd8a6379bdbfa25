import Foundation
import HubScoutBundle
import HubScoutCache
import HubScoutCore
import HubScoutTestSupport
import Testing

/// An import cut off mid-way (the bundle copy was truncated, the process was killed) keeps what it
/// verified and publishes nothing else; run again on the whole bundle, it writes only what is missing.
@Suite("Bundles: interrupted import")
struct BundleResumeTests {
    typealias H = BundleTestHelpers

    @Test("a truncated bundle imports the files before the cut; the whole bundle then resumes, writing only the rest")
    func truncatedThenResumed() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let whole = work + "/tiny.tar"
        let created = try await BundleCreator(cache: source.cache, options: .init(hubscoutVersion: "test"))
            .create([try BundleSpec(parsing: "acme/tiny")], output: whole)
        // Members are sorted: README.md, config.json, empty.txt, model.safetensors (3 MiB), tokenizer/vocab.txt.
        // Cut the copy in the middle of model.safetensors.
        let bytes = try await H.contents(whole)
        let cut = work + "/cut.tar"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))

        let root = work + "/hub"
        let cache = HubCache(root: root)
        let model = BundleManifest.memberName(repo: try RepoID("acme/tiny"), commit: source.tiny.head, path: "model.safetensors")
        do {
            _ = try await BundleImporter(cache: cache).import(cut)
            Issue.record("a truncated bundle imported")
        } catch {
            guard case let .truncated(member, _) = error else { Issue.record("\(error)"); return }
            #expect(member == model)
        }
        let snapshot = root + "/models--acme--tiny/snapshots/" + source.tiny.head
        #expect(H.tree(snapshot) == ["README.md", "config.json", "empty.txt"])
        #expect(H.leftovers(root).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root + "/models--acme--tiny/refs/main"), "a ref to an incomplete revision")
        #expect(!FileManager.default.fileExists(atPath: root + "/models--acme--tiny/blobs/" + (source.tiny.file("model.safetensors")?.etag ?? "")))

        // A temporary file of a killed import (its process is gone) is swept when that blob is written.
        let etag = try #require(source.tiny.file("model.safetensors")?.etag)
        let stale = root + "/models--acme--tiny/blobs/\(etag).\(Int32.max - 7).1a2b3c.incomplete"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data(count: 4096)))

        let resumed = try await BundleImporter(cache: cache).import(whole)
        #expect(resumed.filesSkipped == 3)
        #expect(resumed.filesImported == 2)
        #expect(resumed.bytesWritten == source.tiny.file("model.safetensors")!.size + source.tiny.file("tokenizer/vocab.txt")!.size)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(H.leftovers(root).isEmpty)
        #expect(try String(contentsOfFile: root + "/models--acme--tiny/refs/main", encoding: .utf8) == source.tiny.head)
        try await BundleTests.expectIdentical(source.tiny, commit: source.tiny.head, in: root)
        #expect(created.files == 5)
    }

    @Test("a snapshot link removed after an import is restored from the blob already present, without writing it again")
    func relinkFromPresentBlob() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let bundle = work + "/tiny.tar"
        _ = try await BundleCreator(cache: source.cache, options: .init(hubscoutVersion: "test"))
            .create([try BundleSpec(parsing: "acme/tiny")], output: bundle)
        let cache = HubCache(root: work + "/hub")
        _ = try await BundleImporter(cache: cache).import(bundle)
        try FileManager.default.removeItem(atPath: work + "/hub/models--acme--tiny/snapshots/\(source.tiny.head)/model.safetensors")
        let again = try await BundleImporter(cache: cache).import(bundle)
        #expect(again.filesImported == 0 && again.filesSkipped == 5 && again.bytesWritten == 0)
        try await BundleTests.expectIdentical(source.tiny, commit: source.tiny.head, in: work + "/hub")
    }
}
