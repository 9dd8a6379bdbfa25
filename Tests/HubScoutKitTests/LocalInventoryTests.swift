import Crypto
import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutTestSupport
import Testing

/// The cross-tool inventory: one GGUF held by the Hugging Face cache (in its shared store), Ollama, LM Studio and
/// llama.cpp, each in the tool's exact layout, plus bad entries that must be listed as what they are.
@Suite("Local models across tools: ls --all, duplicates, dedupe", .serialized)
struct LocalInventoryTests {
    static let gguf: Data = {
        let tensors: [GGUFEncoder.Entry] = [
            .init(name: "token_embd.weight", dimensions: [256, 64], type: .q8_0),
            .init(name: "blk.0.attn_q.weight", dimensions: [256, 64], type: .q4_K),
        ]
        let metadata: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string("llama")), ("general.file_type", .uint32(15)),
            ("llama.context_length", .uint32(4096)), ("llama.block_count", .uint32(1)),
            ("llama.embedding_length", .uint32(256)), ("llama.attention.head_count", .uint32(4)),
            ("llama.attention.head_count_kv", .uint32(2)),
        ]
        return GGUFWriter(metadata: metadata, tensors: tensors, fill: .pattern(seed: 41)).fileData()
    }()

    static var sha: String { SHA256.hash(data: gguf).map { String(format: "%02x", $0) }.joined() }

    /// A home folder with every tool's store.
    struct Stores {
        let home: String
        var hub: String { home + "/hf" }
        var ollama: String { home + "/.ollama/models" }
        var lmstudio: String { home + "/.lmstudio/models" }
        var llama: String { home + "/llama" }
        var extra: String { home + "/extra" }
        var hubRepo: FixtureRepo

        var environment: [String: String] { ["HOME": home, "HF_HUB_CACHE": hub, "LLAMA_CACHE": llama, "HF_HUB_OFFLINE": "1"] }
        var locations: LocalModelLocations {
            LocalModelLocations.standard(environment: ["HOME": home, "LLAMA_CACHE": llama], huggingFaceCache: hub, paths: [extra])
        }
        var ollamaBlob: String { ollama + "/blobs/sha256-" + LocalInventoryTests.sha }
        var lmstudioFile: String { lmstudio + "/acme/tiny-GGUF/tiny-Q4_K_M.gguf" }
        var llamaFile: String { llama + "/acme_tiny-GGUF_tiny-Q4_K_M.gguf" }

        func remove() { try? FileManager.default.removeItem(atPath: home) }
    }

    static func write(_ data: Data, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func makeStores() throws -> Stores {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-tools-\(UUID().uuidString)").path
        // Hugging Face cache, its GGUF moved into the shared store.
        let cache = try FixtureCache(root: URL(fileURLWithPath: home + "/hf"))
        let repo = try cache.addRepo("acme/tiny-GGUF", commits: [[FixtureFile("tiny-Q4_K_M.gguf", data: gguf, lfs: true)]])
        try SharedStoreFixture.mark(cache)
        try SharedStoreFixture.adopt(cache, repo, "tiny-Q4_K_M.gguf")
        let stores = Stores(home: home, hubRepo: repo)

        // Ollama, pulled from hf.co/acme/tiny-GGUF:Q4_K_M.
        try write(gguf, stores.ollamaBlob)
        let config = Data(#"{"model_format":"gguf","model_family":"llama","model_type":"1M","file_type":"Q4_K_M","os":"linux","architecture":"amd64"}"#.utf8)
        let configSHA = SHA256.hash(data: config).map { String(format: "%02x", $0) }.joined()
        try write(config, stores.ollama + "/blobs/sha256-" + configSHA)
        let manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
         "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:\(configSHA)","size":\(config.count)},
         "layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:\(sha)","size":\(gguf.count)}]}
        """
        try write(Data(manifest.utf8), stores.ollama + "/manifests/hf.co/acme/tiny-GGUF/Q4_K_M")
        // A manifest naming a blob that is not there, and a download in progress.
        let ghost = String(repeating: "ab", count: 32)
        try write(Data(#"{"schemaVersion":2,"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:\#(ghost)","size":10}]}"#.utf8),
                  stores.ollama + "/manifests/registry.ollama.ai/library/ghost/latest")
        try write(Data(count: 100), stores.ollama + "/blobs/sha256-" + ghost + "-partial")

        // LM Studio, plus a broken link.
        try write(gguf, stores.lmstudioFile)
        try FileManager.default.createSymbolicLink(atPath: stores.lmstudio + "/acme/tiny-GGUF/gone-Q8_0.gguf", withDestinationPath: "/nonexistent/x.gguf")

        // llama.cpp's flat -hf cache with its manifest, and a download in progress.
        try write(gguf, stores.llamaFile)
        try write(Data(#"{"ggufFile":{"rfilename":"tiny-Q4_K_M.gguf","lfs":{"sha256":"\#(sha)","size":\#(gguf.count)}}}"#.utf8),
                  stores.llama + "/manifest=acme=tiny-GGUF=Q4_K_M.json")
        try write(Data(count: 50), stores.llama + "/acme_other_x.gguf.downloadInProgress")

        // A folder given by hand: a different GGUF.
        var other = gguf
        other[other.count - 1] ^= 0xFF
        try write(other, stores.extra + "/mine/other-Q4_K_M.gguf")
        return stores
    }

    static func identity(_ path: String) -> FileIdentity? { FileFacts.stat(path)?.identity }

    @Test("the scan lists the GGUF in every tool's layout with its Hub identity and quantization, and names each bad entry")
    func scansEveryTool() throws {
        let stores = try Self.makeStores()
        defer { stores.remove() }
        let inventory = LocalModelScanner(locations: stores.locations).scan()
        let byTool = Dictionary(grouping: inventory.models, by: \.tool)
        #expect(byTool[.huggingface]?.map(\.name) == ["acme/tiny-GGUF:Q4_K_M"])
        #expect(byTool[.ollama]?.map(\.name) == ["hf.co/acme/tiny-GGUF:Q4_K_M"])
        #expect(byTool[.ollama]?.first?.repo == "acme/tiny-GGUF" && byTool[.ollama]?.first?.quantization == "Q4_K_M")
        #expect(byTool[.lmstudio]?.map(\.name) == ["acme/tiny-GGUF/tiny-Q4_K_M.gguf"])
        #expect(byTool[.lmstudio]?.first?.repo == "acme/tiny-GGUF")
        #expect(byTool[.llamacpp]?.map(\.name) == ["acme/tiny-GGUF:Q4_K_M"])
        #expect(byTool[.llamacpp]?.first?.files.first?.statedSHA256 == Self.sha)
        #expect(byTool[.path]?.map(\.name) == ["other-Q4_K_M.gguf"])
        for model in inventory.models where model.tool != .path { #expect(model.sizeBytes == Int64(Self.gguf.count), "\(model.tool)") }
        let problems = inventory.problems.map(\.problem)
        #expect(problems.contains { $0.hasPrefix("manifest names missing blob") })
        #expect(problems.contains("broken link"))
        #expect(inventory.problems.filter { $0.problem.hasPrefix("partial download") }.map(\.tool) == [.llamacpp])
        #expect(!inventory.models.contains { $0.name.contains("ghost") })
    }

    @Test("duplicates are found by content, only files whose size another file shares are hashed, each once, and a second scan hashes nothing")
    func findsDuplicatesOnce() async throws {
        let stores = try Self.makeStores()
        defer { stores.remove() }
        let memo = InMemoryHashMemo()
        let inventory = LocalModelScanner(locations: stores.locations).scan()
        let first = try await DuplicateFinder(memo: memo).find(in: inventory)
        #expect(first.groups.count == 1)
        let group = try #require(first.groups.first)
        #expect(group.sha256 == Self.sha && group.copies.count == 4)
        #expect(group.copies.first?.users.first?.tool == .huggingface)   // the kept copy
        // LM Studio's file and the --path file of the same size; the others state their sha256 in their names or manifests.
        #expect(first.hashedFiles == 2)
        let second = try await DuplicateFinder(memo: memo).find(in: LocalModelScanner(locations: stores.locations).scan())
        #expect(second.hashedFiles == 0 && second.rememberedFiles == 2)
        #expect(second.groups == first.groups)
    }

    @Test("ls --all --json lists every tool's copy with parameters, fit and one duplicate group; dedupe links them and every tool still reads its file")
    func cliListsAndDedupes() async throws {
        let stores = try Self.makeStores()
        defer { stores.remove() }
        let listing = try await CLIRunner.run(["ls", "--all", "--path", stores.extra, "--json"], environment: stores.environment)
        #expect(listing.status == 0, "\(listing.stderr)")
        let rows = try listing.array()
        #expect(Set(rows.compactMap { $0["tool"] as? String }) == ["huggingface", "ollama", "lmstudio", "llamacpp", "path"])
        let copies = rows.filter { $0["tool"] as? String != "path" }
        #expect(copies.count == 4)
        #expect(Set(copies.compactMap { $0["duplicateGroup"] as? Int }) == [1])
        #expect(copies.allSatisfy { $0["sha256"] as? String == Self.sha })
        #expect(copies.allSatisfy { ($0["parameters"] as? NSNumber)?.int64Value ?? 0 > 0 })
        #expect(copies.allSatisfy { ($0["contextLength"] as? Int) == 4096 })
        #expect(copies.allSatisfy { $0["fit"] is [String: Any] })
        // Each copy is sized as the file it is (its own quant, read from the header where the name doesn't say it, as
        // for Ollama's digest-named blob), never as an unknown.
        for copy in copies {
            let fit = copy["fit"] as? [String: Any]
            #expect(fit?["format"] as? String == copy["quantization"] as? String, "\(copy["tool"] ?? "")")
            #expect(fit?["fits"] is Bool, "\(copy["tool"] ?? "")")
        }
        #expect(rows.first { $0["tool"] as? String == "path" }?["duplicateGroup"] is NSNull)
        #expect(listing.stderr.contains("manifest names missing blob"))

        let size = Int64(Self.gguf.count)
        let dry = try await CLIRunner.run(["dedupe", "--dry-run", "--json"], environment: stores.environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try dry.object()
        #expect((plan["reclaimableBytes"] as? NSNumber)?.int64Value == 3 * size)
        #expect(Set([stores.ollamaBlob, stores.lmstudioFile, stores.llamaFile].compactMap(Self.identity)).count == 3)   // nothing changed

        let done = try await CLIRunner.run(["dedupe", "--json"], environment: stores.environment)
        #expect(done.status == 0, "\(done.stderr)")
        #expect((try done.object()["reclaimedBytes"] as? NSNumber)?.int64Value == 3 * size)
        let storeBlob = try #require(FileFacts.realPath(stores.hub + "/models--acme--tiny-GGUF/snapshots/\(stores.hubRepo.head)/tiny-Q4_K_M.gguf"))
        let kept = try #require(Self.identity(storeBlob))
        for path in [stores.ollamaBlob, stores.lmstudioFile, stores.llamaFile] { #expect(Self.identity(path) == kept, "\(path)") }
        let again = try await CLIRunner.run(["dedupe", "--dry-run", "--json"], environment: stores.environment)
        #expect((try again.object()["actions"] as? [Any])?.isEmpty == true)

        // Deleting the model in one tool leaves the others' copies working.
        let removed = try await CLIRunner.run(["cache", "rm", "acme/tiny-GGUF", "-y"], environment: stores.environment)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: storeBlob))
        try FileManager.default.removeItem(atPath: stores.lmstudioFile)
        for path in [stores.ollamaBlob, stores.llamaFile] {
            let data = try #require(FileManager.default.contents(atPath: path))
            #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == Self.sha, "\(path)")
        }
    }

    @Test("dedupe re-hashes both files first: a copy whose bytes no longer match its stated sha256 is left alone")
    func dedupeRechecks() async throws {
        let stores = try Self.makeStores()
        defer { stores.remove() }
        let report = try await DuplicateFinder(memo: nil).find(in: LocalModelScanner(locations: stores.locations).scan())
        // After the scan, Ollama's blob is overwritten in place (same size, other bytes): its name still claims the sha256.
        var wrong = Self.gguf
        wrong[100] ^= 0xFF
        let handle = try #require(FileHandle(forUpdatingAtPath: stores.ollamaBlob))
        try handle.write(contentsOf: wrong)
        try handle.close()
        let deduplicator = Deduplicator(report: report)
        let result = await deduplicator.execute(deduplicator.plan())
        #expect(result.skipped.map(\.path) == [stores.ollamaBlob])
        #expect(result.skipped.first?.reason.contains("sha256") == true)
        #expect(result.linked.count == 2)
        #expect(Self.identity(stores.ollamaBlob) != Self.identity(stores.lmstudioFile))
        #expect(FileManager.default.contents(atPath: stores.ollamaBlob) == wrong)
    }
}
