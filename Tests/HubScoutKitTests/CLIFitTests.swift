import Foundation
import HubScoutCore
import HubScoutServer
import HubScoutTestSupport
import Testing

/// `hubscout fit` and `hubscout search --fits` as a user runs them: the built binary against a started test server.
@Suite("hubscout fit and search --fits (CLI)", .serialized)
struct CLIFitTests {
    static let repo = "hubscout-fit/Qwen2.5-0.5B-GGUF"

    static func int64(_ any: Any?) -> Int64? { (any as? NSNumber)?.int64Value }

    /// A small real GGUF header (Q4_K_M) whose tensor bytes the fit must report exactly.
    static let gguf: GGUFWriter = {
        let tensors: [GGUFEncoder.Entry] = [
            .init(name: "token_embd.weight", dimensions: [896, 256], type: .q8_0),
            // K-quants pack 256 elements per block: the innermost dimension must be a multiple of 256.
            .init(name: "blk.0.attn_q.weight", dimensions: [1024, 128], type: .q4_K),
            .init(name: "blk.0.ffn_down.weight", dimensions: [4864, 256], type: .q6_K),
        ]
        let metadata: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string("qwen2")), ("general.file_type", .uint32(15)),
            ("qwen2.context_length", .uint32(32768)), ("qwen2.block_count", .uint32(24)),
        ]
        return GGUFWriter(metadata: metadata, tensors: tensors, fill: .pattern(seed: 5))
    }()

    static let ggufOnlyRepo = "hubscout-fit/Tiny-GGUF"

    /// A llama-shaped GGUF whose metadata carries everything a KV estimate needs.
    static func tinyGGUF(fileType: UInt32, type: GGMLTensorType) -> GGUFWriter {
        GGUFWriter(metadata: [
            ("general.architecture", .string("llama")), ("general.file_type", .uint32(fileType)),
            ("llama.context_length", .uint32(4096)), ("llama.block_count", .uint32(4)), ("llama.embedding_length", .uint32(256)),
            ("llama.feed_forward_length", .uint32(512)), ("llama.attention.head_count", .uint32(4)),
            ("llama.attention.head_count_kv", .uint32(2)), ("llama.vocab_size", .uint32(1000)),
        ], tensors: [.init(name: "token_embd.weight", dimensions: [256, 1000], type: type),
                     .init(name: "blk.0.attn_q.weight", dimensions: [256, 256], type: type)],
        fill: .pattern(seed: 9))
    }

    /// Serves the population plus a Qwen2.5-0.5B repo with its real config.json and one GGUF file.
    static func withServer(_ body: (TestHubServer) async throws -> Void) async throws {
        try await TestHubServer.withPopulation { server, population in
            try population.cache.addRepo(repo, commits: [[
                .readme(frontMatter: "license: apache-2.0\npipeline_tag: text-generation\nlibrary_name: gguf"),
                FixtureFile("config.json", text: FitSearchFixtures.qwen25_05BConfig),
                FixtureFile("qwen2.5-0.5b-instruct-q4_k_m.gguf", data: gguf.fileData(), lfs: true),
            ]])
            // A GGUF-only repository without config.json: two quants, sized from the first file's header.
            try population.cache.addRepo(ggufOnlyRepo, commits: [[
                .readme(frontMatter: "license: apache-2.0\npipeline_tag: text-generation\nlibrary_name: gguf"),
                FixtureFile("tiny-Q8_0.gguf", data: tinyGGUF(fileType: 7, type: .q8_0).fileData(), lfs: true),
                FixtureFile("tiny-Q4_K_M.gguf", data: tinyGGUF(fileType: 15, type: .q4_K).fileData(), lfs: true),
            ]])
            try FitSearchFixtures.add(to: population.cache)
            try await body(server)
        }
    }

    static func environment(_ server: TestHubServer) throws -> [String: String] {
        // Detection reads a fake tree, so the machine running the tests cannot change the verdicts.
        ["HF_ENDPOINT": server.apiURL, "HUBSCOUT_SYSROOT": try CLIRunner.sysroot("cgroup-v2-container")]
    }

    @Test("fit --json --what-ifs: memory per precision, the verdict (a file of this GGUF-only repo), the GGUF file's exact bytes, hardware and assumptions")
    func fitJSON() async throws {
        try await Self.withServer { server in
            // The repo's only weights are a GGUF file: what-ifs are sized when asked for, never recommended. The default
            // engine keeps the file's weights at their exact bytes (llama.cpp would add a GPU copy of the tied token_embd).
            let run = try await CLIRunner.run(["fit", Self.repo, "--gpu", "24GB", "--ram", "64GB", "--what-ifs", "--engine", "default", "--json"],
                                              environment: try Self.environment(server))
            #expect(run.status == 0, "\(run.stderr)")
            let root = try run.object()
            let memory = try #require(root["memory"] as? [String: Any])
            for key in ["fp32", "fp16", "int8", "int4"] {
                let m = try #require(memory[key] as? [String: Any], "memory.\(key)")
                let parts = try ["weightsBytes", "kvCacheBytes", "overheadBytes"].map { try #require(Self.int64(m[$0])) }
                #expect(Self.int64(m["totalBytes"]) == parts.reduce(0, +))
            }
            // All parts are stored at 32 bits for fp32 and 16 for fp16: exactly twice the bytes (±1 for rounding).
            let fp32 = try #require(Self.int64((memory["fp32"] as? [String: Any])?["weightsBytes"]))
            let fp16 = try #require(Self.int64((memory["fp16"] as? [String: Any])?["weightsBytes"]))
            #expect(abs(fp32 - 2 * fp16) <= 2)
            // config.json says bfloat16, but the repo ships no bf16 weights: no native row.
            #expect(memory["native"] == nil)

            // The Q4_K_M file is the only download: all on a 24 GB GPU, up to the model's 32768 tokens.
            let fit = try #require(root["fit"] as? [String: Any])
            #expect(fit["verdict"] as? String == "fits-on-gpu")
            #expect(fit["precision"] as? String == "Q4_K_M")
            #expect(fit["path"] as? String == "qwen2.5-0.5b-instruct-q4_k_m.gguf")
            #expect(Self.int64(fit["maxContext"]) == Int64(32768))
            #expect((fit["reason"] as? String)?.isEmpty == false)
            // How to run it as sized: all 24 layers plus the output layer on the GPU, the sized context; Ollama is told num_ctx.
            let runs = try #require(root["runCommands"] as? [[String: Any]])
            #expect(runs.map { $0["engine"] as? String } == ["llama.cpp", "ollama"])
            #expect(runs.first?["command"] as? String == "llama-server -hf \(Self.repo):Q4_K_M -c 8192 -ngl 25")
            #expect(runs.last?["command"] as? String == "ollama run hf.co/\(Self.repo):Q4_K_M")
            #expect((runs.last?["note"] as? String)?.contains("num_ctx 8192") == true)
            // Headroom: what the 24 GB GPU has left after the 1 GiB margin and the file's total, and RAM besides.
            let headroom = try #require(root["headroom"] as? [String: Any])
            let gpuLeft = try #require(Self.int64(headroom["gpuBytes"]))
            #expect(gpuLeft == 24_000_000_000 - (1 << 30) - (try #require(Self.int64(fit["gpuBytes"]))))
            #expect((root["assumptionLine"] as? String)?.hasPrefix("Assumes engine default, context 8192 tokens × 1 sequence, KV cache f16") == true)

            let files = try #require(root["ggufFiles"] as? [[String: Any]])
            #expect(files.count == 1)
            #expect(files.first?["quantization"] as? String == "Q4_K_M")
            let fileMemory = try #require(files.first?["memory"] as? [String: Any])
            #expect(Self.int64(fileMemory["weightsBytes"]) == Self.gguf.tensorBytes, "\(root["warnings"] ?? "")")
            #expect((root["warnings"] as? [String])?.isEmpty == true)

            let parameters = try #require(root["parameters"] as? [String: Any])
            #expect(parameters["source"] as? String == "configFormula")
            let total = try #require(Self.int64(parameters["total"]))
            #expect(total > Int64(400_000_000))
            #expect(total < Int64(600_000_000))
            #expect(Self.int64(root["context"]) == Int64(8192))
            #expect(root["engine"] as? String == "default")     // as asked; without --engine a GGUF repo gets llama.cpp (fitHuman)
            #expect((root["assumptions"] as? [String])?.isEmpty == false)
            let hardware = try #require(root["hardware"] as? [String: Any])
            let gpus = try #require(hardware["gpus"] as? [[String: Any]])
            let sizes: [Int64?] = gpus.map { Self.int64($0["memoryBytes"]) }
            #expect(sizes == [Int64(24_000_000_000)])
            let ram = try #require(hardware["ram"] as? [String: Any])
            #expect(Self.int64(ram["totalBytes"]) == Int64(64_000_000_000))
        }
    }

    @Test("fit with a 1 GB GPU falls back to RAM; context, KV type and engine flags reach the estimate")
    func fitFlags() async throws {
        try await Self.withServer { server in
            let env = try Self.environment(server)
            let small = try await CLIRunner.run(["fit", Self.repo, "--gpu", "1GB", "--ram", "64GB", "--json"], environment: env)
            #expect(small.status == 0, "\(small.stderr)")
            let fit = try #require(try small.object()["fit"] as? [String: Any])
            // 1 GB minus the 1 GiB kept free leaves nothing on the GPU: RAM only, with the repo's Q4_K_M file.
            #expect(fit["verdict"] as? String == "fits-in-ram")
            #expect(fit["precision"] as? String == "Q4_K_M")
            #expect(Self.int64(fit["totalBytes"]) == Self.int64(fit["ramBytes"]))
            // On the CPU: no layer on the GPU, for llama.cpp and for Ollama.
            let cpuRuns = try #require(try small.object()["runCommands"] as? [[String: Any]])
            #expect((cpuRuns.first?["command"] as? String)?.hasSuffix("-c 8192 -ngl 0") == true)
            #expect((cpuRuns.last?["note"] as? String)?.contains("num_gpu 0") == true)

            let long = try await CLIRunner.run(["fit", Self.repo, "--gpu", "24GB", "--ram", "64GB", "--context", "32768",
                                                "--kv-dtype", "q8_0", "--engine", "llama.cpp", "--json"], environment: env)
            #expect(long.status == 0, "\(long.stderr)")
            let root = try long.object()
            #expect(Self.int64(root["context"]) == Int64(32768))
            #expect(root["kvDType"] as? String == "q8_0")
            #expect(root["engine"] as? String == "llama.cpp")
            // KV: 24 layers × 2 (K, V) × 2 kv heads × 64 dims × 32768 tokens = 201,326,592 elements at 8.5 bits = 213,909,504 B.
            let file = try #require((root["ggufFiles"] as? [[String: Any]])?.first?["memory"] as? [String: Any])
            #expect(Self.int64(file["kvCacheBytes"]) == Int64(213_909_504))
            // The command carries the context and the quantized KV cache it was sized with.
            let runs = try #require(root["runCommands"] as? [[String: Any]])
            #expect(runs.first?["command"] as? String == "llama-server -hf \(Self.repo):Q4_K_M -c 32768 -ngl 25 -ctk q8_0 -ctv q8_0 -fa on")
        }
    }

    @Test("fit prints a GiB table per GGUF file (no what-if rows unless asked), assumptions and a summary; a missing repo exits 10")
    func fitHuman() async throws {
        try await Self.withServer { server in
            let env = try Self.environment(server)
            let run = try await CLIRunner.run(["fit", Self.repo, "--gpu", "24GB", "--ram", "64GB"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stdout.split(separator: "\n").contains { $0.hasPrefix("fp16") || $0.hasPrefix("fp32") })
            for text in ["TOTAL GiB", "GGUF FILE", "--what-ifs", "qwen2.5-0.5b-instruct-q4_k_m.gguf", "fits on GPU 0",
                         "Engine assumptions (llama.cpp", "Summary: ", "runs best as qwen2.5-0.5b-instruct-q4_k_m.gguf",
                         "to spare on the GPU", "Run it as sized:", "  llama-server -hf \(Self.repo):Q4_K_M -c 8192 -ngl 25",
                         "Assumes engine llama.cpp, context 8192 tokens × 1 sequence, KV cache f16, 512-token steps"] {
                #expect(run.stdout.contains(text), "missing \(text)")
            }
            let missing = try await CLIRunner.run(["fit", "hubscout-fit/does-not-exist"], environment: env)
            #expect(missing.status == 10)
            #expect(missing.stderr.hasPrefix("Error: "))
        }
    }

    @Test("search --fits 16GB --json: only fitting rows, each with fit {verdict, precision, totalBytes}; stderr says how far it looked")
    func searchFits() async throws {
        try await Self.withServer { server in
            let env = try Self.environment(server)
            let run = try await CLIRunner.run(["search", "--task", "text-generation", "--fits", "16GB", "--json"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try run.array()
            let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["id"] as? String).map { ($0, row) } })
            #expect((byID[FitSearchFixtures.qwen05B.id]?["fit"] as? [String: Any])?["precision"] as? String == "fp16")
            #expect((byID[FitSearchFixtures.llama8B.id]?["fit"] as? [String: Any])?["precision"] as? String == "int8")
            #expect(byID[FitSearchFixtures.llama70B.id] == nil)
            #expect(byID[FitSearchFixtures.mixtral.id] == nil)
            // GGUF repositories are sized per file: the row names the quant meant (most bits that fit) and its file,
            // with or without a config.json.
            let ggufFit = try #require(byID[Self.repo]?["fit"] as? [String: Any])
            #expect(ggufFit["precision"] as? String == "Q4_K_M")
            #expect(ggufFit["file"] as? String == "qwen2.5-0.5b-instruct-q4_k_m.gguf")
            let tinyFit = try #require(byID[Self.ggufOnlyRepo]?["fit"] as? [String: Any], "\(run.stderr)")
            #expect(tinyFit["precision"] as? String == "Q8_0")
            #expect(tinyFit["file"] as? String == "tiny-Q8_0.gguf")
            for row in rows {
                let fit = try #require(row["fit"] as? [String: Any])
                #expect(fit["verdict"] as? String == "fits-on-gpu")
                let gguf = fit["file"] != nil
                #expect(gguf ? ["Q8_0", "Q4_K_M"].contains(fit["precision"] as? String ?? "") : ["fp16", "int8", "int4"].contains(fit["precision"] as? String ?? ""))
                let total: Int64 = Self.int64(fit["totalBytes"]) ?? .max
                #expect(total <= Int64(16_000_000_000))
                #expect(row["pipelineTag"] as? String == "text-generation")
            }
            #expect(run.stderr.contains("16 GB = 14.90 GiB (decimal)"))
            #expect(run.stderr.range(of: #"checked \d+ models over 1 page"#, options: .regularExpression) != nil)
            #expect(run.stderr.contains("skipped"))

            let table = try await CLIRunner.run(["search", "--task", "text-generation", "--fits", "16GB", "--limit", "1"], environment: env)
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.contains("FIT") == true)
            #expect(lines.count == 2)
            #expect(lines.last?.contains("fp16") == true)

            // --precision int4 means the 4-bit class for GGUF files too.
            let int4 = try await CLIRunner.run(["search", "--task", "text-generation", "--fits", "16GB", "--precision", "int4", "--json"], environment: env)
            #expect(int4.status == 0, "\(int4.stderr)")
            let tiny4 = try int4.array().first { $0["id"] as? String == Self.ggufOnlyRepo }
            #expect((tiny4?["fit"] as? [String: Any])?["precision"] as? String == "Q4_K_M")

            let bad = try await CLIRunner.run(["search", "--precision", "int4"], environment: env)
            #expect(bad.status == 64)
        }
    }
}
