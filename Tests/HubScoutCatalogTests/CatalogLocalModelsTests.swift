import Foundation
import Testing
@testable import HubScoutCatalog

@Suite("Catalog: local models recorded by the cross-tool scan")
struct CatalogLocalModelsTests {
    static let first = Date(timeIntervalSince1970: 1_760_000_000)
    static let second = Date(timeIntervalSince1970: 1_760_086_400)

    static func row(_ tool: String, _ name: String, repo: String? = nil, format: String = "gguf", at date: Date = first) -> LocalModelRow {
        LocalModelRow(tool: tool, name: name, path: "/models/\(tool)/\(name)", repo: repo, format: format, sizeBytes: 1_000, scannedAt: date)
    }

    static let scan: [LocalModelRow] = [
        LocalModelRow(tool: "huggingface", name: "acme/tiny-GGUF:Q4_K_M", path: "/hf/models--acme--tiny-GGUF/snapshots/abc", repo: "acme/tiny-GGUF",
                      revision: "abc", format: "gguf", quantization: "Q4_K_M", sizeBytes: 4_000, sha256: String(repeating: "a", count: 64),
                      duplicateGroup: 1, parameters: 1_100_000, contextLength: 4096,
                      fit: .init(fits: true, format: "Q4_K_M", totalBytes: 9_000), scannedAt: first),
        row("ollama", "llama3.2:latest"),
        row("lmstudio", "Acme/Big-Model/big-Q8_0.gguf", repo: "Acme/Big-Model"),
        row("path", "mine", format: "safetensors"),
    ]

    @Test("nothing is scanned until a scan is recorded, and an empty scan still counts as a scan")
    func emptyUntilScanned() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        #expect(try await catalog.lastLocalScan() == nil)
        #expect(try await catalog.localModels().isEmpty)
        try await catalog.replaceLocalModels([], scannedRoots: ["/hf"], at: Self.first)
        #expect(try await catalog.lastLocalScan() == LocalModelScan(scannedAt: Self.first, roots: ["/hf"], modelCount: 0))
    }

    @Test("a second scan replaces the first whole: gone models disappear, and the scan's date and roots are kept")
    func secondScanReplaces() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        try await catalog.replaceLocalModels(Self.scan, scannedRoots: ["/hf", "/models"], at: Self.first)
        #expect(try await catalog.localModels() == Self.scan)
        let again = [Self.row("ollama", "qwen3:8b", at: Self.second)]
        try await catalog.replaceLocalModels(again, scannedRoots: ["/models"], at: Self.second)
        #expect(try await catalog.localModels() == again)
        #expect(try await catalog.lastLocalScan() == LocalModelScan(scannedAt: Self.second, roots: ["/models"], modelCount: 1))
    }

    @Test("a write that fails part-way leaves the previous scan whole")
    func failedWriteKeepsPrevious() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        try await catalog.replaceLocalModels(Self.scan, scannedRoots: ["/hf"], at: Self.first)
        // A trigger makes the second row of the next scan fail after the delete and the first insert ran.
        try CatalogFileTools.execute(at: temp.path, sql: """
            CREATE TRIGGER fail_second BEFORE INSERT ON local_models WHEN NEW.name = 'boom'
            BEGIN SELECT RAISE(ABORT, 'disk trouble'); END
            """)
        let broken = [Self.row("ollama", "fine:latest", at: Self.second), Self.row("ollama", "boom", at: Self.second)]
        await #expect(throws: CatalogError.self) { try await catalog.replaceLocalModels(broken, scannedRoots: ["/x"], at: Self.second) }
        #expect(try await catalog.localModels() == Self.scan)
        #expect(try await catalog.lastLocalScan()?.scannedAt == Self.first)
    }

    @Test("filters: words of the text in the name or repo (any case), author is the repo owner, format and tool exact (any case)")
    func filters() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        try await catalog.replaceLocalModels(Self.scan, scannedRoots: ["/hf"], at: Self.first)
        func names(_ filter: LocalModelFilter) async throws -> [String] { try await catalog.localModels(matching: filter).map(\.name) }
        #expect(try await names(LocalModelFilter(text: "TINY")) == ["acme/tiny-GGUF:Q4_K_M"])
        #expect(try await names(LocalModelFilter(text: "big q8")) == ["Acme/Big-Model/big-Q8_0.gguf"])
        #expect(try await names(LocalModelFilter(text: "llama3")) == ["llama3.2:latest"])
        #expect(try await names(LocalModelFilter(text: "%")) == [])
        #expect(try await names(LocalModelFilter(author: "acme")) == ["acme/tiny-GGUF:Q4_K_M", "Acme/Big-Model/big-Q8_0.gguf"])
        #expect(try await names(LocalModelFilter(author: "acm")) == [])
        #expect(try await names(LocalModelFilter(format: "SafeTensors")) == ["mine"])
        #expect(try await names(LocalModelFilter(tool: "ollama")) == ["llama3.2:latest"])
        #expect(try await names(LocalModelFilter(text: "tiny", author: "acme", format: "gguf", tool: "lmstudio")) == [])
    }

    @Test("unknown fields round-trip as nil, known ones exactly")
    func unknownStaysNil() async throws {
        let temp = try TestCatalog()
        let catalog = try temp.open()
        try await catalog.replaceLocalModels(Self.scan, scannedRoots: [], at: Self.first)
        let rows = try await catalog.localModels()
        let bare = try #require(rows.first { $0.tool == "ollama" })
        #expect(bare.repo == nil && bare.revision == nil && bare.quantization == nil && bare.sha256 == nil && bare.duplicateGroup == nil)
        #expect(bare.parameters == nil && bare.contextLength == nil && bare.fit == nil && bare.fitSummary == nil && bare.author == nil)
        let full = try #require(rows.first { $0.tool == "huggingface" })
        #expect(full == Self.scan[0])
        #expect(full.author == "acme")
        #expect(full.fitSummary?.hasPrefix("Q4_K_M ") == true)
        #expect(try await catalog.lastLocalScan()?.roots == [])
    }
}
