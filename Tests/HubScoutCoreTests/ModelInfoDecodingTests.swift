import Foundation
import Testing
@testable import HubScoutCore

@Suite("ModelInfo decoding of real Hub payloads")
struct ModelInfoDecodingTests {
    static func recorded(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/recorded/\(name)", withExtension: nil))
        return try Data(contentsOf: url)
    }

    static let recordedNames: [String] = {
        let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/recorded")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test("every recorded model-info body decodes and keeps its id", arguments: recordedNames.filter { $0.hasPrefix("model-info") })
    func decodesRecordedInfo(name: String) throws {
        let data = try Self.recorded(name)
        let info = try JSONDecoder().decode(ModelInfo.self, from: data)
        let raw = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(info.id == raw["id"]?.stringValue)
        #expect(info.tags == (raw["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        if let downloads = raw["downloads"]?.intValue { #expect(info.downloads == downloads) }
    }

    @Test("every recorded listing page decodes", arguments: recordedNames.filter { $0.hasPrefix("list__") })
    func decodesListing(name: String) throws {
        let data = try Self.recorded(name)
        let models = try JSONDecoder().decode([ModelInfo].self, from: data)
        let raw = try JSONDecoder().decode([JSONValue].self, from: data)
        #expect(models.count == raw.count)
        #expect(models.map(\.id) == raw.compactMap { $0["id"]?.stringValue })
    }

    @Test("gated Llama 3.1: gated manual, license from card data, API parameter count, siblings")
    func llamaFacts() throws {
        let info = try JSONDecoder().decode(ModelInfo.self, from: Self.recorded("model-info__meta-llama__Llama-3.1-8B-Instruct.json"))
        #expect(info.gated == .manual)
        #expect(info.license == "llama3.1")
        #expect(info.apiParameterCount == 8_030_261_248)
        #expect(info.architecture == "LlamaForCausalLM")
        #expect(info.sha == "0e9e39f249a16976918f6564b8830bc894c89659")
        #expect(info.siblings?.count == 17)
        #expect(info.lastModified.map(HubDate.format) == "2024-09-25T17:00:57.000Z")
    }

    @Test("gpt2: not gated, mit license, F32 element count")
    func gpt2Facts() throws {
        let info = try JSONDecoder().decode(ModelInfo.self, from: Self.recorded("model-info__openai-community__gpt2.json"))
        #expect(info.gated == .notGated)
        #expect(info.license == "mit")
        #expect(info.safetensors?.parameters["F32"] == 137_022_720)
    }

    @Test("wrong types, nulls and missing fields decode to nil instead of failing")
    func lenientFields() throws {
        let body = #"""
        {"id":"a/b","downloads":"many","likes":null,"gated":true,"tags":["x",3,null],"siblings":[{"rfilename":"f"},{"nope":1}],
         "safetensors":{"total":"x"},"lastModified":"not a date","pipeline_tag":7,"config":null}
        """#
        let info = try JSONDecoder().decode(ModelInfo.self, from: Data(body.utf8))
        #expect(info.id == "a/b")
        #expect(info.downloads == nil)
        #expect(info.likes == nil)
        #expect(info.gated == .auto)
        #expect(info.tags == ["x"])
        #expect(info.siblings?.map(\.path) == ["f"])
        #expect(info.safetensors == nil)
        #expect(info.lastModified == nil)
        #expect(info.pipelineTag == nil)
    }

    @Test("a body without id is rejected")
    func missingID() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ModelInfo.self, from: Data(#"{"likes":1}"#.utf8)) }
    }
}

@Suite("RepoID parsing")
struct RepoIDTests {
    @Test("valid ids", arguments: ["gpt2", "Qwen/Qwen2.5-0.5B", "meta-llama/Llama-3.1-8B-Instruct", "a_b/c.d"])
    func valid(text: String) throws {
        let id = try RepoID(text)
        #expect(id.description == text)
        #expect(RepoID(cacheFolderName: id.cacheFolderName) == id)
    }

    @Test("invalid ids are refused with a reason", arguments: ["", "/x", "a/", "a/b/c", "a--b/c", "../etc", "a/..", "a b/c", "a/b?x"])
    func invalid(text: String) {
        #expect(throws: RepoIDError.self) { try RepoID(text) }
    }

    @Test("cache folder names follow huggingface_hub")
    func folderName() throws {
        #expect(try RepoID("Qwen/Qwen2.5-0.5B").cacheFolderName == "models--Qwen--Qwen2.5-0.5B")
        #expect(RepoID(cacheFolderName: "datasets--a--b") == nil)
    }
}

@Suite("ByteCount")
struct ByteCountTests {
    @Test("decimal and binary units parse and say which")
    func parse() throws {
        #expect(ByteCount.parse("16GB")?.bytes == 16_000_000_000)
        #expect(ByteCount.parse("16GB")?.isBinary == false)
        #expect(ByteCount.parse("16 GiB")?.bytes == 17_179_869_184)
        #expect(ByteCount.parse("16G")?.isBinary == true)
        #expect(ByteCount.parse("1.5TB")?.bytes == 1_500_000_000_000)
        #expect(ByteCount.parse("512mib")?.bytes == 536_870_912)
        #expect(ByteCount.parse("lots") == nil)
        #expect(ByteCount.parse("-1GB") == nil)
        #expect(ByteCount.parse("1e30GB") == nil)
    }

    @Test("formatting uses binary units")
    func format() {
        #expect(ByteCount.format(512) == "512 B")
        #expect(ByteCount.format(1_536) == "1.5 KiB")
        #expect(ByteCount.format(16_060_556_376) == "15.0 GiB")
    }
}
