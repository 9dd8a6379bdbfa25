import Foundation
import HubScoutCore
import HubScoutNetwork
import HubScoutServer
import HubScoutTestSupport
import Testing
@testable import HubScoutKit

/// `ModelInspector` reads real safetensors and GGUF headers from the test server with Range requests.
@Suite("Model inspection through Range requests", .serialized)
struct InspectorTests {
    /// A small Llama-shaped model: hidden 256, 4 layers, 8 heads, 2 KV heads, FFN 688, vocab 1000, untied.
    static let config = #"""
    {"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":256,"num_hidden_layers":4,
     "num_attention_heads":8,"num_key_value_heads":2,"intermediate_size":688,"vocab_size":1000,
     "max_position_embeddings":4096,"tie_word_embeddings":false,"torch_dtype":"bfloat16","rms_norm_eps":1e-5}
    """#

    /// The tensors of that model, split over two shards as transformers does.
    static func shards() -> [SafetensorsWriter] {
        let hidden: Int64 = 256, kv: Int64 = 64, ffn: Int64 = 688, vocab: Int64 = 1000
        var first: [SafetensorsEncoder.Entry] = [.init(name: "model.embed_tokens.weight", dtype: "BF16", shape: [vocab, hidden])]
        var second: [SafetensorsEncoder.Entry] = []
        for layer in 0..<4 {
            let p = "model.layers.\(layer)."
            let tensors: [SafetensorsEncoder.Entry] = [
                .init(name: p + "self_attn.q_proj.weight", dtype: "BF16", shape: [hidden, hidden]),
                .init(name: p + "self_attn.k_proj.weight", dtype: "BF16", shape: [kv, hidden]),
                .init(name: p + "self_attn.v_proj.weight", dtype: "BF16", shape: [kv, hidden]),
                .init(name: p + "self_attn.o_proj.weight", dtype: "BF16", shape: [hidden, hidden]),
                .init(name: p + "mlp.gate_proj.weight", dtype: "BF16", shape: [ffn, hidden]),
                .init(name: p + "mlp.up_proj.weight", dtype: "BF16", shape: [ffn, hidden]),
                .init(name: p + "mlp.down_proj.weight", dtype: "BF16", shape: [hidden, ffn]),
                .init(name: p + "input_layernorm.weight", dtype: "BF16", shape: [hidden]),
                .init(name: p + "post_attention_layernorm.weight", dtype: "BF16", shape: [hidden]),
            ]
            if layer < 2 { first += tensors } else { second += tensors }
        }
        second += [.init(name: "model.norm.weight", dtype: "BF16", shape: [hidden]),
                   .init(name: "lm_head.weight", dtype: "BF16", shape: [vocab, hidden])]
        return [SafetensorsWriter(tensors: first, fill: .pattern(seed: 1)), SafetensorsWriter(tensors: second, fill: .pattern(seed: 2))]
    }

    static func client(_ server: TestHubServer) -> HubClient {
        HubClient(environment: HubEnvironment(variables: ["HF_ENDPOINT": server.apiURL, "HOME": NSTemporaryDirectory()]),
                  transport: CurlTransport(configuration: .init(connectTimeout: TestTimeouts.connect, stallTimeout: TestTimeouts.stall, retry: .none)))
    }

    @Test("a sharded safetensors repo: exact parameters and weight bytes from headers, a tiny share of the repo fetched")
    func shardedSafetensors() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let writers = Self.shards()
        let names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
        var weightMap: [String: String] = [:]
        for (writer, name) in zip(writers, names) { for t in writer.tensors { weightMap[t.name] = name } }
        let totalBytes = writers.reduce(0) { $0 + $1.dataSize }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": ["total_size": totalBytes], "weight_map": weightMap])
        _ = try cache.addRepo("hubscout-test/sharded-llama", commits: [[
            FixtureFile("config.json", text: Self.config),
            .readme(frontMatter: "license: apache-2.0\npipeline_tag: text-generation\nbase_model: meta-llama/Llama-3.1-8B\ndatasets:\n- c4",
                    body: "# Sharded\n\n![badge](https://x/y.svg)\n\nA small sharded Llama-style model used to test header reads.\n"),
            FixtureFile("model.safetensors.index.json", data: index, lfs: false),
            FixtureFile(names[0], data: writers[0].fileData(), lfs: true),
            FixtureFile(names[1], data: writers[1].fileData(), lfs: true),
        ]])
        let server = try await TestHubServer.start(root: cache.root)
        let inspection = try await ModelInspector(client: Self.client(server)).inspect(try RepoID("hubscout-test/sharded-llama"))
        await server.stop()

        let expected = writers.reduce(0) { $0 + $1.parameterCount }
        #expect(inspection.parameters == ParameterCount(total: expected, source: .tensorHeaders))
        #expect(inspection.safetensorsWeightBytes == totalBytes)
        // The formula from config.json agrees with the headers for a plain Llama.
        #expect(inspection.formula?.breakdown.total == expected)
        #expect(inspection.config?.contextLength == 4096)
        #expect(inspection.card?.summary == "A small sharded Llama-style model used to test header reads.")
        #expect(inspection.card?.metadata.baseModels == ["meta-llama/Llama-3.1-8B"])
        // Two shard headers, each within its first 64 KiB request, plus the index.
        #expect(inspection.headerRequests == 3)
        // Exactly: the index, plus the first 64 KiB of each shard (both headers fit in it).
        #expect(inspection.headerBytesFetched == Int64(index.count) + 2 * Int64(HeaderReader.safetensorsFirstChunk))
        #expect(inspection.headerBytesFetched < inspection.repoBytes / 20)
        #expect(inspection.files.filter { $0.format == .safetensors }.allSatisfy { $0.headerParameters != nil })
        let estimator = try inspection.estimator().get()
        let fp16 = try estimator.estimate(.fp16)
        #expect(fp16.weightsBytes == 2 * expected)
    }

    @Test("a GGUF-only repo: config from GGUF metadata, exact tensor bytes and quant type per file")
    func ggufRepo() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        let tensors: [GGUFEncoder.Entry] = [
            .init(name: "token_embd.weight", dimensions: [256, 1000], type: .q8_0),
            .init(name: "blk.0.attn_q.weight", dimensions: [256, 256], type: .q4_K),
            .init(name: "blk.0.ffn_down.weight", dimensions: [256, 688], type: .q6_K),
            .init(name: "output.weight", dimensions: [256, 1000], type: .q6_K),
        ]
        let metadata: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string("llama")), ("general.file_type", .uint32(15)),
            ("llama.context_length", .uint32(8192)), ("llama.block_count", .uint32(1)),
            ("llama.embedding_length", .uint32(256)), ("llama.feed_forward_length", .uint32(688)),
            ("llama.attention.head_count", .uint32(8)), ("llama.attention.head_count_kv", .uint32(2)),
        ]
        let writer = GGUFWriter(metadata: metadata, tensors: tensors, fill: .pattern(seed: 3))
        _ = try cache.addRepo("hubscout-test/tiny-GGUF", commits: [[
            .readme(frontMatter: "license: mit\nlibrary_name: gguf"),
            FixtureFile("tiny-Q4_K_M.gguf", data: writer.fileData(), lfs: true),
        ]])
        let server = try await TestHubServer.start(root: cache.root)
        let inspection = try await ModelInspector(client: Self.client(server)).inspect(try RepoID("hubscout-test/tiny-GGUF"))
        await server.stop()

        #expect(inspection.warnings.isEmpty, "\(inspection.warnings)")
        let file = try #require(inspection.ggufFiles.first)
        #expect(file.quantization == "Q4_K_M")
        #expect(file.headerTensorBytes == writer.tensorBytes)
        #expect(file.headerParameters == writer.parameterCount)
        #expect(inspection.parameters?.total == writer.parameterCount)
        #expect(inspection.parameters?.source == .tensorHeaders)
        #expect(inspection.config?.contextLength == 8192)
        #expect(inspection.config?.numKeyValueHeads == 2)
        #expect(inspection.headerBytesFetched <= writer.fileSize)
    }

    @Test("a weights file with a hostile header is reported, not fatal")
    func hostileHeader() async throws {
        let cache = try FixtureCache()
        defer { cache.remove() }
        var bad = Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])   // header length 2^63 - 1
        bad.append(Data(repeating: 0x20, count: 1024))
        _ = try cache.addRepo("hubscout-test/hostile", commits: [[
            FixtureFile("config.json", text: Self.config),
            FixtureFile("model.safetensors", data: bad, lfs: true),
        ]])
        let server = try await TestHubServer.start(root: cache.root)
        let inspection = try await ModelInspector(client: Self.client(server)).inspect(try RepoID("hubscout-test/hostile"))
        await server.stop()
        #expect(inspection.parameters?.source == .configFormula)
        #expect(inspection.warnings.contains { $0.contains("model.safetensors") })
    }
}
