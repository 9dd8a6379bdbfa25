import Foundation
import HubScoutCache
import HubScoutCore

/// Inspects a model another tool keeps (an Ollama blob, an LM Studio or llama.cpp GGUF, a folder of safetensors)
/// from its local files alone, through the same fact gathering as a Hub or cache inspection: GGUF metadata and
/// safetensors headers give the parameters and context, `config.json` beside safetensors files the architecture.
/// Files are named to the gatherer by what they are (Ollama blobs have no extension).
public struct LocalModelInspector: Sendable {
    /// Most weight files whose headers are read per model.
    public var maxHeaderFiles: Int

    public init(maxHeaderFiles: Int = 16) { self.maxHeaderFiles = maxHeaderFiles }

    /// Everything the model's own files say.
    public func inspect(_ model: LocalModel) async throws -> ModelInspection {
        var contents: [String: String] = [:]
        var siblings: [RepoSibling] = []
        let suffix = model.format == .gguf ? ".gguf" : ".safetensors"
        for (index, file) in model.files.enumerated() {
            var name = (file.path as NSString).lastPathComponent
            if !name.lowercased().hasSuffix(suffix) {
                name = (file.isWeights ? "model" : "mmproj") + (model.files.count > 1 ? "-\(index + 1)" : "") + suffix
            }
            contents[name] = file.contentPath
            siblings.append(RepoSibling(path: name, size: file.size, lfs: file.statedSHA256.map { LFSInfo(sha256: $0, size: file.size) }))
        }
        if model.format == .safetensors {
            let folder = model.files.first.map { ($0.path as NSString).deletingLastPathComponent } ?? model.path
            for extra in ["config.json", "model.safetensors.index.json"] {
                let path = folder + "/" + extra
                if let real = FileFacts.realPath(path), let facts = FileFacts.lstat(real), facts.isRegular {
                    contents[extra] = real
                    siblings.append(RepoSibling(path: extra, size: facts.size))
                }
            }
        }
        let info = ModelInfo(id: model.repo ?? model.name, siblings: siblings)
        return try await FactGatherer(maxHeaderFiles: maxHeaderFiles)
            .gather(info: info, revision: model.revision, source: CacheFileSource(contents: contents), readHeaders: true, readCard: false,
                    origin: .cache(snapshotPath: model.path))
    }
}
