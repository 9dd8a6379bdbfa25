import Foundation
import HubScoutBundle
import HubScoutCache
import HubScoutCore
import HubScoutTestSupport
import Testing

/// Bundles written from a fixture cache and imported into a fresh one: identical files, valid links
/// and refs, readable by GNU tar and Python's tarfile, compressed, split, selected.
@Suite("Bundles: round trip")
struct BundleTests {
    typealias H = BundleTestHelpers

    /// Every file of `repo` at `commit` is in `cache` as a relative link into `blobs/<etag>` with the same bytes.
    static func expectIdentical(_ repo: FixtureRepo, commit: String, in root: String, sameBlobNames: Bool = true) async throws {
        let id = try RepoID(repo.id)
        let index = try #require(repo.commits.firstIndex(of: commit))
        for record in repo.files[index] {
            let entry = root + "/" + id.cacheFolderName + "/snapshots/" + commit + "/" + record.path
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: entry)
            let depth = record.path.split(separator: "/").count - 1
            #expect(target.hasPrefix(String(repeating: "../", count: depth + 2) + "blobs/"), "\(record.path) → \(target)")
            if sameBlobNames { #expect(target.hasSuffix("/" + record.etag), "\(record.path) → \(target), expected \(record.etag)") }
            let bytes = try await H.contents(entry)
            #expect(bytes == record.file.bytes(), "\(repo.id) \(record.path) differs after import")
        }
    }

    @Test("create, then import into a fresh cache: the same files, links and refs; a second import writes nothing")
    func roundTrip() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let creator = BundleCreator(cache: source.cache, options: .init(hubscoutVersion: "test"))
        let specs = try ["acme/tiny", "acme/multi", "acme/multi@v1", "acme/plain"].map { try BundleSpec(parsing: $0) }
        let created = try await creator.create(specs, output: work + "/models.tar", modelInfo: ["acme/tiny": .object(["id": .string("acme/tiny")])])
        #expect(created.files == 5 + 3 + 2 + 2)
        #expect(created.repos.count == 4)
        #expect(created.volumes == [work + "/models.tar"])
        #expect(created.sha256 == H.sha256(try await H.contents(work + "/models.tar")))
        #expect(created.bytes == Int64(try await H.contents(work + "/models.tar").count))

        let manifest = try await BundleReader.manifest(at: work + "/models.tar")
        #expect(manifest.formatVersion == 1)
        #expect(manifest.repos.map(\.id) == ["acme/tiny", "acme/multi", "acme/multi", "acme/plain"])
        let tiny = try #require(manifest.repos.first)
        #expect(tiny.refs == ["main"])
        #expect(tiny.modelInfo?["id"]?.stringValue == "acme/tiny")
        #expect(tiny.card?.contains("license: mit") == true)
        #expect(tiny.config?["model_type"]?.stringValue == "llama")
        let weights = try #require(tiny.files.first { $0.path == "model.safetensors" })
        #expect(weights.lfs && weights.sha256 == source.tiny.file("model.safetensors")?.etag && weights.gitBlobId == nil)
        let vocab = try #require(tiny.files.first { $0.path == "tokenizer/vocab.txt" })
        #expect(!vocab.lfs && vocab.gitBlobId == source.tiny.file("tokenizer/vocab.txt")?.etag)
        #expect(manifest.repos[2].refs == ["v1"])

        let verified = try await BundleVerifier.verify(work + "/models.tar")
        #expect(verified.files == created.files)

        let target = work + "/hub"
        let importer = BundleImporter(cache: HubCache(root: target))
        let imported = try await importer.import(work + "/models.tar")
        // acme/multi's weights.bin is one blob for both commits: the second revision only links it.
        #expect(imported.filesImported + imported.filesSkipped == created.files)
        #expect(imported.filesSkipped == 1)
        #expect(imported.bytesWritten == created.contentBytes - 200_000)
        try await Self.expectIdentical(source.tiny, commit: source.tiny.head, in: target)
        try await Self.expectIdentical(source.multi, commit: source.multi.commits[0], in: target)
        try await Self.expectIdentical(source.multi, commit: source.multi.commits[1], in: target)
        try await Self.expectIdentical(source.plain, commit: source.plain.head, in: target)
        for (repo, name) in [(source.tiny, "main"), (source.multi, "main"), (source.multi, "v1"), (source.plain, "main")] {
            let ref = try String(contentsOfFile: target + "/" + (try RepoID(repo.id)).cacheFolderName + "/refs/" + name, encoding: .utf8)
            #expect(ref == repo.refs[name], "\(repo.id) refs/\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: target + "/CACHEDIR.TAG"))
        #expect(H.leftovers(target).isEmpty)

        // The inventory sees complete revisions with no dangling link and no ref to a missing snapshot.
        let inventory = CacheScanner(root: target).scan()
        #expect(inventory.warnings.isEmpty, "\(inventory.warnings)")
        #expect(inventory.repos.flatMap(\.revisions).allSatisfy { $0.files.allSatisfy { !$0.missing } })
        // And hubscout's own cache check hashes every imported blob to its name.
        let report = try await CacheVerifier(inventory: inventory).verify()
        #expect(report.isClean)
        #expect(report.verifiedCount == H.blobs(target).count)

        let again = try await importer.import(work + "/models.tar")
        #expect(again.filesImported == 0)
        #expect(again.filesSkipped == created.files)
        #expect(again.bytesWritten == 0)
    }

