import Foundation
import HubScoutCore
import HubScoutServer
import HubScoutTestSupport
import Testing

/// Repositories for `fit`/`info` answers: a GGUF-only repo, real configs sized from the API count, and a tiny
/// Llama whose config.json and safetensors header are real, so it can be read online and from the cache alike.
enum FitAnswersFixtures {
    static let ggufRepo = "hubscout-answers/Tiny-GGUF"
    static let qwen7B = "hubscout-answers/Qwen2.5-7B"
    static let llama8B = "hubscout-answers/Llama-3.1-8B"
    static let tinyLlama = "hubscout-answers/Tiny-Llama"
    /// In the snapshot built into hubscout too, so the offline catalog answers for it.
    static let qwen3_8B = "Qwen/Qwen3-8B"

    static let qwen25_7BConfig = #"{"architectures":["Qwen2ForCausalLM"],"attention_dropout":0.0,"bos_token_id":151643,"eos_token_id":151643,"hidden_act":"silu","initializer_range":0.02,"model_type":"qwen2","rms_norm_eps":1e-06,"torch_dtype":"bfloat16","use_cache":true,"use_sliding_window":false,"hidden_size":3584,"intermediate_size":18944,"max_position_embeddings":131072,"max_window_layers":28,"num_attention_heads":28,"num_hidden_layers":28,"num_key_value_heads":4,"rope_theta":1000000.0,"sliding_window":131072,"tie_word_embeddings":false,"vocab_size":152064,"transformers_version":"4.40.1"}"#
    static let qwen3_8BConfig = #"{"architectures":["Qwen3ForCausalLM"],"attention_bias":false,"attention_dropout":0.0,"bos_token_id":151643,"eos_token_id":151645,"head_dim":128,"hidden_act":"silu","hidden_size":4096,"initializer_range":0.02,"intermediate_size":12288,"max_position_embeddings":40960,"max_window_layers":36,"model_type":"qwen3","num_attention_heads":32,"num_hidden_layers":36,"num_key_value_heads":8,"rms_norm_eps":1e-06,"rope_scaling":null,"rope_theta":1000000,"sliding_window":null,"tie_word_embeddings":false,"torch_dtype":"bfloat16","transformers_version":"4.51.0","use_cache":true,"use_sliding_window":false,"vocab_size":151936}"#
    static let tinyLlamaConfig = #"{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":256,"intermediate_size":512,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"vocab_size":1024,"max_position_embeddings":4096,"tie_word_embeddings":false,"torch_dtype":"bfloat16","rms_norm_eps":1e-05}"#

