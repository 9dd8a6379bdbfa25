import Foundation
import Testing
@testable import HubScoutCore

/// A published parameter count for a config fixture.
struct PublishedCount: Sendable, CustomTestStringConvertible {
    var fixture: String
    var total: Int64
    var active: Int64? = nil
    /// MoE models whose published active count is not comparable (e.g. it leaves out embeddings).
    var moeWithoutActive = false
    /// Where the number comes from, and which parts it covers.
    var source: String
    var testDescription: String { fixture }
}

/// Published counts. "seed" = /work/shared/hub-samples/seed-models.jsonl (the Hub API's safetensors.total for that
/// repo, recorded with its source); "me §4" = /work/shared/research/memory-estimation.md §4.
/// Multimodal rows compare the whole checkpoint: text model + vision tower + projector, all counted here.
let publishedCounts: [PublishedCount] = [
    .init(fixture: "llama-2-7b", total: 6_738_415_616,
          source: "meta-llama/Llama-2-7b-hf: 6,738,415,616 learned parameters (seed lists 6,738,417,664 = + 32×64 rotary inv_freq buffers)"),
    .init(fixture: "llama-3.1-8b", total: 8_030_261_248, source: "seed: meta-llama/Llama-3.1-8B safetensors BF16 total"),
    .init(fixture: "llama-3.1-70b", total: 70_553_706_496, source: "seed: meta-llama/Llama-3.1-70B-Instruct safetensors total"),
    .init(fixture: "mistral-7b-v0.1", total: 7_241_732_096, source: "seed: mistralai/Mistral-7B-v0.1; hub-protocol §9"),
    .init(fixture: "mixtral-8x7b", total: 46_702_792_704, active: 12_879_925_248,
          source: "seed: mistralai/Mixtral-8x7B-Instruct-v0.1 total; me §4: 12.88B active"),
    .init(fixture: "qwen2-7b", total: 7_615_616_512, source: "seed: Qwen/Qwen2-7B safetensors total"),
    .init(fixture: "qwen2.5-0.5b", total: 494_032_768, source: "seed: Qwen/Qwen2.5-0.5B (tied embeddings stored once)"),
    .init(fixture: "qwen2.5-7b", total: 7_615_616_512, source: "seed: Qwen/Qwen2.5-7B safetensors total"),
    .init(fixture: "qwen1.5-moe-a2.7b", total: 14_315_784_192, active: 2_690_000_000,
          source: "me §4: Qwen1.5-MoE 14,315,784,192 total / 2.69B active"),
    .init(fixture: "qwen3-30b-a3b", total: 30_532_122_624, active: 3_350_000_000,
          source: "seed: Qwen/Qwen3-30B-A3B-Base total; me §4: 3.35B active"),
    .init(fixture: "qwen3-8b", total: 8_190_735_360, source: "seed: Qwen/Qwen3-8B safetensors total"),
    .init(fixture: "gemma-2b", total: 2_506_172_416, source: "google/gemma-2b safetensors total (Gemma report: 2B class)"),
    .init(fixture: "gemma-2-9b", total: 9_241_705_984, source: "seed: google/gemma-2-9b-it safetensors total"),
    .init(fixture: "gemma-3-4b", total: 4_300_079_472, source: "seed: google/gemma-3-4b-it total = text + SigLIP tower + projector"),
    .init(fixture: "gemma-3-27b", total: 27_432_406_640, source: "seed: google/gemma-3-27b-it total = text + SigLIP tower + projector"),
    .init(fixture: "phi-3-mini-4k", total: 3_821_079_552, source: "seed: microsoft/Phi-3-mini-4k-instruct safetensors total"),
    .init(fixture: "phi-4", total: 14_659_507_200, source: "microsoft/phi-4 safetensors total; me §4 \"phi-4 is 14.66B\""),
    .init(fixture: "gpt2", total: 124_439_808, source: "hub-protocol §8.9: GPT-2's 124,439,808 learned parameters (API total adds mask buffers)"),
    .init(fixture: "bert-base-uncased", total: 109_482_752,
          source: "seed: BAAI/bge-base-en-v1.5, a bare BertModel of this shape (incl. a 512-entry position_ids buffer)"),
    .init(fixture: "t5-small", total: 60_506_880, source: "seed: google-t5/t5-small safetensors total"),
    .init(fixture: "t5-base", total: 222_903_552, source: "google-t5/t5-base: 222,903,552 (T5 paper: \"220M\")"),
    .init(fixture: "bart-base", total: 139_420_416, source: "seed: facebook/bart-base safetensors total"),
    .init(fixture: "deepseek-v2-lite", total: 15_706_484_224, moeWithoutActive: true,
          source: "seed: deepseek-ai/DeepSeek-V2-Lite safetensors total (its card's \"2.4B activated\" leaves out the embeddings)"),
    .init(fixture: "deepseek-v3", total: 671_000_000_000, active: 37_000_000_000,
          source: "DeepSeek-V3 card: 671B total, 37B activated (MTP module's 14B excluded)"),
    .init(fixture: "olmoe-1b-7b", total: 6_920_000_000, active: 1_280_000_000, source: "me §4: OLMoE 6.92B / 1.28B active"),
    .init(fixture: "llava-1.5-7b", total: 7_063_427_072, source: "seed: llava-hf/llava-1.5-7b-hf total = LM + CLIP ViT-L/336 + projector"),
    .init(fixture: "qwen2-vl-7b", total: 8_291_375_616, source: "seed: Qwen/Qwen2-VL-7B-Instruct total = LM + vision tower + merger"),
]