    @Test("GNU tar and Python's tarfile read a bundle, and tar -x gives the same bytes")
    func readableByOtherTools() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let created = try await BundleCreator(cache: source.cache, options: .init(hubscoutVersion: "test"))
            .create([try BundleSpec(parsing: "acme/tiny")], output: work + "/tiny.tar")
        let members = [BundleManifest.memberName] + ["README.md", "config.json", "empty.txt", "model.safetensors", "tokenizer/vocab.txt"]
            .map { BundleManifest.memberName(repo: try! RepoID("acme/tiny"), commit: source.tiny.head, path: $0) }

        let tar = try await H.run("/usr/bin/tar", ["-tf", created.path])
        #expect(tar.status == 0, "\(tar.output)")
        #expect(tar.output.split(separator: "\n").map(String.init) == members)

        let script = "import sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n    assert t.pax_headers is not None\n    for m in t.getmembers():\n        assert m.isreg(), m.name\n        print(m.name)\n"
        let python = try await H.run("/usr/bin/env", ["python3", "-c", script, created.path])
        #expect(python.status == 0, "\(python.output)")
        #expect(python.output.split(separator: "\n").map(String.init) == members)

        let extract = try await H.run("/usr/bin/tar", ["-xf", created.path, "-C", work])
        #expect(extract.status == 0, "\(extract.output)")
        for record in source.tiny.files[0] {
            let bytes = try await H.contents(work + "/" + BundleManifest.memberName(repo: try RepoID("acme/tiny"), commit: source.tiny.head, path: record.path))
            #expect(bytes == record.file.bytes(), "\(record.path)")
        }
    }

    @Test("a .tar.zst bundle is zstd-compressed, read by tar --zstd, verified and imported", .enabled(if: BundleCompression.zstdAvailable))
    func zstd() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let output = work + "/tiny.tar.zst"
        let created = try await BundleCreator(cache: source.cache, options: .init(compression: .forFileName(output), hubscoutVersion: "test"))
            .create([try BundleSpec(parsing: "acme/tiny")], output: output)
        #expect(created.compression == .zstd)
        let head = try await H.contents(output).prefix(4)
        #expect(Array(head) == [0x28, 0xb5, 0x2f, 0xfd], "zstd frame magic")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd") {
            let tar = try await H.run("/usr/bin/tar", ["--zstd", "-tf", output])
            #expect(tar.status == 0, "\(tar.output)")
            #expect(tar.output.hasPrefix(BundleManifest.memberName + "\n"))
        }
        #expect(try await BundleVerifier.verify(output).files == 5)
        let target = work + "/hub"
        let imported = try await BundleImporter(cache: HubCache(root: target)).import(output)
        #expect(imported.filesImported == 5)
        try await Self.expectIdentical(source.tiny, commit: source.tiny.head, in: target)
    }

    @Test("--split writes volumes of at most the size; they import by their base name and concatenate to the bundle")
    func volumes() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let output = work + "/tiny.tar"
        let created = try await BundleCreator(cache: source.cache, options: .init(volumeSize: 1 << 20, hubscoutVersion: "test"))
            .create([try BundleSpec(parsing: "acme/tiny")], output: output)
        #expect(created.volumes == (0..<4).map { output + ".00\($0)" })
        #expect(!FileManager.default.fileExists(atPath: output))
        var joined = Data()
        for volume in created.volumes {
            let bytes = try await H.contents(volume)
            #expect(bytes.count <= 1 << 20)
            joined.append(bytes)
        }
        #expect(Int64(joined.count) == created.bytes)
        #expect(H.sha256(joined) == created.sha256)
        #expect(try await BundleVerifier.verify(output + ".000").files == 5)
        let target = work + "/hub"
        #expect(try await BundleImporter(cache: HubCache(root: target)).import(output).filesImported == 5)
        try await Self.expectIdentical(source.tiny, commit: source.tiny.head, in: target)
        // Writing again over existing volumes is refused.
        await #expect(throws: BundleError.outputExists(output + ".000")) {
            _ = try await BundleCreator(cache: source.cache, options: .init(volumeSize: 1 << 20, hubscoutVersion: "test"))
                .create([try BundleSpec(parsing: "acme/tiny")], output: output)
        }
    }

    @Test("a quant keeps its GGUF files and every other file; --include and --exclude narrow the selection")
    func selection() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let quant = try await BundleCreator(cache: source.cache, options: .init(hubscoutVersion: "test"))
            .manifest(for: [try BundleSpec(parsing: "acme/gguf:Q4_K_M")])
        #expect(quant.repos[0].files.map(\.path) == ["README.md", "m-Q4_K_M.gguf", "sub/m-q4_k_m-00002.gguf"])
        let globbed = try await BundleCreator(cache: source.cache, options: .init(selection: BundleSelection(include: ["*.json", "*.txt"], exclude: ["tokenizer/*"]), hubscoutVersion: "test"))
            .manifest(for: [try BundleSpec(parsing: "acme/tiny")])
        #expect(globbed.repos[0].files.map(\.path) == ["config.json", "empty.txt"])
        await #expect(throws: BundleError.self) {
            _ = try await BundleCreator(cache: source.cache, options: .init(selection: BundleSelection(include: ["*.nothing"]), hubscoutVersion: "test"))
                .manifest(for: [try BundleSpec(parsing: "acme/tiny")])
        }
        #expect(try BundleSpec(parsing: "org/name@refs/pr/1:Q8_0") == BundleSpec(repo: try RepoID("org/name"), revision: "refs/pr/1", quant: "Q8_0"))
        #expect(throws: BundleError.self) { try BundleSpec(parsing: "org/../x") }
    }

    @Test("a revision that is not cached, or a damaged blob, is a clear error and leaves no output")
    func missingAndDamagedSources() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let creator = BundleCreator(cache: source.cache, options: .init(hubscoutVersion: "test"))
        do {
            _ = try await creator.create([try BundleSpec(parsing: "acme/absent")], output: work + "/a.tar")
            Issue.record("an absent repository was bundled")
        } catch {
            guard case let .notCached(repo, revision, _, _) = error else { Issue.record("\(error)"); return }
            #expect(repo == "acme/absent" && revision == "main")
            #expect(error.description.contains("hubscout download acme/absent"))
        }
        await #expect(throws: BundleError.self) { _ = try await creator.create([try BundleSpec(parsing: "acme/tiny@v9")], output: work + "/a.tar") }

        // Flip one byte of a cached blob: the bundle is refused, naming the file, and nothing is left behind.
        let record = try #require(source.tiny.file("model.safetensors"))
        let blob = source.fixture.root.path + "/models--acme--tiny/blobs/" + record.etag
        try await OffPool.run {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: blob))
            try handle.seek(toOffset: 1000)
            try handle.write(contentsOf: Data([0xff ^ record.file.bytes(1000..<1001)[0]]))
            try handle.close()
        }
        do {
            _ = try await creator.create([try BundleSpec(parsing: "acme/tiny")], output: work + "/b.tar")
            Issue.record("a damaged blob was bundled")
        } catch {
            guard case let .corruptCache(repo, path, expected, _) = error else { Issue.record("\(error)"); return }
            #expect(repo == "acme/tiny" && path == "model.safetensors" && expected == record.etag)
        }
        #expect(H.tree(work).isEmpty, "\(H.tree(work))")
    }

    @Test("the hubscout binary: create --json, ls, verify and import --json print the documented keys")
    func commandLine() async throws {
        let source = try await H.source()
        defer { source.fixture.remove() }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let environment = ["HF_HUB_OFFLINE": "1", "HUBSCOUT_NO_CATALOG": "1", "HF_ENDPOINT": "http://127.0.0.1:9"]
        let create = try await CLIRunner.run(["bundle", "create", "acme/tiny", "acme/gguf:Q8_0", "-o", work + "/b.tar",
                                              "--cache-dir", source.fixture.root.path, "--json"], environment: environment)
        #expect(create.status == 0, "\(create.stderr)")
        let created = try create.object()
        #expect(Set(created.keys).isSuperset(of: ["path", "repos", "files", "bytes", "sha256"]))
        #expect(created["files"] as? Int == 7)
        #expect(created["sha256"] as? String == H.sha256(try await H.contents(work + "/b.tar")))

        let ls = try await CLIRunner.run(["bundle", "ls", work + "/b.tar"], environment: environment)
        #expect(ls.status == 0, "\(ls.stderr)")
        #expect(ls.stdout.contains("acme/gguf/m-Q8_0.gguf") && !ls.stdout.contains("Q4_K_M"))

        let verify = try await CLIRunner.run(["bundle", "verify", work + "/b.tar"], environment: environment)
        #expect(verify.status == 0, "\(verify.stderr)")

        let imported = try await CLIRunner.run(["bundle", "import", work + "/b.tar", "--cache-dir", work + "/hub", "--json"], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        let result = try imported.object()
        #expect(Set(result.keys).isSuperset(of: ["repos", "filesImported", "filesSkipped", "bytesWritten"]))
        #expect(result["filesImported"] as? Int == 7)

        let absent = try await CLIRunner.run(["bundle", "create", "acme/absent", "-o", work + "/c.tar", "--cache-dir", source.fixture.root.path],
                                             environment: environment)
        #expect(absent.status == 18, "\(absent.stderr)")
        #expect(absent.stderr.contains("acme/absent"))
    }
}
