import Foundation
import HubScoutCache
import HubScoutCore
import HubScoutNetwork
import HubScoutTestSupport
import Testing
@testable import HubScoutKit
@testable import HubScoutServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fuzzing of what hubscout reads from a Hub, a mirror or the local disk: every decoder returns a value or
/// throws, for any input, quickly. Inputs are mutations of recorded real responses (`Fixtures/wire-seeds`).
///
/// The default run feeds each decoder a fixed, deterministic sample. A long run feeds 100,000 per decoder
/// (and 10,000 cache trees, built on disk, to the scanner): `scripts/fuzz.sh`, or
/// `HUBSCOUT_FUZZ_ITERATIONS=100000 swift test --disable-xctest --skip-build --filter WireFuzzTests`.
/// Each test prints `wire-fuzz | decoder | inputs | decoded | rejected | crashes | hangs | …`; a crash ends
/// the process, so a finished run means zero crashes; the input that killed it is printed in hex before the backtrace.
@Suite("wire fuzz", .serialized)
struct WireFuzzTests {
    static let json = FuzzMutator(dictionary: FuzzMutator.json + FuzzMutator.hostileValues)
    static let header = FuzzMutator(dictionary: FuzzMutator.header + FuzzMutator.hostileNumbers)

    /// The common verdict: no hang, no broken promise, and inputs both decoded and rejected (the mutations
    /// reach past the first byte).
    static func check(_ report: FuzzReport, expectDecoded: Bool = true, expectRejected: Bool = true) {
        #expect(report.hangs.isEmpty, "hangs in \(report.decoder): \(report.hangs.joined(separator: "\n"))")
        #expect(report.violationCount == 0, "\(report.decoder): \(report.violations.joined(separator: "\n"))")
        if expectDecoded { #expect(report.decoded > 0, "\(report.decoder): nothing decoded") }
        if expectRejected { #expect(report.rejected > 0, "\(report.decoder): nothing rejected") }
    }

    // MARK: - Wire decoders

    @Test("model info JSON: decodes or throws; size sums, listings and ids of the result never trap")
    func modelInfo() throws {
        let seeds = WireSeeds.modelInfos
        try #require(seeds.count >= 10)
        let report = FuzzHarness.run("model info", salt: 0x01, count: FuzzBudget.inputs(sample: 1_000),
                                     make: { rng, _ in Self.json.input(from: seeds, &rng) }, bytes: { $0 }) { input, probe in
            let info = try SafeJSON.decode(ModelInfo.self, from: Data(input))
            Self.exercise(info, &probe)
            return .decoded
        }
        Self.check(report)
    }

    @Test("model listing JSON ([ModelInfo]): decodes or throws")
    func modelListing() throws {
        let seeds = WireSeeds.listings
        try #require(seeds.count >= 4)
        let report = FuzzHarness.run("model listing", salt: 0x02, count: FuzzBudget.inputs(sample: 600),
                                     make: { rng, _ in Self.json.input(from: seeds, &rng) }, bytes: { $0 }) { input, probe in
            let page = try SafeJSON.decode([ModelInfo].self, from: Data(input))
            for info in page { Self.exercise(info, &probe) }
            return .decoded
        }
        Self.check(report)
    }

    @Test("tree and paths-info JSON ([TreeEntry]): decodes or throws; listing checks never trap")
    func tree() throws {
        let seeds = WireSeeds.trees
        try #require(seeds.count >= 3)
        let report = FuzzHarness.run("tree / paths-info", salt: 0x03, count: FuzzBudget.inputs(sample: 2_000),
                                     make: { rng, _ in Self.json.input(from: seeds, &rng) }, bytes: { $0 }) { input, probe in
            let entries = try SafeJSON.decode([TreeEntry].self, from: Data(input))
            var sizes: [Int64] = []
            for entry in entries {
                _ = try? SafeRelativePath(entry.path)
                sizes.append(entry.size)
                if entry.isFile, let listed = try? Downloader.Listed(name: entry.path, size: entry.size, lfsSHA256: entry.lfs?.sha256,
                                                                     gitID: entry.oid) {
                    probe.require(listed.size >= 0, "a listed size is negative")
                    probe.require(listed.etag.map { $0.value.utf8.count == 40 || $0.value.utf8.count == 64 } ?? true, "a listed etag is not an id")
                }
            }
            if let total = try? ByteTotal.sum(sizes, field: "tree") { probe.require(total >= 0, "a checked sum is negative") }
            probe.require(ByteTotal.saturatingSum(sizes) >= 0, "a saturating sum is negative")
            _ = try? JSONEncoder().encode(entries)
            return .decoded
        }
        Self.check(report)
    }

    @Test("Link header: finds rel=next or nothing; a found URL resolves or is refused")
    func linkHeader() throws {
        let seeds = WireSeeds.linkHeaders
        try #require(seeds.count >= 4)
        let relations = ["next", "next", "next", "next", "prev", "api-catalog", "ai-catalog", "", " ", "next next"]
        let report = FuzzHarness.run("Link", salt: 0x04, count: FuzzBudget.inputs(sample: 3_000),
                                     make: { rng, _ in (Self.header.text(from: seeds, &rng), rng.pick(relations), rng.pick(WireSeeds.redirectBases)) },
                                     bytes: { Array($0.0.utf8) }) { input, probe in
            guard let url = LinkHeader.url(in: input.0, relation: input.1) else { return .rejected }
            if let next = try? RedirectTarget.resolve(url, from: input.2) { Self.checkRedirect(next, base: input.2, &probe) }
            return .decoded
        }
        Self.check(report)
    }

    @Test("Content-Range: parses to a sane range or nil")
    func contentRange() throws {
        let report = FuzzHarness.run("Content-Range", salt: 0x05, count: FuzzBudget.inputs(sample: 3_000),
                                     make: { rng, _ in Self.header.text(from: WireSeeds.contentRanges, &rng) },
                                     bytes: { Array($0.utf8) }) { input, probe in
            guard let range = ContentRange(input) else { return .rejected }
            probe.require(range.first >= 0 && range.last >= range.first, "first \(range.first) last \(range.last)")
            probe.require(range.total.map { $0 > range.last } ?? true, "total \(String(describing: range.total)) ≤ last \(range.last)")
            return .decoded
        }
        Self.check(report)
    }

    @Test("ETag: a blob id or a protocol error (never a path)")
    func etag() throws {
        let seeds = WireSeeds.etags
        try #require(seeds.count >= 6)
        let report = FuzzHarness.run("ETag (BlobID)", salt: 0x06, count: FuzzBudget.inputs(sample: 3_000),
                                     make: { rng, _ in Self.header.text(from: seeds, &rng) }, bytes: { Array($0.utf8) }) { input, probe in
            do {
                let id = try BlobID(etagHeader: input, field: "X-Linked-Etag")
                probe.require(Self.isLowerHex(id.value) && (id.value.utf8.count == 40 || id.value.utf8.count == 64), "id \(id.value)")
                _ = id.kind
                return .decoded
            } catch {
                probe.require(!"\(error)".isEmpty, "empty error description")
                _ = try? BlobID(wire: input, field: "oid")
                return .rejected
            }
        }
        Self.check(report)
    }

    @Test("commit ids (X-Repo-Commit, sha): 40 lower-case hex or a protocol error")
    func commitHash() throws {
        let seeds = WireSeeds.commits
        try #require(seeds.count >= 3)
        let report = FuzzHarness.run("commit (CommitHash)", salt: 0x07, count: FuzzBudget.inputs(sample: 3_000),
                                     make: { rng, _ in Self.header.text(from: seeds, &rng) }, bytes: { Array($0.utf8) }) { input, probe in
            do {
                let commit = try CommitHash(wire: input, field: "X-Repo-Commit")
                probe.require(Self.isLowerHex(commit.value) && commit.value.utf8.count == 40, "commit \(commit.value)")
                probe.require(CommitHash.isCommitHash(input), "isCommitHash disagrees")
                return .decoded
            } catch {
                probe.require(!"\(error)".isEmpty, "empty error description")
                probe.require(CommitHash(input) == nil, "init? disagrees")
                return .rejected
            }
        }
        Self.check(report)
    }

    @Test("sizes (Content-Length, X-Linked-Size): a non-negative Int64 or a protocol error")
    func wireSize() throws {
        let report = FuzzHarness.run("WireSize", salt: 0x08, count: FuzzBudget.inputs(sample: 3_000),
                                     make: { rng, _ in Self.header.text(from: WireSeeds.sizes, &rng) }, bytes: { Array($0.utf8) }) { input, probe in
            do {
                let size = try WireSize.parse(input, field: "Content-Length")
                probe.require(size >= 0, "negative size \(size)")
                return .decoded
            } catch {
                probe.require(!"\(error)".isEmpty, "empty error description")
                return .rejected
            }
        }
        Self.check(report)
    }

    @Test("redirect Location: an http(s) URL on an allowed scheme, or refused")
    func redirect() throws {
        let seeds = WireSeeds.locations
        try #require(seeds.count >= 4)
        let report = FuzzHarness.run("RedirectTarget", salt: 0x09, count: FuzzBudget.inputs(sample: 2_000),
                                     make: { rng, _ in
                                         let base = rng.chance(10) ? Self.header.text(from: WireSeeds.redirectBases, &rng) : rng.pick(WireSeeds.redirectBases)
                                         return (Self.header.text(from: seeds, &rng), base)
                                     }, bytes: { Array(($0.0 + "\u{0}" + $0.1).utf8) }) { input, probe in
            let next = try RedirectTarget.resolve(input.0, from: input.1)
            Self.checkRedirect(next, base: input.1, &probe)
            return .decoded
        }
        Self.check(report)
    }

    // MARK: - Local readers

    @Test("download sidecar (<partial>.json): loads a consistent state or nothing; relayout keeps it consistent")
    func partialSidecar() throws {
        let folder = try Self.scratch("sidecar")
        defer { FuzzCacheTree.remove(folder) }
        let path = folder + "/model.safetensors.incomplete.json"
        let seeds = try Self.partialStates()
        let encoded = try seeds.map { Array(try JSONEncoder().encode($0)) }
        let report = FuzzHarness.run("partial sidecar", salt: 0x0A, count: FuzzBudget.inputs(sample: 600),
                                     make: { rng, _ in
                                         let k = rng.below(seeds.count)
                                         return (Self.json.input(from: rng.chance(85) ? [encoded[k]] : encoded, &rng), k)
                                     }, bytes: { $0.0 }) { input, probe in
            try Data(input.0).write(to: URL(fileURLWithPath: path))
            let expected = seeds[input.1]
            // Any decodable state: the consistency test itself must not trap.
            if let any = try? SafeJSON.decode(PartialState.self, from: Data(input.0)), any.isConsistent {
                Self.relayout(any, &probe)
            }
            guard let state = PartialFile.loadState(sidecarPath: path, etag: expected.etag, size: expected.size) else { return .rejected }
            probe.require(state.isConsistent && state.etag == expected.etag && state.size == expected.size, "loaded a foreign state")
            Self.relayout(state, &probe)
            return .decoded
        }
        Self.check(report)
    }

    @Test("token file (HF_TOKEN_PATH): a printable-ASCII token, none, or an error naming the file")
    func tokenFile() throws {
        let folder = try Self.scratch("token")
        defer { FuzzCacheTree.remove(folder) }
        let path = folder + "/token"
        let store = TokenStore(environment: HubEnvironment(variables: ["HOME": folder, "HF_HOME": folder, "HF_TOKEN_PATH": path]))
        let seeds = WireSeeds.tokenFiles.map { Array($0.utf8) }
        let mutator = FuzzMutator(dictionary: ["\n", "\r\n", " ", "\t", "\u{0}", "\u{FEFF}", "é", "\u{7F}", "hf_", "\u{2028}"])
        let report = FuzzHarness.run("token file", salt: 0x0B, count: FuzzBudget.inputs(sample: 600),
                                     make: { rng, _ in mutator.input(from: seeds, &rng) }, bytes: { $0 }) { input, probe in
            try Data(input).write(to: URL(fileURLWithPath: path))
            do {
                guard let token = try store.resolve() else { return .rejected }
                probe.require(token.value.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }, "unsafe token accepted")
                probe.require(token.source == .tokenPathFile && token.path == path, "wrong source")
                _ = token.masked
                _ = token.description
                return .decoded
            } catch {
                // The message names the file, never the secret in it.
                let message = "\(error)"
                let secret = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                probe.require(!message.isEmpty && (secret.count < 8 || !message.contains(secret)), "error shows the token")
                return .rejected
            }
        }
        Self.check(report)
    }

    @Test("--local-dir metadata (.cache/huggingface/download/<path>.metadata): fields or nil")
    func localDirectoryMetadata() throws {
        let folder = try Self.scratch("local-dir")
        defer { FuzzCacheTree.remove(folder) }
        let local = LocalDirectory(root: folder)
        let file = try SafeRelativePath("weights/model.safetensors")
        let filePath = try local.filePath(file)
        let metaPath = try local.statePath(file, suffix: ".metadata")
        try FileManager.default.createDirectory(atPath: (filePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: (metaPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("weights".utf8).write(to: URL(fileURLWithPath: filePath))
        // A fixed modification time, so a timestamp in a seed decides acceptance the same way on every run.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: filePath)
        let commit = "dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7"
        let seeds = ["\(commit)\n097417381d6c7230bd9e3557456d726de6e83245ec8b24f529f60198a67b203a\n1700000000.5\n",
                     "\(commit)\ndc08351d4dc0732d9c8af04070ced089b201ce2f\n1700000100\n",
                     "\(commit)\r\n\"dc08351d4dc0732d9c8af04070ced089b201ce2f\"\r\n1.7000001e9\r\n",
                     "\(commit)\n\n1700000000\n", "\(commit)\netag\n1600000000\n"].map { Array($0.utf8) }
        let mutator = FuzzMutator(dictionary: ["\n", "\r", " ", "\t", "\u{0}", "e", "-", ".", "inf", "nan", "1e400", "0x1p30", "é"])
        let paths = ["weights/model.safetensors", "weights/other.bin", "weights", "a/b/c/d.gguf"]
        let report = FuzzHarness.run("local-dir metadata", salt: 0x0C, count: FuzzBudget.inputs(sample: 600),
                                     make: { rng, _ in
                                         let path = rng.chance(90) ? paths[0] : Self.header.text(from: paths, &rng)
                                         return (mutator.input(from: seeds, &rng), path)
                                     }, bytes: { $0.0 + [0] + Array($0.1.utf8) }) { input, probe in
            try Data(input.0).write(to: URL(fileURLWithPath: metaPath))
            let path = try SafeRelativePath(input.1)
            guard let metadata = local.metadata(for: path) else { return .rejected }
            probe.require(CommitHash.isCommitHash(metadata.commit), "commit \(metadata.commit)")
            probe.require(!metadata.etag.isEmpty, "empty etag")
            return .decoded
        }
        Self.check(report)
    }

    @Test("server sidecar (hubscout-server.json): loads or is reported invalid")
    func serverSidecar() throws {
        let folder = try Self.scratch("server-sidecar")
        defer { FuzzCacheTree.remove(folder) }
        let path = folder + "/" + ServerSidecar.fileName
        let seeds = WireSeeds.serverSidecars
        try #require(seeds.count >= 3)
        let report = FuzzHarness.run("server sidecar", salt: 0x0D, count: FuzzBudget.inputs(sample: 600),
                                     make: { rng, _ in Self.json.input(from: seeds, &rng) }, bytes: { $0 }) { input, probe in
            try Data(input).write(to: URL(fileURLWithPath: path))
            switch SidecarReading.read(path: path, known: nil, rejected: nil) {
            case let .loaded(sidecar, _):
                for id in sidecar.repos.keys {
                    probe.require(sidecar.facts(for: id) != nil, "facts(for:) misses \(id)")
                    _ = sidecar.facts(for: id.uppercased())
                }
                _ = sidecar.facts(for: "meta-llama/llama-3.1-8b-instruct")
                _ = try? sidecar.encoded()
                return .decoded
            case let .invalid(reason, _):
                probe.require(!reason.isEmpty, "invalid without a reason")
                return .rejected
            case .absent, .unchanged:
                probe.require(false, "the file was not read")
                return .rejected
            }
        }
        Self.check(report)
    }

    @Test("cache scanner: odd names, bad refs, looping and dangling links, FIFOs, 5 EiB sparse files")
    func cacheScanner() throws {
        let base = try Self.scratch("cache", preferMemory: true)
        defer { FuzzCacheTree.remove(base) }
        var warnings = 0
        let report = FuzzHarness.run("cache scanner", salt: 0x0E, count: FuzzBudget.trees(sample: 100),
                                     make: { rng, index in
                                         FuzzCacheTree.remove(base + "/t\(index - 1)")
                                         var tree = FuzzCacheTree(root: base + "/t\(index)")
                                         tree.build(&rng)
                                         let limits = rng.chance(20) ? (3, 4) : (1_000_000, 64)
                                         return (tree, limits)
                                     }, bytes: { Array($0.0.manifest.joined(separator: "\n").utf8) }) { input, probe in
            let scanner = CacheScanner(root: input.0.root, maxEntries: input.1.0, maxDepth: input.1.1)
            let inventory = scanner.scan()
            warnings += inventory.warnings.count
            probe.require(inventory.totalBytes >= 0, "negative total")
            for repo in inventory.repos {
                probe.require(repo.sizeOnDisk >= 0, "negative repo size")
                for revision in repo.revisions {
                    probe.require(revision.sizeOnDisk >= 0 && revision.files.allSatisfy { $0.size >= 0 }, "negative revision size")
                    _ = revision.displayName
                }
                _ = repo.unreferencedBlobs
                _ = repo.revision("main")
                if let plan = try? CacheCleaner(inventory: inventory).planRemoval(repo: repo.id) {
                    probe.require(plan.bytesFreed >= 0, "negative bytes freed")
                }
            }
            let cleaner = CacheCleaner(inventory: inventory)
            probe.require(cleaner.planGC(maxSize: 1).bytesFreed >= 0, "negative GC plan")
            probe.require(cleaner.planGC(olderThan: 0).bytesFreed >= 0, "negative GC plan")
            _ = try? JSONEncoder().encode(inventory)
            return inventory.repos.isEmpty ? .rejected : .decoded
        }
        print("wire-fuzz note | cache scanner | \(warnings) warnings over \(report.inputs) trees; largest sparse file \(FuzzCacheTree.largestSparse ?? 0) bytes")
        Self.check(report)
    }

    /// Entry points that decode untrusted JSON (see `FuzzKnownTrap`: Foundation's decoder traps on it).
    static let trapEntryPoints = ["model-info", "tree", "partial-sidecar", "server-sidecar", "paths-info"]

    /// Every entry point goes through `SafeJSON`, which measures nesting first: the input that once killed
    /// the process (and, through paths-info, `hubscout serve`) is now an ordinary rejection.
    @Test("JSON ending in the 513th '[' (a Foundation trap) is rejected, not fatal, at every entry point", arguments: trapEntryPoints)
    func knownTrap(_ entry: String) async throws {
        let body = Data(FuzzKnownTrap.input)
        let folder = try Self.scratch("known-trap")
        defer { FuzzCacheTree.remove(folder) }
        switch entry {
        case "model-info": #expect(throws: (any Error).self) { try SafeJSON.decode(ModelInfo.self, from: body) }
        case "tree": #expect(throws: (any Error).self) { try SafeJSON.decode([TreeEntry].self, from: body) }
        case "partial-sidecar":
            try body.write(to: URL(fileURLWithPath: folder + "/x.incomplete.json"))
            let etag = try #require(BlobID("dc08351d4dc0732d9c8af04070ced089b201ce2f"))
            #expect(PartialFile.loadState(sidecarPath: folder + "/x.incomplete.json", etag: etag, size: 1) == nil)
        case "server-sidecar":
            try body.write(to: URL(fileURLWithPath: folder + "/" + ServerSidecar.fileName))
            guard case .invalid = SidecarReading.read(path: folder + "/" + ServerSidecar.fileName, known: nil, rejected: nil) else {
                Issue.record("a sidecar of 513 '[' was not reported invalid")
                return
            }
        default:
            // `hubscout serve`: any client, one request.
            try await TestHubServer.withPopulation { server, _ in
                let url = "\(server.apiURL)/api/models/\(FixturePopulation.filesRepoID)/paths-info/main"
                let response = try await ServerTestClient.send(url, method: .post, headers: ["Content-Type": "application/json"], body: body)
                #expect(response.status == 400)
            }
        }
    }

    @Test("cache scanner: a snapshot folder that links to / is reported, not walked (found by this fuzzer)")
    func snapshotLinkedToRoot() throws {
        let root = try Self.scratch("snapshot-link")
        defer { FuzzCacheTree.remove(root) }
        let repo = root + "/models--acme--model"
        try FileManager.default.createDirectory(atPath: repo + "/snapshots", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: repo + "/refs", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo + "/snapshots/dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7", withDestinationPath: "/")
        try Data("dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7".utf8).write(to: URL(fileURLWithPath: repo + "/refs/main"))
        let started = ContinuousClock.now
        let inventory = CacheScanner(root: root).scan()
        #expect(ContinuousClock.now - started < .seconds(FuzzBudget.hangSeconds))
        let scanned = try #require(inventory.repo("acme/model"))
        #expect(scanned.revisions.isEmpty && scanned.sizeOnDisk == 0)
        #expect(inventory.warnings.contains { $0.contains("is a link, not a snapshot folder") })
    }

    // MARK: - Helpers

    /// What the inspector, the downloader and the catalog do with a decoded model info, minus the network.
    static func exercise(_ info: ModelInfo, _ probe: inout FuzzProbe) {
        _ = (info.license, info.architecture, info.modelType, info.apiParameterCount)
        let isMLX = info.libraryName == "mlx" || info.tags.contains("mlx")
        let siblings = info.siblings ?? []
        let files = siblings.map { sibling in
            let format = RepoFileFormat.of(sibling.path, isMLX: isMLX)
            return ModelInspection.File(path: sibling.path, size: sibling.lfs?.size ?? sibling.size, format: format,
                                        quantization: format == .gguf ? GGUFFileType(fileName: sibling.path)?.rawValue : nil,
                                        sha256: sibling.lfs?.sha256)
        }
        let inspection = ModelInspection(info: info, revision: nil, commit: info.sha, config: nil, card: nil, formula: nil,
                                         parameters: nil, files: files, safetensorsWeightBytes: nil, headerBytesFetched: 0,
                                         headerRequests: 0, warnings: [])
        probe.require(inspection.repoBytes >= 0, "repoBytes \(inspection.repoBytes)")
        _ = inspection.ggufFiles
        if let total = try? ByteTotal.sum(files.compactMap(\.size), field: "siblings") { probe.require(total >= 0, "negative sum") }
        for sibling in siblings {
            _ = try? SafeRelativePath(sibling.path)
            if let size = sibling.size {
                _ = try? Downloader.Listed(name: sibling.path, size: size, lfsSHA256: sibling.lfs?.sha256, gitID: sibling.blobID)
            }
        }
        if let sha = info.sha { _ = try? CommitHash(wire: sha, field: "sha") }
        _ = try? RepoID(info.id)
        _ = try? JSONEncoder().encode(info)
    }

    /// A followed URL must parse again to an http(s) origin, and never downgrade an https request.
    static func checkRedirect(_ next: String, base: String, _ probe: inout FuzzProbe) {
        guard let origin = HTTPOrigin(url: next) else {
            probe.require(false, "resolved \(next) has no http(s) origin")
            return
        }
        if HTTPOrigin(url: base)?.scheme == "https" { probe.require(origin.scheme == "https", "downgraded to \(next)") }
    }

    static func relayout(_ state: PartialState, _ probe: inout FuzzProbe) {
        let done = state.bytesDone
        for (connections, minimum) in [(1, Int64(1)), (8, Int64(1) << 20), (64, Int64.max)] {
            var copy = state
            copy.relayout(connections: connections, minimumPart: minimum)
            probe.require(copy.isConsistent, "relayout(\(connections), \(minimum)) broke consistency")
            probe.require(copy.bytesDone == done, "relayout(\(connections), \(minimum)) changed bytes done")
        }
    }

    /// Sidecars as the downloader writes them: fresh, multi-part mid-download, empty file, git-sha1 etag.
    static func partialStates() throws -> [PartialState] {
        let sha256 = try #require(BlobID("68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"))
        let sha1 = try #require(BlobID("dc08351d4dc0732d9c8af04070ced089b201ce2f"))
        let url = "https://huggingface.co/google-bert/bert-base-uncased/resolve/dd4bc8b21efa05ec961e3efc4ee5e3832a3679c7/model.safetensors"
        let size: Int64 = 440_449_768
        var multi = PartialState.fresh(path: try SafeRelativePath("model.safetensors"), etag: sha256, size: size, resolveURL: url)
        multi.parts = [.init(start: 0, end: 110_000_000, done: 50_000_000), .init(start: 110_000_000, end: 220_000_000, done: 110_000_000),
                       .init(start: 220_000_000, end: 330_000_000, done: 0), .init(start: 330_000_000, end: size, done: 1)]
        multi.contentETag = "\"e864889bee68f907ecb7cec2a713a4fb12280600c4a291e23ae5362d92ef4bfd\""
        var small = PartialState.fresh(path: try SafeRelativePath(".gitattributes"), etag: sha1, size: 345, resolveURL: url)
        small.parts[0].done = 100
        return [PartialState.fresh(path: try SafeRelativePath("model.safetensors"), etag: sha256, size: size, resolveURL: url), multi, small,
                PartialState.fresh(path: try SafeRelativePath("empty.txt"), etag: sha1, size: 0, resolveURL: url)]
    }

    static func isLowerHex(_ text: String) -> Bool { text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } }

    /// A fresh scratch folder (in memory when asked and possible: tmpfs takes 5 EiB sparse files, ext4 16 TiB).
    static func scratch(_ name: String, preferMemory: Bool = false) throws -> String {
        let parent = preferMemory && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : FileManager.default.temporaryDirectory.path
        let path = parent + "/hubscout-wire-fuzz-\(getpid())-\(name)"
        FuzzCacheTree.remove(path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
