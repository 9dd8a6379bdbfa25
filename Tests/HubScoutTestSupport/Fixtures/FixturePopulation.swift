import Foundation
import HubScoutCore
import HubScoutServer

/// A ready-made cache: the real models of `seeds` as tiny repositories, plus test repositories for trees,
/// revisions, private and gated access, aliases and tokens.
public struct FixturePopulation: Sendable {
    /// The cache on disk.
    public let cache: FixtureCache
    /// Every repository written, by id.
    public let repos: [String: FixtureRepo]

    /// A token of user `alice` (org `hubscout-test`), granted `gatedRepoID`.
    public static let aliceToken = "hf_test_alice_0123456789"
    /// A token of user `bob`, granted nothing.
    public static let bobToken = "hf_test_bob_0123456789"
    /// A gated (`manual`) repository alice may download and bob may not.
    public static let gatedRepoID = "meta-llama/Llama-3.1-8B-Instruct"
    /// A private repository only alice (through her org) can see.
    public static let privateRepoID = "hubscout-test/private-model"
    /// A repository with folders, several commits, a tag, a PR ref, a zero-byte file and a 3 MiB LFS file.
    public static let filesRepoID = "hubscout-test/files"
    /// A repository stored as plain files (no blobs, no symlinks), so the server hashes them.
    public static let plainRepoID = "hubscout-test/plain-files"
    /// Old id → canonical id, answered with 307.
    public static let aliases = [
        "meta-llama/Meta-Llama-3.1-8B-Instruct": "meta-llama/Llama-3.1-8B-Instruct",
        "bert-base-uncased": "google-bert/bert-base-uncased",
        "t5-small": "google-t5/t5-small",
    ]
    /// Number of files in `onnx/` of `filesRepoID` (enough for several tree pages).
    public static let onnxFileCount = 7

    /// Builds the population in a new temporary directory.
    public static func build() throws -> FixturePopulation {
        let cache = try FixtureCache()
        var repos: [String: FixtureRepo] = [:]
        for seed in seeds {
            repos[seed.id] = try cache.addRepo(seed.id, commits: [files(for: seed)], facts: facts(for: seed))
        }
        repos[privateRepoID] = try cache.addRepo(privateRepoID, commits: [[
            .readme(frontMatter: "license: mit\npipeline_tag: text-generation\nlibrary_name: transformers"),
            FixtureFile("config.json", text: #"{"architectures":["LlamaForCausalLM"],"model_type":"llama"}"#),
        ]], facts: RepoFacts(downloads: 5, likes: 1, isPrivate: true))
        repos[filesRepoID] = try cache.addRepo(filesRepoID, commits: filesRepoCommits(), refs: ["main": 1, "v1.0": 0, "refs/pr/1": 0],
                                               gitTags: ["v1.0"], facts: RepoFacts(downloads: 1, likes: 0))
        repos[plainRepoID] = try cache.addRepo(plainRepoID, commits: [[
            .readme(frontMatter: "license: apache-2.0\nlibrary_name: gguf\npipeline_tag: text-generation"),
            FixtureFile("config.json", text: #"{"model_type":"qwen2"}"#),
            FixtureFile("model-Q4_K_M.gguf", generatedSize: 65_536, seed: 7),
        ]], layout: .plainFiles)
        for (old, canonical) in aliases { try cache.addAlias(old, to: canonical) }
        try cache.addToken(aliceToken, TokenGrant(user: "alice", fullname: "Alice Test", email: "alice@example.com",
                                                  orgs: ["hubscout-test"], role: "read", gatedRepos: [gatedRepoID]))
        try cache.addToken(bobToken, TokenGrant(user: "bob", role: "read"))
        return FixturePopulation(cache: cache, repos: repos)
    }

    /// The files of one seed: card, config, tiny weights.
    static func files(for seed: SeedModel) -> [FixtureFile] {
        var front = ["license: \(seed.license)"]
        if let pipeline = seed.pipelineTag { front.append("pipeline_tag: \(pipeline)") }
        if let library = seed.libraryName { front.append("library_name: \(library)") }
        if !seed.cardTags.isEmpty { front.append("tags:\n" + seed.cardTags.map { "- \($0)" }.joined(separator: "\n")) }
        if !seed.datasets.isEmpty { front.append("datasets:\n" + seed.datasets.map { "- \($0)" }.joined(separator: "\n")) }
        if let base = seed.baseModels.first { front.append("base_model: \(base)") }
        if let gated = seed.gated { front.append("extra_gated_prompt: Accept the \(seed.license) license to access \(gated == "manual" ? "after review" : "at once").") }
        var files: [FixtureFile] = [
            FixtureFile(".gitattributes", text: "*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n"),
            .readme(frontMatter: front.joined(separator: "\n"), body: "# \(seed.id)\n\nA tiny stand-in for the real model.\n"),
        ]
        if let architecture = seed.architecture {
            let type = seed.modelType.map { #","model_type":"\#($0)""# } ?? ""
            files.append(FixtureFile("config.json", text: #"{"architectures":["\#(architecture)"]\#(type)}"#))
        }
        let seedValue = UInt64(seed.downloads)
        if seed.parameters != nil {
            files.append(FixtureFile("model.safetensors", generatedSize: 2048 + Int64(seed.likes % 512), seed: seedValue))
        } else {
            files.append(FixtureFile("pytorch_model.bin", generatedSize: 1024 + Int64(seed.likes % 256), seed: seedValue))
        }
        return files
    }

    /// Sidecar facts of one seed.
    static func facts(for seed: SeedModel) -> RepoFacts {
        RepoFacts(downloads: seed.downloads, likes: seed.likes, trendingScore: seed.trendingScore,
                  gated: seed.gated.map { $0 == "manual" ? .manual : .auto }, createdAt: seed.createdAt,
                  lastModified: seed.lastModified,
                  safetensors: seed.parameters.map { SafetensorsSummary(parameters: $0, total: $0.values.reduce(0, +)) },
                  tags: seed.hubTags)
    }

    /// Two commits: the first with a card and config; the second adds folders, a zero-byte file and weights.
    static func filesRepoCommits() -> [[FixtureFile]] {
        let card = FixtureFile.readme(frontMatter: "license: mit\nlanguage:\n- en\n- no\ntags:\n- test\npipeline_tag: text-generation\nlibrary_name: transformers")
        let config = FixtureFile("config.json", text: #"{"architectures":["GPT2LMHeadModel"],"model_type":"gpt2","quantization_config":{"quant_method":"gptq","bits":4,"group_size":128}}"#)
        var second = [card, config,
                      FixtureFile("tokenizer_config.json", text: #"{"bos_token":"<s>","eos_token":"</s>","model_max_length":2048}"#),
                      FixtureFile("__init__.py", data: Data()),
                      FixtureFile("model.safetensors", generatedSize: 3 << 20, seed: 42),
                      FixtureFile("nested/a/b/deep.txt", text: "deep\n"),
                      FixtureFile("nested/top.txt", text: "top\n")]
        for index in 0..<onnxFileCount {
            second.append(FixtureFile("onnx/part-\(index).json", text: #"{"part":\#(index)}"#))
        }
        return [[card, FixtureFile("config.json", text: #"{"architectures":["GPT2LMHeadModel"],"model_type":"gpt2"}"#)], second]
    }
}