    /// A Qwen2-shaped GGUF file of `type` (whole-file type id `fileType`): real metadata, a few small tensors.
    static func gguf(fileType: UInt32, type: GGMLTensorType) -> GGUFWriter {
        let tensors: [GGUFEncoder.Entry] = [
            .init(name: "token_embd.weight", dimensions: [896, 256], type: .q8_0),
            // K-quants pack 256 elements per block: the innermost dimension must be a multiple of 256.
            .init(name: "blk.0.attn_q.weight", dimensions: [1024, 128], type: type),
            .init(name: "blk.0.ffn_down.weight", dimensions: [4864, 256], type: type),
        ]
        let metadata: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string("qwen2")), ("general.file_type", .uint32(fileType)),
            ("qwen2.context_length", .uint32(32768)), ("qwen2.block_count", .uint32(24)),
            ("qwen2.embedding_length", .uint32(896)), ("qwen2.feed_forward_length", .uint32(4864)),
            ("qwen2.attention.head_count", .uint32(14)), ("qwen2.attention.head_count_kv", .uint32(2)),
        ]
        return GGUFWriter(metadata: metadata, tensors: tensors, fill: .pattern(seed: UInt64(fileType)))
    }

    static let q4 = gguf(fileType: 15, type: .q4_K)
    static let q8 = gguf(fileType: 7, type: .q8_0)

    /// The tiny Llama's tensors in BF16, matching its config (untied head).
    static let tinyLlamaWeights: SafetensorsWriter = {
        var tensors: [SafetensorsEncoder.Entry] = [.init(name: "model.embed_tokens.weight", dtype: "BF16", shape: [1024, 256])]
        for layer in 0..<2 {
            let p = "model.layers.\(layer)."
            tensors += [
                .init(name: p + "self_attn.q_proj.weight", dtype: "BF16", shape: [256, 256]),
                .init(name: p + "self_attn.k_proj.weight", dtype: "BF16", shape: [128, 256]),
                .init(name: p + "self_attn.v_proj.weight", dtype: "BF16", shape: [128, 256]),
                .init(name: p + "self_attn.o_proj.weight", dtype: "BF16", shape: [256, 256]),
                .init(name: p + "mlp.gate_proj.weight", dtype: "BF16", shape: [512, 256]),
                .init(name: p + "mlp.up_proj.weight", dtype: "BF16", shape: [512, 256]),
                .init(name: p + "mlp.down_proj.weight", dtype: "BF16", shape: [256, 512]),
                .init(name: p + "input_layernorm.weight", dtype: "BF16", shape: [256]),
                .init(name: p + "post_attention_layernorm.weight", dtype: "BF16", shape: [256]),
            ]
        }
        tensors += [.init(name: "model.norm.weight", dtype: "BF16", shape: [256]), .init(name: "lm_head.weight", dtype: "BF16", shape: [1024, 256])]
        return SafetensorsWriter(tensors: tensors)
    }()

    /// Adds the repositories to `cache`.
    static func add(to cache: FixtureCache) throws {
        let card = FixtureFile.readme(frontMatter: "license: apache-2.0\npipeline_tag: text-generation\nlibrary_name: transformers")
        try cache.addRepo(ggufRepo, commits: [[
            .readme(frontMatter: "license: apache-2.0\npipeline_tag: text-generation\nlibrary_name: gguf"),
            FixtureFile("tiny-q4_k_m.gguf", data: q4.fileData(), lfs: true),
            FixtureFile("tiny-q8_0.gguf", data: q8.fileData(), lfs: true),
        ]], facts: RepoFacts(downloads: 5))
        for (id, config, count) in [(qwen7B, qwen25_7BConfig, Int64(7_615_616_512)), (llama8B, FitSearchFixtures.llama31_8BConfig, Int64(8_030_261_248)),
                                    (qwen3_8B, qwen3_8BConfig, Int64(8_190_735_360))] {
            // The weights are a stand-in: sizes come from the API count (its header does not parse, which is reported).
            try cache.addRepo(id, commits: [[card, FixtureFile("config.json", text: config),
                                              FixtureFile("model.safetensors", generatedSize: 4096, seed: 3)]],
                              facts: RepoFacts(downloads: 10, safetensors: SafetensorsSummary(parameters: ["BF16": count], total: count)))
        }
        try cache.addRepo(tinyLlama, commits: [[card, FixtureFile("config.json", text: tinyLlamaConfig),
                                                 FixtureFile("model.safetensors", data: tinyLlamaWeights.fileData(), lfs: true)]])
    }
}

/// `fit` and `info` give the right answer: gated repos say what `download` says and are sized from public facts,
/// GGUF-only repos are sized and recommended per file, one figure per option, the same bytes online and offline,
/// and a cached repo is read without the network. The built binary runs against the test Hub server.
@Suite("fit and info: right answers (CLI)", .serialized)
struct CLIFitAnswersTests {
    static func int64(_ any: Any?) -> Int64? { (any as? NSNumber)?.int64Value }

    static func withServer(_ body: (TestHubServer, FixtureCache) async throws -> Void) async throws {
        try await TestHubServer.withPopulation { server, population in
            try await OffPool.run { try FitAnswersFixtures.add(to: population.cache) }
            try await body(server, population.cache)
        }
    }

    /// No GPU (the fixture sysroot has none) unless `--gpu` is given; a fresh HOME per run, so a fresh catalog.
    static func environment(_ server: TestHubServer) throws -> [String: String] {
        ["HF_ENDPOINT": server.apiURL, "HUBSCOUT_SYSROOT": try CLIRunner.sysroot("cgroup-v2-container")]
    }

    static func gib(_ bytes: Int64) -> String { String(format: "%.2f", Double(bytes) / Double(1 << 30)) }

