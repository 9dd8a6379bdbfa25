import HubScoutCore
import Testing

@Suite("Model references as people type and paste them")
struct ModelReferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var repo: String
        var revision: String? = nil
        var quantization: String? = nil
        var file: String? = nil
        var testDescription: String { text }
    }

    static let accepted: [Case] = [
        Case(text: "Qwen/Qwen2.5-0.5B", repo: "Qwen/Qwen2.5-0.5B"),
        Case(text: "gpt2", repo: "gpt2"),
        Case(text: "Qwen/Qwen2.5-0.5B@main", repo: "Qwen/Qwen2.5-0.5B", revision: "main"),
        Case(text: "bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", repo: "bartowski/Llama-3.2-1B-Instruct-GGUF", quantization: "Q4_K_M"),
        Case(text: "bartowski/Llama-3.2-1B-Instruct-GGUF@v1.0:IQ3_XXS", repo: "bartowski/Llama-3.2-1B-Instruct-GGUF",
             revision: "v1.0", quantization: "IQ3_XXS"),
        Case(text: "bartowski/Llama-3.2-1B-Instruct-GGUF:q8_0@main", repo: "bartowski/Llama-3.2-1B-Instruct-GGUF",
             revision: "main", quantization: "q8_0"),
        Case(text: "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", repo: "bartowski/Llama-3.2-1B-Instruct-GGUF", quantization: "Q4_K_M"),
        Case(text: "huggingface.co/Qwen/Qwen3-8B", repo: "Qwen/Qwen3-8B"),
        Case(text: "https://huggingface.co/Qwen/Qwen3-8B", repo: "Qwen/Qwen3-8B"),
        Case(text: "https://huggingface.co/Qwen/Qwen3-8B/", repo: "Qwen/Qwen3-8B"),
        Case(text: "https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json", repo: "Qwen/Qwen3-8B", revision: "main", file: "config.json"),
        Case(text: "https://huggingface.co/Qwen/Qwen3-8B/resolve/main/sub/dir/model.safetensors?download=true",
             repo: "Qwen/Qwen3-8B", revision: "main", file: "sub/dir/model.safetensors"),
        Case(text: "https://huggingface.co/Qwen/Qwen3-8B/tree/refs%2Fpr%2F3", repo: "Qwen/Qwen3-8B", revision: "refs/pr/3"),
        Case(text: "https://hf.co/Qwen/Qwen3-8B#model-card", repo: "Qwen/Qwen3-8B"),
        Case(text: "models/Qwen/Qwen3-8B", repo: "Qwen/Qwen3-8B"),
        Case(text: "model/Qwen/Qwen3-8B", repo: "Qwen/Qwen3-8B"),
        // hf's `model/ORG/NAME` (as `hf cache ls` prints ids) with a revision or quant, any case.
        Case(text: "model/Qwen/Qwen3-8B@v1.0", repo: "Qwen/Qwen3-8B", revision: "v1.0"),
        Case(text: "Models/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", repo: "bartowski/Llama-3.2-1B-Instruct-GGUF",
             quantization: "Q4_K_M"),
        Case(text: "hf.co/models/Qwen/Qwen3-8B", repo: "Qwen/Qwen3-8B"),
        // `models/NAME` alone is the repository NAME of an org called `models`, not a prefix.
        Case(text: "models/gpt2", repo: "models/gpt2"),
        // huggingface_hub's hf:// URIs.
        Case(text: "hf://models/Qwen/Qwen3-8B", repo: "Qwen/Qwen3-8B"),
        Case(text: "hf://Qwen/Qwen3-8B@v2", repo: "Qwen/Qwen3-8B", revision: "v2"),
        Case(text: "  Qwen/Qwen3-8B ", repo: "Qwen/Qwen3-8B"),
    ]

    @Test("accepted forms parse into repo, revision, quantization and file", arguments: accepted)
    func parses(_ c: Case) throws {
        let reference = try ModelReference(c.text)
        #expect(reference.repo.description == c.repo)
        #expect(reference.revision == c.revision)
        #expect(reference.quantization == c.quantization)
        #expect(reference.file == c.file)
    }

    static let rejected: [(String, String)] = [
        ("", "empty part"),
        ("Qwen/", "empty part"),
        ("a/b/c", "expected ORG/NAME"),
        ("ftp://huggingface.co/Qwen/Qwen3-8B", "only Hub URLs"),
        ("https://example.com/Qwen/Qwen3-8B", "huggingface.co or hf.co"),
        ("https://huggingface.co/datasets/org/data", "dataset"),
        ("https://huggingface.co/spaces/org/app", "space"),
        ("Qwen/Qwen3-8B@", "nothing after '@'"),
        ("Qwen/Qwen3-8B@a@b", "named twice"),
        ("Qwen/Qwen3-8B:", "quantization"),
        ("Qwen/Qwen3-8B:Q4:Q8", "one quantization"),
        ("Qwen/Qwen3-8B:Q4 K", "quantization"),
        ("../etc/passwd", "expected ORG/NAME"),
        ("model/Qwen/Qwen3-8B/extra", "expected ORG/NAME"),
        ("models/a/b/c/d", "expected ORG/NAME"),
        ("hf://datasets/org/data", "dataset"),
        ("s3://bucket/org/name", "hf:// URIs"),
        ("../passwd", "not allowed"),
    ]

    @Test("rejected forms say why", arguments: rejected)
    func refuses(_ text: String, _ reason: String) {
        #expect {
            _ = try ModelReference(text)
        } throws: { error in
            (error as? RepoIDError)?.description.contains(reason) == true
        }
    }

    @Test("the description round-trips what was named")
    func description() throws {
        let reference = try ModelReference("hf.co/org/Model-GGUF@dev:Q4_K_M")
        #expect(reference.description == "org/Model-GGUF@dev:Q4_K_M")
        #expect(try ModelReference(reference.description) == reference)
    }
}
