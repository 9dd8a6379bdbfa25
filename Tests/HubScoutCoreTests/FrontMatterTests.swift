import Testing
@testable import HubScoutCore

/// The one YAML front-matter splitter, used by the client's `ModelCard` and by the server's `cardData`.
@Suite("Card front matter")
struct FrontMatterTests {
    @Test("a plain `---` block: the YAML between the fences, the body after them")
    func plain() {
        let split = FrontMatter(splitting: "---\nlicense: mit\ntags:\n- a\n---\n# Title\n\nBody.")
        #expect(split.yaml == "license: mit\ntags:\n- a")
        #expect(split.body == "# Title\n\nBody.")
    }

    @Test("a byte-order mark before the first fence is skipped")
    func byteOrderMark() {
        let split = FrontMatter(splitting: "\u{FEFF}---\nlicense: apache-2.0\n---\nBody")
        #expect(split.yaml == "license: apache-2.0")
        #expect(split.body == "Body")
        #expect(ModelCard(markdown: "\u{FEFF}---\nlicense: apache-2.0\n---\nBody").metadata.license == "apache-2.0")
    }

    @Test("`...` (YAML's document end) closes the front matter as `---` does")
    func documentEnd() {
        let split = FrontMatter(splitting: "---\nlicense: mit\n...\nBody after the dots")
        #expect(split.yaml == "license: mit")
        #expect(split.body == "Body after the dots")
        #expect(ModelCard(markdown: "---\nlibrary_name: gguf\n...  \n# Card").metadata.libraryName == "gguf")
    }

    @Test("CRLF line ends: fences are found, the YAML comes back with LF, the body as written")
    func crlf() {
        let split = FrontMatter(splitting: "---\r\nlicense: mit\r\nlanguage:\r\n- en\r\n---\r\n# Title\r\nBody\r\n")
        #expect(split.yaml == "license: mit\nlanguage:\n- en")
        #expect(split.body == "# Title\r\nBody\r\n")
        let card = ModelCard(markdown: "\u{FEFF}---\r\nlicense: mit\r\nlanguage:\r\n- en\r\n...\r\nBody\r\n")
        #expect(card.metadata.license == "mit" && card.metadata.languages == ["en"] && card.warnings.isEmpty)
    }

    @Test("no front matter: no YAML, the whole text is body (a `---` later in the text is a Markdown rule)")
    func none() {
        let text = "# Title\n\nProse.\n\n---\n\nMore prose."
        let split = FrontMatter(splitting: text)
        #expect(split.yaml == nil)
        #expect(split.body == text)
        #expect(FrontMatter(splitting: "").yaml == nil)
        #expect(FrontMatter(splitting: "--- \n").yaml == nil)
    }

    @Test("an opening fence without a closing one is not front matter: the whole text is body")
    func unterminated() {
        let text = "---\nlicense: mit\n\nThe fence never closes."
        let split = FrontMatter(splitting: text)
        #expect(split.yaml == nil)
        #expect(split.body == text)
        let withBOM = FrontMatter(splitting: "\u{FEFF}" + text)
        #expect(withBOM.yaml == nil && withBOM.body == text)
    }

    @Test("fence lines tolerate trailing spaces and tabs; an empty block is empty YAML")
    func fenceWhitespace() {
        #expect(FrontMatter(splitting: "---  \t\nk: v\n--- \nbody").yaml == "k: v")
        #expect(FrontMatter(splitting: "---\n---\nbody") == FrontMatter(yaml: "", body: "body"))
        #expect(FrontMatter(splitting: "  ---\nk: v\n---\nbody").yaml == nil)
    }

    @Test("oversized or hostile YAML is refused before any parse, with a clause naming why")
    func problems() {
        #expect(FrontMatter.problem(in: "license: mit") == nil)
        #expect(FrontMatter.problem(in: "x: " + String(repeating: "[", count: 100))?.contains("nests") == true)
        #expect(FrontMatter.problem(in: "tags: [" + String(repeating: "a,", count: 300_000) + "a]")?.contains("limit") == true)
    }
}

extension FrontMatter {
    /// A split with these parts, for comparisons.
    init(yaml: String?, body: String) {
        self.init(splitting: "")
        self.yaml = yaml
        self.body = body
    }
}