    @Test("gated, no token: fit and info say what download says, and answer from public facts, labelled; exit 11 when nothing public sizes it")
    func gated() async throws {
        try await Self.withServer { server, _ in
            let env = try Self.environment(server)
            let repo = FixturePopulation.gatedRepoID
            let download = try await CLIRunner.run(["download", repo], environment: env)
            #expect(download.status == 11)
            let notice = try #require(download.stderr.split(separator: "\n").first { $0.contains("is gated (") }.map(String.init),
                                      "download's stderr: \(download.stderr)")
            #expect(notice.contains("\(server.apiURL)/\(repo)") && notice.contains("hubscout login"))

            let fit = try await CLIRunner.run(["fit", repo, "--gpu", "24GB", "--ram", "64GB", "--json"], environment: env)
            #expect(fit.status == 0, "\(fit.stderr)")
            #expect(fit.stderr.contains(notice), "\(fit.stderr)")
            let root = try fit.object()
            #expect(root["basis"] as? String == "public-facts")
            #expect(root["gated"] as? String == "manual")
            let facts = try #require(root["publicFacts"] as? [String])
            #expect(facts.contains { $0.contains("catalog") && $0.contains("32 layers") }, "\(facts)")
            let parameters = try #require(root["parameters"] as? [String: Any])
            #expect(Self.int64(parameters["total"]) == 8_030_261_248)
            #expect(parameters["source"] as? String == "hubAPI")
            let verdict = try #require(root["fit"] as? [String: Any])
            #expect(verdict["verdict"] as? String == "fits-on-gpu")
            // KV from the catalog's shape: 32 layers × 8 KV heads × 128 × 2 (K, V) × 2 B × 8192 tokens = 1 GiB.
            let fp16 = try #require((root["memory"] as? [String: Any])?["fp16"] as? [String: Any])
            let gib: Int64 = 1 << 30, bf16Bytes: Int64 = 2 * 8_030_261_248
            #expect(Self.int64(fp16["kvCacheBytes"]) == gib)
            #expect(Self.int64(fp16["weightsBytes"]) == bf16Bytes)

            let text = try await CLIRunner.run(["fit", repo, "--gpu", "24GB", "--ram", "64GB"], environment: env)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("ESTIMATE FROM PUBLIC FACTS"))
            #expect(text.stdout.contains("estimate from public facts"))

            let info = try await CLIRunner.run(["info", repo, "--json"], environment: env)
            #expect(info.status == 0, "\(info.stderr)")
            #expect(info.stderr.contains(notice))
            let infoRoot = try info.object()
            #expect(infoRoot["memoryBasis"] as? String == "public-facts")
            #expect(infoRoot["memory"] != nil)

            // Without the catalog nothing public gives the layer shape: download's error and exit code.
            let bare = try await CLIRunner.run(["fit", repo], environment: env.merging(["HUBSCOUT_NO_CATALOG": "1"]) { $1 })
            #expect(bare.status == 11, "\(bare.stdout)\(bare.stderr)")
            #expect(bare.stderr.contains("is a gated repository"))
            #expect(bare.stderr.contains("8.03B parameters"))
            #expect(bare.stdout.isEmpty)

