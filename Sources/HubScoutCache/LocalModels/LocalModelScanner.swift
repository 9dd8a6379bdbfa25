import Foundation

/// One inventory of every local model, whichever tool fetched it: the Hugging Face cache, Ollama, LM Studio,
/// llama.cpp and folders given by hand. Read-only; nothing a store holds stops the scan (see `LocalModelProblem`).
public struct LocalModelScanner: Sendable {
    /// Where to look.
    public let locations: LocalModelLocations

    public init(locations: LocalModelLocations) { self.locations = locations }

    /// Scans every location. Blocking file-system work: run it off the cooperative pool.
    public func scan() -> LocalInventory {
        var models: [LocalModel] = []
        var problems: [LocalModelProblem] = []
        var looked: [LocalStoreLocation] = []
        func add(_ tool: LocalTool, _ path: String, _ found: (models: [LocalModel], problems: [LocalModelProblem])) {
            looked.append(LocalStoreLocation(tool: tool, path: path, exists: FileFacts.stat(path)?.isDirectory == true))
            models += found.models
            problems += found.problems
        }
        for root in locations.huggingface { add(.huggingface, root, HubCacheModels(tool: .huggingface).scan(root: root)) }
        for root in locations.ollama { add(.ollama, root, OllamaStore(root: root).scan()) }
        for root in locations.lmstudio { add(.lmstudio, root, FolderModels(tool: .lmstudio, maxDepth: 2, repoFromLayout: true).scan(root: root)) }
        for root in locations.llamacpp { add(.llamacpp, root, LlamaCppCache(root: root).scan()) }
        for root in locations.paths { add(.path, root, FolderModels(tool: .path, maxDepth: 8, repoFromLayout: false).scan(root: root)) }
        // The same folder reached twice (LLAMA_CACHE = HF_HUB_CACHE, a --path inside a store) lists its models once.
        var seen = Set<String>()
        models = models.filter { seen.insert($0.path).inserted }
        return LocalInventory(models: models, problems: problems, locations: looked)
    }
}
