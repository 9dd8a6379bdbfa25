import Foundation
import Testing
@testable import HubScoutCore

@Suite("Model cards")
struct CardTests {
    static func card(_ name: String) throws -> ModelCard {
        guard let url = Bundle.module.url(forResource: name, withExtension: "md", subdirectory: "Fixtures/cards") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return ModelCard(data: try Data(contentsOf: url))
    }

    @Test("Llama 3.1 Instruct: languages, licence, base model and the gating form (cardData of the recorded API body)")
    func llamaGated() throws {
        let c = try Self.card("llama-3.1-8b-instruct")
        #expect(c.warnings.isEmpty)
        #expect(c.metadata.languages == ["en", "de", "fr", "it", "pt", "hi", "es", "th"])
        #expect(c.metadata.license == "llama3.1")
        #expect(c.metadata.baseModels == ["meta-llama/Meta-Llama-3.1-8B"])
        #expect(c.metadata.pipelineTag == "text-generation")
        #expect(c.metadata.tags.contains("llama-3"))
        let g = c.metadata.gating
        #expect(g.prompt?.hasPrefix("### LLAMA 3.1 COMMUNITY LICENSE AGREEMENT") == true)
        #expect(g.buttonContent == "Submit")
        #expect(g.description?.contains("Meta Privacy Policy") == true)
        #expect(g.fields.count == 8)
        let job = try #require(g.fields.first { $0.label == "Job title" })
        #expect(job.type == "select" && job.options.count == 6 && job.options.first == "Student")
        #expect(g.fields.first { $0.label == "Date of birth" }?.type == "date_picker")
        #expect(c.summary?.hasPrefix("The Meta Llama 3.1 collection of multilingual large language models (LLMs)") == true)
        #expect((c.summary?.count ?? 0) <= 400 && c.summary?.hasSuffix("…") == true)
    }

    @Test("Zephyr: model-index results are flattened; the summary skips the HTML comment, image and heading")
    func zephyr() throws {
        let c = try Self.card("zephyr-7b-beta")
        let results = c.metadata.evalResults
        #expect(results.count >= 6)
        let arc = try #require(results.first { $0.datasetType == "ai2_arc" })
        #expect(arc.taskType == "text-generation" && arc.metricType == "acc_norm" && arc.datasetConfig == "ARC-Challenge")
        #expect(arc.numericValue.map { abs($0 - 62.03071672354948) < 1e-9 } == true)
        #expect(arc.sourceName == "Open LLM Leaderboard" && arc.modelName == "zephyr-7b-beta" && arc.verified == false)
        #expect(c.metadata.datasets.contains("HuggingFaceH4/ultrachat_200k"))
        #expect(c.metadata.baseModel == "mistralai/Mistral-7B-v0.1")
        let summary = try #require(c.summary)
        #expect(summary.hasPrefix("Zephyr is a series of language models"))
        #expect(summary.contains("fine-tuned version of mistralai/Mistral-7B-v0.1"))   // link text kept, URL dropped
        #expect(!summary.contains("http") && !summary.contains("<") && !summary.contains("**"))
    }

    @Test("`language: [en, no]` keeps Norwegian as text; other-licence, list base_model and odd metric values")
    func norwegian() throws {
        let c = try Self.card("norwegian-merge")
        #expect(c.warnings.isEmpty)
        #expect(c.metadata.languages == ["en", "no", "nb"])
        #expect(c.metadata.tags == ["merge", "mergekit", "1.10"])
        #expect(c.metadata.license == "other" && c.metadata.licenseName == "tongyi-qianwen" && c.metadata.licenseLink == "LICENSE")
        #expect(c.metadata.baseModels == ["Qwen/Qwen2.5-7B-Instruct", "NbAiLab/nb-llama-3.1-8B"])
        #expect(c.metadata.baseModelRelation == "merge" && c.metadata.datasets == ["NbAiLab/NCC"])
        #expect(c.metadata.libraryName == "transformers")
        #expect(c.metadata.evalResults.map(\.value) == ["71.5", "N/A"])
        #expect(c.metadata.evalResults.last?.numericValue == nil)
        #expect(c.summary == "This merge combines two instruction models to answer in Norwegian Bokmål and English with the same quality. It was made with mergekit.")
    }

    @Test("Broken YAML still yields the body, the summary and a warning")
    func brokenYAML() throws {
        let c = try Self.card("broken-yaml")
        #expect(c.metadata == CardMetadata())
        #expect(c.warnings.count == 1 && c.warnings[0].contains("could not be parsed"))
        #expect(c.body.contains("# Broken card"))
        #expect(c.summary == "This body must still be read even though the front matter above is not valid YAML at all.")
    }

    @Test("Badge-heavy bodies: HTML, badges, link rows, tables, code and template lines are skipped")
    func badges() throws {
        let c = try Self.card("badge-heavy")
        #expect(c.metadata.libraryName == "sentence-transformers" && c.metadata.license == "mit")
        #expect(c.summary == "This is a sentence-transformers model: it maps sentences & paragraphs to a 384 dimensional dense vector space and can be used for tasks like clustering or semantic search.")
    }

    @Test("Cards without front matter, or with an unclosed fence, are all body")
    func noFrontMatter() {
        let plain = ModelCard(markdown: "# Title\n\nA plain card with no metadata at all, only prose.")
        #expect(plain.frontMatter == nil && plain.metadata == CardMetadata() && plain.warnings.isEmpty)
        #expect(plain.summary == "A plain card with no metadata at all, only prose.")
        let unclosed = ModelCard(markdown: "---\nlicense: mit\n\nStill the body of this card, because the fence never closes.")
        #expect(unclosed.frontMatter == nil && unclosed.metadata.license == nil)
    }

    @Test("The summary is capped at a word boundary")
    func cap() {
        let words = Array(repeating: "word", count: 200).joined(separator: " ")
        let summary = CardSummary.extract(from: words, limit: 50)
        #expect(summary == Array(repeating: "word", count: 9).joined(separator: " ") + "…")
    }

    @Test("Hostile front matter (deep nesting, huge blocks) is refused with a warning, the body kept")
    func hostile() {
        let deep = ModelCard(markdown: "---\nx: " + String(repeating: "[", count: 5000) + "\n---\nThe body survives the hostile nesting above it.")
        #expect(deep.warnings.first?.contains("nests") == true)
        #expect(deep.summary == "The body survives the hostile nesting above it.")
        let indented = (0..<400).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        let tall = ModelCard(markdown: "---\n" + indented + "\n---\nbody text that is long enough to be a summary.")
        #expect(tall.warnings.first?.contains("indented") == true)
        let big = ModelCard(markdown: "---\ntags: [" + String(repeating: "a,", count: 300_000) + "a]\n---\nbody")
        #expect(big.warnings.first?.contains("limit") == true)
    }

    @Test("The API's cardData decodes into the same typed metadata")
    func cardData() throws {
        let url = URL(fileURLWithPath: "/dev/null")
        _ = url
        let json: JSONValue = .object(["language": .array([.string("en"), .string("no")]), "license": .string("mit"),
                                       "base_model": .string("a/b"), "tags": .array([.string("x"), .int(3)])])
        let m = CardMetadata(cardData: json)
        #expect(m.languages == ["en", "no"] && m.license == "mit" && m.baseModels == ["a/b"] && m.tags == ["x"])
    }
}
