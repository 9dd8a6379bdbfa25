/// Ollama reads a chat template written in Go's text/template, not the Jinja a GGUF carries. `ollama create` maps a
/// GGUF's template to one of its known families; `link` does the same for the families that cover most GGUFs on the
/// Hub, recognised by their turn markers, and says so when none matches (Ollama then sends the prompt raw).
public struct OllamaChatTemplate: Sendable, Equatable {
    /// Family name (`chatml`, `llama3`, `gemma`, `phi3`, `mistral`).
    public var family: String
    /// The Go template.
    public var template: String
    /// Stop sequences for the params layer.
    public var stop: [String]

    /// The family whose turn markers `jinja` uses; nil when none is recognised.
    public static func matching(_ jinja: String) -> OllamaChatTemplate? {
        if jinja.contains("<|start_header_id|>") { return llama3 }
        if jinja.contains("<|im_start|>") { return chatml }
        if jinja.contains("<start_of_turn>") { return gemma }
        if jinja.contains("<|user|>"), jinja.contains("<|end|>") { return phi3 }
        if jinja.contains("[INST]") { return mistral }
        return nil
    }

    static let chatml = OllamaChatTemplate(family: "chatml", template: """
        {{- range .Messages }}<|im_start|>{{ .Role }}
        {{ .Content }}<|im_end|>
        {{ end }}<|im_start|>assistant

        """, stop: ["<|im_start|>", "<|im_end|>"])

    static let llama3 = OllamaChatTemplate(family: "llama3", template: """
        {{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>

        {{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>


        """, stop: ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"])

    // Gemma has no system turn: a system message is sent as a user turn, as its own template does.
    static let gemma = OllamaChatTemplate(family: "gemma", template: """
        {{- range .Messages }}<start_of_turn>{{ if eq .Role "assistant" }}model{{ else }}user{{ end }}
        {{ .Content }}<end_of_turn>
        {{ end }}<start_of_turn>model

        """, stop: ["<end_of_turn>"])

    static let phi3 = OllamaChatTemplate(family: "phi3", template: """
        {{- range .Messages }}<|{{ .Role }}|>
        {{ .Content }}<|end|>
        {{ end }}<|assistant|>

        """, stop: ["<|end|>", "<|user|>", "<|assistant|>"])

    static let mistral = OllamaChatTemplate(family: "mistral", template: """
        {{- range .Messages }}{{ if eq .Role "assistant" }}{{ .Content }}</s>{{ else }}[INST] {{ .Content }}[/INST]{{ end }}{{ end }}
        """, stop: ["[INST]", "[/INST]"])
}