@Suite("Parameter counts from configs")
struct ParameterCounterTests {
    @Test("Config-derived totals are within 1 % of the published counts", arguments: publishedCounts)
    func withinOnePercent(_ row: PublishedCount) throws {
        let estimate = try ParameterCounter.estimate(try ConfigFixtures.config(row.fixture))
        let error = abs(Double(estimate.breakdown.total - row.total)) / Double(row.total)
        #expect(error < 0.01, "\(row.fixture): \(estimate.breakdown.total) vs \(row.total) (\(row.source))")
        if let active = row.active {
            // Published active counts are rounded to 2–3 significant digits ("37B"), hence 2 %.
            let activeError = abs(Double(estimate.breakdown.active - active)) / Double(active)
            #expect(estimate.isMoE && activeError < 0.02, "\(row.fixture) active: \(estimate.breakdown.active) vs \(active)")
            #expect(estimate.count.active == estimate.breakdown.active)
        } else if row.moeWithoutActive {
            #expect(estimate.isMoE && estimate.breakdown.active < estimate.breakdown.total / 4)
        } else {
            #expect(!estimate.isMoE && estimate.count.active == nil)
        }
        #expect(estimate.count.source == .configFormula)
    }

    @Test("The table covers at least 20 models")
    func tableSize() {
        #expect(Set(publishedCounts.map(\.fixture)).count >= 20)
    }

    @Test("Exact counts where the formula is exact: Llama-3.1-8B, Mixtral, DeepSeek-V2-Lite, LLaVA, Gemma 3 4B")
    func exactRows() throws {
        let exact: [String: Int64] = ["llama-3.1-8b": 8_030_261_248, "mixtral-8x7b": 46_702_792_704,
                                      "deepseek-v2-lite": 15_706_484_224, "llava-1.5-7b": 7_063_427_072,
                                      "gemma-3-4b": 4_300_079_472, "qwen1.5-moe-a2.7b": 14_315_784_192]
        for (name, total) in exact {
            #expect(try ParameterCounter.estimate(try ConfigFixtures.config(name)).breakdown.total == total, "\(name)")
        }
    }

    @Test("Tied embeddings are counted once; untied add an lm_head")
    func tying() throws {
        let tied = try ParameterCounter.estimate(try ConfigFixtures.config("qwen2.5-0.5b")).breakdown
        #expect(tied.lmHead == 0 && tied.embedding == 151_936 * 896)
        let untied = try ParameterCounter.estimate(try ConfigFixtures.config("qwen2.5-7b")).breakdown
        #expect(untied.lmHead == untied.embedding)
    }

    @Test("The breakdown places weights where quantization needs them")
    func breakdownParts() throws {
        let b = try ParameterCounter.estimate(try ConfigFixtures.config("mixtral-8x7b")).breakdown
        #expect(b.routedExperts == 8 * 3 * 4096 * 14336 * 32)
        #expect(b.activeRoutedExperts == 2 * 3 * 4096 * 14336 * 32)
        #expect(b.sharedExpertsAndRouters == 4096 * 8 * 32)
        #expect(b.denseMLP == 0)
        let v = try ParameterCounter.estimate(try ConfigFixtures.config("qwen2-vl-7b")).breakdown
        #expect(v.vision > 600_000_000 && v.vision < 700_000_000)
    }