            // With access, the repository's own files are read and nothing is said about gating.
            let granted = try await CLIRunner.run(["fit", repo, "--json"], environment: env.merging(["HF_TOKEN": FixturePopulation.aliceToken]) { $1 })
            #expect(!granted.stderr.contains("is gated"), "\(granted.stderr)")
            if granted.status == 0 { #expect(try granted.object()["basis"] as? String == "repository-files") }
        }
    }

    @Test("GGUF-only repo: sized per file with llama.cpp, the recommendation is a file, what-ifs only on request")
    func ggufOnly() async throws {
        try await Self.withServer { server, _ in
            let env = try Self.environment(server)
            let repo = FitAnswersFixtures.ggufRepo
            let gpu = try await CLIRunner.run(["fit", repo, "--gpu", "24GB", "--ram", "64GB", "--json"], environment: env)
            #expect(gpu.status == 0, "\(gpu.stderr)")
            let root = try gpu.object()
            #expect(root["engine"] as? String == "llama.cpp")
            #expect((root["verdicts"] as? [Any])?.isEmpty == true)
            let memory = try #require(root["memory"] as? [String: Any])
            #expect(memory["fp32"] == nil && memory["fp16"] == nil)
            let files = try #require(root["ggufFiles"] as? [[String: Any]])
            #expect(Set(files.compactMap { $0["quantization"] as? String }) == ["Q4_K_M", "Q8_0"])
            let q8 = try #require(files.first { $0["quantization"] as? String == "Q8_0" })
            // llama.cpp adds a GPU copy of the tied token_embd to the file's tensor bytes.
            #expect((Self.int64((q8["memory"] as? [String: Any])?["weightsBytes"]) ?? 0) > FitAnswersFixtures.q8.tensorBytes)
            // Both fit a 24 GB GPU: the more faithful file.
            let best = try #require(root["fit"] as? [String: Any])
            #expect(best["precision"] as? String == "Q8_0")
            #expect(best["path"] as? String == "tiny-q8_0.gguf")

            let cpu = try await CLIRunner.run(["fit", repo, "--ram", "64GB"], environment: env)
            #expect(cpu.status == 0, "\(cpu.stderr)")
            let lines = cpu.stdout.split(separator: "\n").map(String.init)
            #expect(!lines.contains { $0.hasPrefix("fp32") || $0.hasPrefix("fp16") }, "\(cpu.stdout)")
            #expect(cpu.stdout.contains("runs best as tiny-q4_k_m.gguf"), "\(cpu.stdout)")
            #expect(cpu.stdout.contains("engine llama.cpp"))

            let whatIfs = try await CLIRunner.run(["fit", repo, "--gpu", "24GB", "--ram", "64GB", "--what-ifs", "--json"], environment: env)
            #expect(whatIfs.status == 0, "\(whatIfs.stderr)")
            let asked = try whatIfs.object()
            #expect((asked["verdicts"] as? [[String: Any]])?.compactMap { $0["precision"] as? String } == ["fp32", "fp16", "int8", "int4"])
            #expect((asked["fit"] as? [String: Any])?["precision"] as? String == "Q8_0")

            let engine = try await CLIRunner.run(["fit", repo, "--engine", "default", "--json"], environment: env)
            let asDefault = try engine.object()
            #expect(asDefault["engine"] as? String == "default")
            let q8Default = (asDefault["ggufFiles"] as? [[String: Any]])?.first { $0["quantization"] as? String == "Q8_0" }
            #expect(Self.int64((q8Default?["memory"] as? [String: Any])?["weightsBytes"]) == FitAnswersFixtures.q8.tensorBytes)

            let info = try await CLIRunner.run(["info", repo], environment: env)
            #expect(info.status == 0, "\(info.stderr)")
            #expect(info.stdout.contains("llama.cpp engine"))
            #expect(info.stdout.contains("Recommended here: tiny-q"), "\(info.stdout)")
        }
    }

    @Test("ls knows the parameters and the fit of a GGUF just downloaded: the download records what its headers say")
    func lsAfterGGUFDownload() async throws {
        try await Self.withServer { server, _ in
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-ls-gguf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: home) }
            // Only the Q4 file: a GGUF-only repository has no config.json, so nothing but its header gives the size.
            let env = try Self.environment(server).merging(["HOME": home.path, "HF_HUB_CACHE": home.path + "/hub"]) { $1 }
            let repo = FitAnswersFixtures.ggufRepo
            let download = try await CLIRunner.run(["download", repo + ":Q4_K_M"], environment: env)
            #expect(download.status == 0, "\(download.stderr)")
            let ls = try await CLIRunner.run(["ls", "--json"], environment: env)
            #expect(ls.status == 0, "\(ls.stderr)")
            let models = try #require(try ls.object()["models"] as? [[String: Any]])
            let row = try #require(models.first { ($0["id"] as? String)?.lowercased() == repo.lowercased() }, "\(ls.stdout)")
            #expect(Self.int64(row["parameters"]) == FitAnswersFixtures.q4.parameterCount, "\(row)")
            #expect(row["fitPrecision"] as? String != nil, "\(row)")
            #expect((Self.int64(row["fitTotalBytes"]) ?? 0) > Int64(FitAnswersFixtures.q4.fileData().count) / 2, "\(row)")
        }
    }

    @Test("one figure per option on a CPU-only host: table TOTAL = Why line = fit.totalBytes = ramBytes; int4 recommended")
    func oneFigure() async throws {
        try await Self.withServer { server, _ in
            let env = try Self.environment(server)
            let repo = FitAnswersFixtures.qwen7B
            let json = try await CLIRunner.run(["fit", repo, "--ram", "64GB", "--json"], environment: env)
            #expect(json.status == 0, "\(json.stderr)")
            let root = try json.object()
            let best = try #require(root["fit"] as? [String: Any])
            #expect(best["precision"] as? String == "int4")
            #expect(best["verdict"] as? String == "fits-in-ram")
            #expect(Self.int64(best["totalBytes"]) == Self.int64(best["ramBytes"]))
            #expect(Self.int64(best["gpuBytes"]) == 0)
            let memory = try #require(root["memory"] as? [String: Any])
            let verdicts = try #require(root["verdicts"] as? [[String: Any]])
            #expect(verdicts.count == 4)
            var totals: [String: Int64] = [:]
            for v in verdicts {
                let label = try #require(v["precision"] as? String)
                let total = try #require(Self.int64(v["totalBytes"]))
                #expect(total == Self.int64(v["ramBytes"]), "\(label)")
                #expect(Self.int64((memory[label] as? [String: Any])?["totalBytes"]) == total, "\(label)")
                totals[label] = total
            }

            let text = try await CLIRunner.run(["fit", repo, "--ram", "64GB"], environment: env)
            #expect(text.status == 0, "\(text.stderr)")
            let lines = text.stdout.split(separator: "\n").map(String.init)
            for (label, total) in totals {
                let figure = Self.gib(total)
                let row = try #require(lines.first { $0.hasPrefix(label + " ") || $0.hasPrefix(label + " (native)") }, "\(label) row")
                #expect(row.split(separator: " ").contains(Substring(figure)), "\(label): \(row) vs \(figure)")
                let why = try #require(lines.first { $0.hasPrefix("  \(label): ") }, "\(label) why")
                #expect(why.contains("\(figure) GiB in total"), "\(why)")
            }
            #expect(text.stdout.contains("runs best as int4: \(Self.gib(totals["int4"] ?? 0)) GiB in total"), "\(text.stdout)")
            // int4 is a what-if here: the summary says how a CPU user gets it (a GGUF, not bitsandbytes, which needs a GPU).
            #expect(text.stdout.contains("int4 weights: not in this repository; on a CPU use a Q4_K_M GGUF"), "\(text.stdout)")
        }
    }

    @Test("a safetensors-only repo never suggests quantized weights it lacks without saying how to make them")
    func fixesSayHow() async throws {
        try await Self.withServer { server, _ in
            let env = try Self.environment(server)
            // 7 GB of RAM: only a ~3.9-bit what-if fits Llama-3.1-8B.
            let run = try await CLIRunner.run(["fit", FitAnswersFixtures.llama8B, "--ram", "7GB"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            let mentions = run.stdout.split(separator: "\n").filter { $0.contains("use Q3_K_M") || $0.contains("use Q2_K") }
            #expect(!mentions.isEmpty, "\(run.stdout)")
            for line in mentions { #expect(line.contains("llama-quantize") && line.contains("this repository has none"), "\(line)") }
            let json = try await CLIRunner.run(["fit", FitAnswersFixtures.llama8B, "--ram", "7GB", "--json"], environment: env)
            let fp16 = try #require((try json.object()["verdicts"] as? [[String: Any]])?.first { $0["precision"] as? String == "fp16" })
            let fix = try #require(fp16["cheapestFix"] as? String)
            #expect(fix.contains("quantize"), "\(fix)")
        }
    }

    @Test("the same model gets the same bytes from online search --fits and the offline catalog (Qwen/Qwen3-8B)")
    func onlineOfflineAgree() async throws {
        try await Self.withServer { server, _ in
            let env = try Self.environment(server)
            let online = try await CLIRunner.run(["search", "Qwen3-8B", "--fits", "12GB", "--json"], environment: env)
            #expect(online.status == 0, "\(online.stderr)")
            let offline = try await CLIRunner.run(["search", "Qwen3-8B", "--fits", "12GB", "--offline", "--json"], environment: env)
            #expect(offline.status == 0, "\(offline.stderr)")
            func fit(_ run: CLIRunner.Run) throws -> [String: Any] {
                let row = try #require(try run.array().first { $0["id"] as? String == FitAnswersFixtures.qwen3_8B }, "\(run.stdout)")
                return try #require(row["fit"] as? [String: Any])
            }
            let a = try fit(online), b = try fit(offline)
            #expect(a["precision"] as? String == "int8")
            #expect(a["precision"] as? String == b["precision"] as? String)
            #expect(Self.int64(a["totalBytes"]) != nil)
            #expect(Self.int64(a["totalBytes"]) == Self.int64(b["totalBytes"]))
        }
    }

    @Test("HF_HUB_OFFLINE=1 (or an unreachable Hub): info and fit read a cached repo's config.json and headers, and answer as online; a missing one exits 18")
    func offlineFromCache() async throws {
        try await Self.withServer { server, cache in
            let env = try Self.environment(server)
            let offline = env.merging(["HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": cache.root.path, "HF_ENDPOINT": "http://127.0.0.1:9"]) { $1 }
            let repo = FitAnswersFixtures.tinyLlama
            let args = ["fit", repo, "--gpu", "24GB", "--ram", "64GB", "--json"]
            let online = try await CLIRunner.run(args, environment: env)
            #expect(online.status == 0, "\(online.stderr)")
            let cached = try await CLIRunner.run(args, environment: offline)
            #expect(cached.status == 0, "\(cached.stderr)")
            let a = try online.object(), b = try cached.object()
            #expect(b["basis"] as? String == "local-cache")
            let parameters = try #require(b["parameters"] as? [String: Any])
            #expect(parameters["source"] as? String == "tensorHeaders")
            #expect(Self.int64(parameters["total"]) == FitAnswersFixtures.tinyLlamaWeights.parameterCount)
            let memoryA = try JSONSerialization.data(withJSONObject: a["memory"] ?? [:], options: .sortedKeys)
            let memoryB = try JSONSerialization.data(withJSONObject: b["memory"] ?? [:], options: .sortedKeys)
            #expect(memoryA == memoryB)
            let native = try #require((b["memory"] as? [String: Any])?["native"] as? [String: Any])
            #expect(Self.int64(native["weightsBytes"]) == FitAnswersFixtures.tinyLlamaWeights.dataSize)
            #expect(native["weightsExact"] as? Bool == true)

            let info = try await CLIRunner.run(["info", repo], environment: offline)
            #expect(info.status == 0, "\(info.stderr)")
            #expect(info.stdout.contains("local cache"))
            #expect(info.stdout.contains("\(FitAnswersFixtures.tinyLlamaWeights.parameterCount)"))
            #expect(info.stdout.contains("text-generation"))

            let gguf = try await CLIRunner.run(["fit", FitAnswersFixtures.ggufRepo, "--json"], environment: offline)
            #expect(gguf.status == 0, "\(gguf.stderr)")
            #expect(try gguf.object()["ggufFiles"].map { ($0 as? [Any])?.count } == 2)

            let missing = try await CLIRunner.run(["fit", "hubscout-answers/not-cached"], environment: offline)
            #expect(missing.status == 18)
            #expect(missing.stderr.contains("not in the local cache"))

            // Without HF_HUB_OFFLINE, a Hub that cannot be reached falls back to the cached snapshot, and says so.
            var unreachable = offline
            unreachable["HF_HUB_OFFLINE"] = nil
            let fallback = try await CLIRunner.run(args, environment: unreachable)
            #expect(fallback.status == 0, "\(fallback.stderr)")
            #expect(fallback.stderr.contains("could not be reached"), "\(fallback.stderr)")
            #expect(try fallback.object()["basis"] as? String == "local-cache")
        }
    }
}
