import Crypto
import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutTestSupport
import Testing

/// `hubscout link`: a GGUF variant of a cached repository handed to Ollama, LM Studio and llama.cpp by hard links,
/// then read back through each tool's layout by the inventory.
@Suite("link: a cached GGUF handed to Ollama, LM Studio and llama.cpp without a copy", .serialized)
struct ModelLinkTests {
    static let chatml = "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}"

    static func gguf(fileType: UInt32, seed: UInt64, template: String? = chatml) -> Data {
        let tensors: [GGUFEncoder.Entry] = [
            .init(name: "token_embd.weight", dimensions: [256, 64], type: .q8_0),
            .init(name: "blk.0.attn_q.weight", dimensions: [256, 64], type: .q4_K),
        ]
        var metadata: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string("qwen2")), ("general.file_type", .uint32(fileType)),
            ("qwen2.context_length", .uint32(4096)), ("qwen2.block_count", .uint32(1)),
            ("qwen2.embedding_length", .uint32(256)), ("qwen2.attention.head_count", .uint32(4)),
            ("qwen2.attention.head_count_kv", .uint32(2)),
        ]
        if let template { metadata.append(("tokenizer.chat_template", .string(template))) }
        return GGUFWriter(metadata: metadata, tensors: tensors, fill: .pattern(seed: seed)).fileData()
    }

    static let q4 = gguf(fileType: 15, seed: 7)
    static let q8 = gguf(fileType: 7, seed: 8)
    static func sha(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    struct Home {
        let root: String
        var hub: String { root + "/hf" }
        var ollama: String { root + "/.ollama/models" }
        var lmstudio: String { root + "/.lmstudio/models" }
        var llama: String { root + "/llama" }
        var environment: [String: String] { ["HOME": root, "HF_HUB_CACHE": hub, "LLAMA_CACHE": llama, "HF_HUB_OFFLINE": "1"] }
        var cache: HubCache { HubCache(root: hub) }
        var locations: LocalModelLocations { .standard(environment: ["HOME": root, "LLAMA_CACHE": llama], huggingFaceCache: hub) }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// A cache holding `acme/tiny-GGUF` in two quantizations plus a split one, and each tool's (empty) store.
    static func makeHome() throws -> Home {
        let home = Home(root: FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-link-\(UUID().uuidString)").path)
        let cache = try FixtureCache(root: URL(fileURLWithPath: home.hub))
        _ = try cache.addRepo("acme/tiny-GGUF", commits: [[
            FixtureFile("tiny-Q4_K_M.gguf", data: q4, lfs: true),
            FixtureFile("tiny-Q8_0.gguf", data: q8, lfs: true),
            FixtureFile("Q2_K/tiny-Q2_K-00001-of-00002.gguf", data: gguf(fileType: 10, seed: 9), lfs: true),
            FixtureFile("Q2_K/tiny-Q2_K-00002-of-00002.gguf", data: gguf(fileType: 10, seed: 10), lfs: true),
        ]])
        for store in [home.ollama, home.lmstudio, home.llama] {
            try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        }
        return home
    }

    static func reference(_ text: String) throws -> ModelReference { try ModelReference(text) }

    @Test("each tool's layout is written with hard links to the cache blob, and the inventory lists the model under that tool with its Hub identity")
    func linksEveryTool() async throws {
        let home = try Self.makeHome()
        defer { home.remove() }
        let memo = InMemoryHashMemo()
        let source = try await CachedVariantReader(cache: home.cache, memo: memo).source(Self.reference("acme/tiny-GGUF:q4_k_m"))
        #expect(source.quantization == .q4_K_M)
        #expect(source.weights.map(\.sha256) == [Self.sha(Self.q4)])
        #expect(source.facts.architecture == "qwen2")
        #expect(source.facts.chatTemplate == Self.chatml)
        let blob = try #require(source.weights.first?.contentPath)
        let blobIdentity = try #require(FileFacts.stat(blob)?.identity)

        let linker = ModelLinker()
        for (target, store) in [(ModelLinkTarget.ollama, home.ollama), (.lmstudio, home.lmstudio), (.llamacpp, home.llama)] {
            let plan = try linker.plan(source, to: target, store: store)
            #expect(plan.linkedBytes == Int64(Self.q4.count))
            try linker.apply(plan)
            // A second plan finds everything in place.
            let again = try linker.plan(source, to: target, store: store)
            #expect(again.steps.allSatisfy { $0.action == "present" }, "\(target): \(again.steps.map(\.action))")
        }

        let inventory = LocalModelScanner(locations: home.locations).scan()
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        for tool in [LocalTool.ollama, .lmstudio, .llamacpp] {
            let model = try #require(inventory.models.first { $0.tool == tool }, "\(tool) does not list the model")
            #expect(model.repo == "acme/tiny-GGUF", "\(tool)")
            #expect(model.quantization == "Q4_K_M", "\(tool)")
            #expect(model.files.first?.identity == blobIdentity, "\(tool): the weights are not the cache's file")
        }
        #expect(inventory.models.first { $0.tool == .ollama }?.name == "hf.co/acme/tiny-GGUF:Q4_K_M")
        #expect(inventory.models.first { $0.tool == .lmstudio }?.name == "acme/tiny-GGUF/tiny-Q4_K_M.gguf")

        // Ollama's manifest and config, as ollama create writes them: every digest is the sha256 of its blob.
        let manifestData = try #require(FileManager.default.contents(atPath: home.ollama + "/manifests/hf.co/acme/tiny-GGUF/Q4_K_M"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        #expect(manifest["schemaVersion"] as? Int == 2)
        #expect(manifest["mediaType"] as? String == "application/vnd.docker.distribution.manifest.v2+json")
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        #expect(layers.compactMap { $0["mediaType"] as? String } == ["application/vnd.ollama.image.model", "application/vnd.ollama.image.template",
                                                                     "application/vnd.ollama.image.params"])
        let configRef = try #require(manifest["config"] as? [String: Any])
        for entry in layers + [configRef] {
            let digest = try #require(entry["digest"] as? String)
            let data = try #require(FileManager.default.contents(atPath: home.ollama + "/blobs/sha256-" + digest.dropFirst(7)), "\(digest)")
            #expect("sha256:" + Self.sha(data) == digest)
            #expect((entry["size"] as? NSNumber)?.intValue == data.count)
        }
        let configData = try #require(FileManager.default.contents(atPath: home.ollama + "/blobs/sha256-" + (configRef["digest"] as? String ?? "").dropFirst(7)))
        let config = try #require(try JSONSerialization.jsonObject(with: configData) as? [String: Any])
        #expect(config["model_format"] as? String == "gguf")
        #expect(config["model_family"] as? String == "qwen2")
        #expect(config["file_type"] as? String == "Q4_K_M")
        #expect((config["rootfs"] as? [String: Any])?["diff_ids"] as? [String] == layers.compactMap { $0["digest"] as? String })
        let template = try #require(FileManager.default.contents(atPath: home.ollama + "/blobs/sha256-" + (layers[1]["digest"] as? String ?? "").dropFirst(7)))
        #expect(String(decoding: template, as: UTF8.self).contains("<|im_start|>{{ .Role }}"))
        let params = try #require(FileManager.default.contents(atPath: home.ollama + "/blobs/sha256-" + (layers[2]["digest"] as? String ?? "").dropFirst(7)))
        #expect((try JSONSerialization.jsonObject(with: params) as? [String: Any])?["stop"] as? [String] == ["<|im_start|>", "<|im_end|>"])

        // The digest was hashed once and remembered: a second read of the variant takes it from the memo.
        let key = ContentHashKey(try #require(LocalModelFile.at(blob)))
        #expect(await memo.sha256(for: key) == Self.sha(Self.q4))
    }

    @Test("removing the model from the cache (cache rm) leaves the linked copies working in every tool")
    func survivesCacheRemoval() async throws {
        let home = try Self.makeHome()
        defer { home.remove() }
        for tool in ["ollama", "lmstudio", "llamacpp"] {
            let result = try await CLIRunner.run(["link", "acme/tiny-GGUF:Q4_K_M", "--to", tool], environment: home.environment)
            #expect(result.status == 0, "\(tool): \(result.stderr)")
            #expect(result.stderr.contains("0 B copied"), "\(result.stderr)")
        }
        let removed = try await CLIRunner.run(["cache", "rm", "acme/tiny-GGUF", "-y"], environment: home.environment)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.hub + "/models--acme--tiny-GGUF"))
        let listing = try await CLIRunner.run(["ls", "--all", "--json"], environment: home.environment)
        #expect(listing.status == 0, "\(listing.stderr)")
        let rows = try listing.array()
        #expect(Set(rows.compactMap { $0["tool"] as? String }) == ["ollama", "lmstudio", "llamacpp"])
        for row in rows {
            let path = try #require(row["path"] as? String)
            let weights = row["tool"] as? String == "ollama" ? home.ollama + "/blobs/sha256-" + Self.sha(Self.q4) : path
            let data = try #require(FileManager.default.contents(atPath: weights), "\(weights)")
            #expect(Self.sha(data) == Self.sha(Self.q4), "\(weights)")
        }
    }

    @Test("--dry-run --json lists the steps and writes nothing; the JSON names the tool, the model and the bytes linked")
    func dryRun() async throws {
        let home = try Self.makeHome()
        defer { home.remove() }
        let result = try await CLIRunner.run(["link", "acme/tiny-GGUF:Q8_0", "--to", "ollama", "--dry-run", "--json"], environment: home.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.object()
        #expect(object["dryRun"] as? Bool == true)
        #expect(object["model"] as? String == "hf.co/acme/tiny-GGUF:Q8_0")
        #expect((object["linkedBytes"] as? NSNumber)?.intValue == Self.q8.count)
        #expect((object["copiedBytes"] as? NSNumber)?.intValue == 0)
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["action"] as? String } == ["link", "write", "write", "write", "write"])
        #expect(steps.last?["path"] as? String == home.ollama + "/manifests/hf.co/acme/tiny-GGUF/Q8_0")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: home.ollama))?.isEmpty == true)
    }

    @Test("bad requests are refused with what to do, and write nothing: unknown quant, no quant among several, a split GGUF for Ollama, a taken path, a damaged blob, no store")
    func refusals() async throws {
        let home = try Self.makeHome()
        defer { home.remove() }
        let reader = CachedVariantReader(cache: home.cache)
        await #expect(throws: CachedVariantError.quantizationNotFound(repo: "acme/tiny-GGUF", quantization: "Q5_K_M", available: ["Q2_K", "Q4_K_M", "Q8_0"])) {
            _ = try await reader.source(Self.reference("acme/tiny-GGUF:Q5_K_M"))
        }
        await #expect(throws: CachedVariantError.ambiguous(repo: "acme/tiny-GGUF", available: ["Q2_K", "Q4_K_M", "Q8_0"])) {
            _ = try await reader.source(Self.reference("acme/tiny-GGUF"))
        }
        let split = try await reader.source(Self.reference("acme/tiny-GGUF:Q2_K"))
        #expect(split.weights.map(\.repoPath.value) == ["Q2_K/tiny-Q2_K-00001-of-00002.gguf", "Q2_K/tiny-Q2_K-00002-of-00002.gguf"])
        #expect(throws: ModelLinkError.self) { _ = try ModelLinker().plan(split, to: .ollama, store: home.ollama) }
        // The same split variant is fine for llama.cpp: both parts, flat-named.
        let llama = try ModelLinker().plan(split, to: .llamacpp, store: home.llama)
        #expect(llama.steps.filter { $0.action == "link" }.map(\.path) == [home.llama + "/acme_tiny-GGUF_Q2_K_tiny-Q2_K-00001-of-00002.gguf",
                                                                            home.llama + "/acme_tiny-GGUF_Q2_K_tiny-Q2_K-00002-of-00002.gguf"])

        // LM Studio already has another file under that name: refused, the file untouched.
        let taken = home.lmstudio + "/acme/tiny-GGUF/tiny-Q4_K_M.gguf"
        try FileManager.default.createDirectory(atPath: (taken as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: taken))
        let cli = try await CLIRunner.run(["link", "acme/tiny-GGUF:Q4_K_M", "--to", "lmstudio"], environment: home.environment)
        #expect(cli.status == 24)
        #expect(cli.stderr.contains("already exists"), "\(cli.stderr)")
        #expect(FileManager.default.contents(atPath: taken) == Data("mine".utf8))

        // A blob whose bytes are not its name's sha256.
        let q8 = try await reader.source(Self.reference("acme/tiny-GGUF:Q8_0"))
        let blob = try #require(q8.weights.first?.contentPath)
        let handle = try #require(FileHandle(forUpdatingAtPath: blob))
        try handle.seek(toOffset: 200)
        try handle.write(contentsOf: Data([0xAA]))
        try handle.close()
        let damaged = try await CLIRunner.run(["link", "acme/tiny-GGUF:Q8_0", "--to", "ollama"], environment: home.environment)
        #expect(damaged.status == 20, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("cache verify"))
        #expect(!FileManager.default.fileExists(atPath: home.ollama + "/manifests"))

        // No store for the tool: named, with the fix.
        try FileManager.default.removeItem(atPath: home.llama)
        let missing = try await CLIRunner.run(["link", "acme/tiny-GGUF:Q4_K_M", "--to", "llamacpp"], environment: home.environment)
        #expect(missing.status == 25)
        #expect(missing.stderr.contains("--store"), "\(missing.stderr)")
    }

    @Test("a store on another filesystem is refused before anything is written (a hard link cannot cross, and link never copies)")
    func otherFilesystem() async throws {
        let home = try Self.makeHome()
        defer { home.remove() }
        // /dev/shm is a tmpfs on Linux: another device than the temporary folder's, where there is one.
        let other = "/dev/shm/hubscout-link-\(UUID().uuidString)"
        guard (try? FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)) != nil,
              let otherDevice = FileFacts.stat(other)?.identity.device, otherDevice != FileFacts.stat(home.hub)?.identity.device else {
            try? FileManager.default.removeItem(atPath: other)
            return   // no second filesystem here: nothing to check
        }
        defer { try? FileManager.default.removeItem(atPath: other) }
        let source = try await CachedVariantReader(cache: home.cache).source(Self.reference("acme/tiny-GGUF:Q4_K_M"))
        #expect(throws: ModelLinkError.self) { _ = try ModelLinker().plan(source, to: .lmstudio, store: other) }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: other))?.isEmpty == true)
    }
}