    @Test("Missing keys are reported by name instead of guessed")
    func missing() throws {
        let c = try ConfigFixtures.config(json: #"{"model_type":"llama","num_hidden_layers":2}"#)
        // LlamaConfig defaults fill llama; an unknown family has none.
        #expect(throws: Never.self) { try ParameterCounter.estimate(c) }
        let unknown = try ConfigFixtures.config(json: #"{"model_type":"mystery","hidden_size":64}"#)
        #expect(throws: ParameterCountError.missingValues(["num_hidden_layers", "num_attention_heads", "vocab_size"],
                                                          modelType: "mystery")) {
            try ParameterCounter.estimate(unknown)
        }
    }

    @Test("Absurd values give typed errors, not traps")
    func absurd() throws {
        let huge = try ConfigFixtures.config(json: """
        {"model_type":"llama","hidden_size":9223372036854775807,"num_hidden_layers":80,"num_attention_heads":1,
         "vocab_size":9223372036854775807,"intermediate_size":9223372036854775807}
        """)
        #expect(throws: ParameterCountError.self) { try ParameterCounter.estimate(huge) }
        let layers = try ConfigFixtures.config(json: """
        {"model_type":"llama","hidden_size":8,"num_hidden_layers":900000000000,"num_attention_heads":1,"vocab_size":8,"intermediate_size":8}
        """)
        #expect(throws: ParameterCountError.implausibleValue(key: "num_hidden_layers", value: 900_000_000_000)) {
            try ParameterCounter.estimate(layers)
        }
    }

    @Test("Order of trust: tensor headers, then the API block, then the formula; MoE active carried over")
    func trustOrder() throws {
        let formula = try ParameterCounter.estimate(try ConfigFixtures.config("mixtral-8x7b"))
        let api = SafetensorsSummary(parameters: ["BF16": 46_702_792_704], total: 46_702_792_704)
        let fromHeaders = try #require(ParameterCount.best(headerTotal: 46_702_792_704, hubAPI: api, formula: formula))
        #expect(fromHeaders.source == .tensorHeaders && fromHeaders.total == 46_702_792_704)
        #expect(fromHeaders.active == formula.breakdown.active)
        #expect(ParameterCount.best(headerTotal: nil, hubAPI: api, formula: formula)?.source == .hubAPI)
        #expect(ParameterCount.best(headerTotal: nil, hubAPI: nil, formula: formula) == formula.count)
        #expect(ParameterCount.best(headerTotal: nil, hubAPI: nil, formula: nil) == nil)
        let dense = try ParameterCounter.estimate(try ConfigFixtures.config("gpt2"))
        #expect(ParameterCount.best(headerTotal: 137_022_720, hubAPI: nil, formula: dense)?.active == nil)
    }

    @Test("A breakdown scaled to a trusted total keeps its proportions, sums exactly, and never traps")
    func scaledBreakdown() {
        let formula = ParameterBreakdown(embedding: 1_000, lmHead: 1_000, attention: 3_000, denseMLP: 5_000, other: 7)
        let scaled = formula.scaled(toTotal: 20_014)
        #expect(scaled.total == 20_014)
        #expect(scaled.embedding == 2_000)
        #expect(scaled.attention == 6_000)
        #expect(scaled.denseMLP == 10_000)
        #expect(formula.scaled(toTotal: 0) == formula)
        #expect(ParameterBreakdown().scaled(toTotal: 10) == ParameterBreakdown())
        // A hostile count at the top of the range clamps instead of overflowing.
        let huge = formula.scaled(toTotal: .max)
        #expect(huge.total == .max)
        #expect(huge.embedding > 0 && huge.other >= 0)
        let moe = ParameterBreakdown(embedding: 3, attention: 5, routedExperts: .max / 2, activeRoutedExperts: .max / 16)
        let scaledMoE = moe.scaled(toTotal: .max)
        #expect(scaledMoE.total == .max)
        #expect(scaledMoE.activeRoutedExperts <= scaledMoE.routedExperts)
    }
}
