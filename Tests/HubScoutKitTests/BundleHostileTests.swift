import Foundation
import HubScoutBundle
import HubScoutCache
import HubScoutCore
import HubScoutTestSupport
import Testing

/// Bundles built by hand to lie: every bad input is refused with an error naming the member, by both
/// `verify` and `import`, and an import leaves nothing half-published (no temporary file, no blob of the
/// bad member, no ref of an incomplete revision).
@Suite("Bundles: hostile and broken input")
struct BundleHostileTests {
    typealias H = BundleTestHelpers

    static let good = Data("good content\n".utf8)
    static let weights = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    /// The usual manifest: a regular file and an LFS file.
    static let manifest = H.manifest(files: [("a.txt", good, false), ("w.bin", weights, true)])

    /// What a refused import left in the cache.
    struct Left {
        /// Files in `blobs/`.
        var blobs: [String]
        /// Every path under the cache root.
        var tree: [String]
    }

    /// Imports `bundle` into a fresh cache, expecting an error `check` accepts; asserts that nothing partial
    /// is left and no ref was written, and returns what the cache holds (the folder is removed).
    @discardableResult
    static func expectRefused(_ bundle: Data, name: String = "bundle.tar", options: BundleImporter.Options = .init(),
                              sourceLocation: SourceLocation = #_sourceLocation,
                              _ check: (BundleError) -> Bool) async throws -> Left {
        let path = try H.write(bundle, name: name)
        let folder = (path as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let root = folder + "/hub"
        do {
            let result = try await BundleImporter(cache: HubCache(root: root), options: options).import(path)
            Issue.record("the import succeeded: \(result)", sourceLocation: sourceLocation)
        } catch {
            #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
        }
        #expect(H.leftovers(root).isEmpty, "\(H.leftovers(root))", sourceLocation: sourceLocation)
        let left = Left(blobs: H.blobs(root), tree: H.tree(root))
        #expect(!left.tree.contains { $0.contains("/refs/") }, "a ref was written: \(left.tree)", sourceLocation: sourceLocation)
        return left
    }

    /// `verify` refuses it too.
    static func expectVerifyRefuses(_ bundle: Data, sourceLocation: SourceLocation = #_sourceLocation, _ check: (BundleError) -> Bool) async throws {
        let path = try H.write(bundle)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try await BundleVerifier.verify(path)
            Issue.record("verify accepted it", sourceLocation: sourceLocation)
        } catch {
            #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("a member whose name leaves the bundle's folders ('..', absolute) is refused by name")
    func traversal() async throws {
        for name in [H.member("../../../../../tmp/evil.txt"), "/tmp/hubscout-evil-\(UUID().uuidString)", "models--acme--evil/./x", "a//b"] {
            var builder = try H.builder(Self.manifest)
            builder.file(name, Self.good)
            let bundle = builder.finished()
            let left = try await Self.expectRefused(bundle) { error in
                guard case let .unsafeMember(member, _) = error else { return false }
                return member == name && error.description.contains(name)
            }
            #expect(left.blobs.isEmpty)
            try await Self.expectVerifyRefuses(bundle) { if case .unsafeMember = $0 { true } else { false } }
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.txt"))
    }

    @Test("symlink, hard link, device, FIFO and folder members are refused, naming the member and its type")
    func specialMembers() async throws {
        let cases: [(BundleTarBuilder.EntryType, String, String)] = [
            (.symlink, "/etc/passwd", "symbolic link"), (.hardlink, "hubscout-bundle.json", "hard link"),
            (.characterDevice, "", "character device"), (.blockDevice, "", "block device"), (.fifo, "", "FIFO"), (.directory, "", "folder"),
        ]
        for (type, target, word) in cases {
            var builder = try H.builder(Self.manifest)
            builder.special(H.member("a.txt"), type: type, linkTarget: target)
            let bundle = builder.finished()
            try await Self.expectRefused(bundle) { error in
                guard case let .unsupportedMemberType(member, kind) = error else { return false }
                return member == H.member("a.txt") && kind == word && error.description.contains(H.member("a.txt"))
            }
            try await Self.expectVerifyRefuses(bundle) { if case .unsupportedMemberType = $0 { true } else { false } }
        }
    }

    @Test("a member listed twice in the archive, or a path listed twice in the manifest, is refused")
    func duplicates() async throws {
        var builder = try H.builder(Self.manifest)
        builder.file(H.member("a.txt"), Self.good)
        builder.file(H.member("a.txt"), Self.good)
        builder.file(H.member("w.bin"), Self.weights)
        try await Self.expectRefused(builder.finished()) { $0 == .duplicateMember(H.member("a.txt")) }

        let twice = H.manifest(files: [("a.txt", Self.good, false), ("a.txt", Self.good, false)])
        var listed = try H.builder(twice)
        listed.file(H.member("a.txt"), Self.good)
        let left = try await Self.expectRefused(listed.finished()) { $0 == .duplicateMember(H.member("a.txt")) }
        #expect(left.blobs.isEmpty)
    }

    @Test("names that differ only in case are refused on a case-insensitive disk, before anything is written; accepted elsewhere")
    func caseCollision() async throws {
        let upper = Data("upper".utf8), lower = Data("lower".utf8)
        let manifest = H.manifest(files: [("Model.txt", upper, false), ("model.txt", lower, false)])
        var builder = try H.builder(manifest)
        builder.file(H.member("Model.txt"), upper)
        builder.file(H.member("model.txt"), lower)
        let bundle = builder.finished()
        let left = try await Self.expectRefused(bundle, options: .init(caseInsensitive: true)) {
            $0 == .caseCollision(H.member("Model.txt"), H.member("model.txt"))
        }
        #expect(left.blobs.isEmpty)
        let path = try H.write(bundle)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let result = try await BundleImporter(cache: HubCache(root: path + ".hub"), options: .init(caseInsensitive: false)).import(path)
        #expect(result.filesImported == 2)
    }

    @Test("a member the manifest does not list is refused")
    func unlisted() async throws {
        var builder = try H.builder(Self.manifest)
        builder.file(H.member("a.txt"), Self.good)
        builder.file(H.member("extra.sh"), Data("rm -rf ~\n".utf8))
        builder.file(H.member("w.bin"), Self.weights)
        let left = try await Self.expectRefused(builder.finished()) { $0 == .memberNotInManifest(H.member("extra.sh")) }
        // What came before it was verified and stays; the unlisted file never reaches the cache.
        #expect(left.blobs == ["models--acme--evil/blobs/" + H.gitID(Self.good)])
        #expect(!left.tree.contains { $0.hasSuffix("extra.sh") })
    }

    @Test("a member whose bytes or size differ from the manifest is refused, and none of it is published")
    func mismatches() async throws {
        var flipped = Self.weights
        flipped[4000] ^= 0x01
        var builder = try H.builder(Self.manifest)
        builder.file(H.member("a.txt"), Self.good)
        builder.file(H.member("w.bin"), flipped)
        let left = try await Self.expectRefused(builder.finished()) { error in
            guard case let .hashMismatch(member, expected, actual) = error else { return false }
            return member == H.member("w.bin") && expected == H.sha256(Self.weights) && actual == H.sha256(flipped)
        }
        #expect(!left.blobs.contains { $0.hasSuffix(H.sha256(Self.weights)) })
        #expect(!left.tree.contains { $0.hasSuffix("w.bin") })

        var regular = try H.builder(Self.manifest)
        regular.file(H.member("a.txt"), Data("evil content\n".utf8))
        try await Self.expectRefused(regular.finished()) { if case .hashMismatch(H.member("a.txt"), _, _) = $0 { true } else { false } }

        var longer = try H.builder(Self.manifest)
        longer.file(H.member("a.txt"), Self.good + Data("more".utf8))
        try await Self.expectRefused(longer.finished()) {
            $0 == .sizeMismatch(member: H.member("a.txt"), expected: Int64(Self.good.count), actual: Int64(Self.good.count + 4))
        }
        try await Self.expectVerifyRefuses(longer.finished()) { if case .sizeMismatch = $0 { true } else { false } }
    }

    @Test("a truncated archive is refused naming the member it stops in, or the first one missing")
    func truncated() async throws {
        var builder = try H.builder(Self.manifest)
        builder.file(H.member("a.txt"), Self.good)
        builder.file(H.member("w.bin"), Self.weights)
        let whole = builder.finished()
        // Cut inside w.bin's content.
        let inside = whole.prefix(whole.count - 1024 - 512 - 1000)
        let left = try await Self.expectRefused(Data(inside)) { error in
            guard case let .truncated(member, _) = error else { return false }
            return member == H.member("w.bin") && error.description.contains(H.member("w.bin"))
        }
        #expect(left.blobs == ["models--acme--evil/blobs/" + H.gitID(Self.good)])
        // Cut cleanly between members (no end-of-archive records either): w.bin never came.
        var first = try H.builder(Self.manifest)
        first.file(H.member("a.txt"), Self.good)
        try await Self.expectRefused(first.data) { error in
            guard case let .truncated(member, _) = error else { return false }
            return member == H.member("w.bin")
        }
        try await Self.expectVerifyRefuses(first.finished()) { if case .truncated = $0 { true } else { false } }
        // Cut inside the manifest.
        let manifestCut = whole.prefix(700)
        try await Self.expectRefused(Data(manifestCut)) { error in
            if case .truncated = error { return true }
            if case .notABundle = error { return true }
            return false
        }
    }

    @Test("an unknown manifest version, a missing manifest and a file that is no tar are refused before anything is written")
    func notReadable() async throws {
        var future = try H.builder(H.manifest(files: [("a.txt", Self.good, false)], formatVersion: 2))
        future.file(H.member("a.txt"), Self.good)
        let left = try await Self.expectRefused(future.finished()) { $0 == .unsupportedManifestVersion(found: 2, supported: 1) }
        #expect(left.tree.isEmpty)

        var headless = BundleTarBuilder()
        headless.file(H.member("a.txt"), Self.good)
        try await Self.expectRefused(headless.finished()) { error in
            guard case let .notABundle(_, reason) = error else { return false }
            return reason.contains(H.member("a.txt"))
        }
        try await Self.expectRefused(Data("this is not a tar archive at all, just some text".utf8)) {
            if case .notABundle = $0 { true } else { false }
        }
        var garbage = BundleTarBuilder()
        garbage.file(BundleManifest.memberName, Data("{\"formatVersion\": 1, \"repos\": [{\"id\": \"../x\"}]}".utf8))
        try await Self.expectRefused(garbage.finished()) { if case .invalidManifest = $0 { true } else { false } }
        var badPath = BundleTarBuilder()
        var manifest = Self.manifest
        manifest.repos[0].files[0].path = "../../outside.txt"
        badPath.file(BundleManifest.memberName, try manifest.encoded())
        try await Self.expectRefused(badPath.finished()) { if case .unsafeMember = $0 { true } else { false } }
    }

    @Test("a disk without room for the missing blobs is refused up front, stating the amount needed")
    func diskFull() async throws {
        var builder = try H.builder(Self.manifest)
        builder.file(H.member("a.txt"), Self.good)
        builder.file(H.member("w.bin"), Self.weights)
        let needed = Int64(Self.good.count + Self.weights.count)
        let left = try await Self.expectRefused(builder.finished(), options: .init(availableSpace: { _ in 100 })) { error in
            guard case let .diskFull(_, wanted, available) = error else { return false }
            return wanted == needed && available == 100 && error.description.contains("\(needed) bytes")
        }
        #expect(left.blobs.isEmpty)
        #expect(!left.tree.contains { $0.contains("snapshots") })
    }

    @Test("a bundle of another commit keeps refs/main where it is (both revisions kept) unless forced")
    func refConflict() async throws {
        let old = String(repeating: "1", count: 40), new = String(repeating: "2", count: 40)
        func bundle(_ commit: String, _ content: Data) throws -> Data {
            var builder = try H.builder(H.manifest(commit: commit, files: [("a.txt", content, false)]))
            builder.file(H.member("a.txt", commit: commit), content)
            return builder.finished()
        }
        let work = H.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let first = work + "/old.tar", second = work + "/new.tar"
        try bundle(old, Data("old".utf8)).write(to: URL(fileURLWithPath: first))
        try bundle(new, Data("new".utf8)).write(to: URL(fileURLWithPath: second))
        let cache = HubCache(root: work + "/hub")
        let refs = work + "/hub/models--acme--evil/refs/main"
        _ = try await BundleImporter(cache: cache).import(first)
        #expect(try String(contentsOfFile: refs, encoding: .utf8) == old)

        let kept = try await BundleImporter(cache: cache).import(second)
        #expect(kept.repos[0].refsKept == [.init(ref: "main", cacheCommit: old, bundleCommit: new)])
        #expect(kept.repos[0].refsWritten.isEmpty)
        #expect(try String(contentsOfFile: refs, encoding: .utf8) == old)
        for commit in [old, new] {
            #expect(FileManager.default.fileExists(atPath: work + "/hub/models--acme--evil/snapshots/\(commit)/a.txt"))
        }

        let forced = try await BundleImporter(cache: cache, options: .init(force: true)).import(second)
        #expect(forced.repos[0].refsMoved == [.init(ref: "main", cacheCommit: old, bundleCommit: new)])
        #expect(try String(contentsOfFile: refs, encoding: .utf8) == new)
        #expect(FileManager.default.fileExists(atPath: work + "/hub/models--acme--evil/snapshots/\(old)/a.txt"))
    }

    @Test("the hubscout binary exits with the documented code and names the member")
    func exitCodes() async throws {
        var flipped = Self.weights
        flipped[10] ^= 0x80
        var builder = try H.builder(Self.manifest)
        builder.file(H.member("a.txt"), Self.good)
        builder.file(H.member("w.bin"), flipped)
        let path = try H.write(builder.finished())
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let environment = ["HF_HUB_OFFLINE": "1", "HUBSCOUT_NO_CATALOG": "1"]
        let run = try await CLIRunner.run(["bundle", "import", path, "--cache-dir", path + ".hub"], environment: environment)
        #expect(run.status == 20, "\(run.stderr)")
        #expect(run.stderr.contains(H.member("w.bin")))

        var evil = try H.builder(Self.manifest)
        evil.special(H.member("a.txt"), type: .symlink, linkTarget: "/etc/passwd")
        let link = try H.write(evil.finished())
        defer { try? FileManager.default.removeItem(atPath: (link as NSString).deletingLastPathComponent) }
        let refused = try await CLIRunner.run(["bundle", "verify", link], environment: environment)
        #expect(refused.status == 22, "\(refused.stderr)")
        #expect(refused.stderr.contains("symbolic link"))
    }
}
