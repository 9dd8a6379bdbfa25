import HubScoutKit
import Testing

@Suite("GlobPattern: fnmatch-case semantics as huggingface_hub filters files")
struct DownloadGlobTests {
    @Test("patterns match like Python's fnmatchcase", arguments: [
        ("*.json", "config.json", true),
        ("*.json", "onnx/config.json", true),          // * crosses /
        ("*.JSON", "config.json", false),              // case-sensitive
        ("onnx/", "onnx/model.onnx", true),            // trailing / means the folder
        ("onnx/", "onnx", false),
        ("model-?????-of-*.safetensors", "model-00001-of-00004.safetensors", true),
        ("model-[0-9]*.bin", "model-1.bin", true),
        ("model-[!0-9]*.bin", "model-1.bin", false),
        ("[", "[", true),                              // unclosed set is a literal
        ("*Q4_K_M.gguf", "llama-Q4_K_M.gguf", true),
        ("*Q4_K_M.gguf", "llama-Q5_K_M.gguf", false),
        ("a*b*c*d", "a-b-c-x", false),
    ])
    func matching(pattern: String, path: String, expected: Bool) throws {
        #expect(try GlobPattern(pattern).matches(path) == expected)
    }

    @Test("a hostile pattern with many stars stays fast")
    func manyStars() throws {
        let pattern = try GlobPattern(String(repeating: "*a", count: 200) + "b")
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!pattern.matches(String(repeating: "a", count: 2_000))) }
        #expect(elapsed < .seconds(2))
    }

    @Test("an over-long pattern is refused with a typed error")
    func tooLong() {
        #expect(throws: DownloadError.self) { _ = try GlobPattern(String(repeating: "x", count: 5_000)) }
    }
}
