import Foundation
import HubScoutCore

/// The models of a Hugging Face cache: per repository, the snapshot `main` points to (else the most recently used),
/// one model per GGUF (split parts together) and one for its safetensors files. Sizes and identities are the blobs the
/// snapshot links to, the shared store's included; the sha256 a blob's name states comes along.
struct HubCacheModels {
    let tool: LocalTool

    func scan(root: String) -> (models: [LocalModel], problems: [LocalModelProblem]) {
        guard FileFacts.stat(root)?.isDirectory == true else { return ([], []) }
        let inventory = CacheScanner(root: root).scan()
        var models: [LocalModel] = []
        var problems = inventory.warnings.map { LocalModelProblem(tool: tool, path: root, problem: $0) }
        for repo in inventory.repos {
            guard let revision = repo.revision("main") ?? repo.revisions.first else { continue }
            let present = revision.files.filter { !$0.missing }
            for file in revision.files where file.missing {
                problems.append(LocalModelProblem(tool: tool, path: revision.path + "/" + file.path, problem: "broken link (its blob is missing)"))
            }
            func modelFile(_ path: String, weights: Bool = true) -> LocalModelFile? {
                let blob = present.first { $0.path == path }?.blob
                return LocalModelFile.at(revision.path + "/" + path, statedSHA256: blob.flatMap { BlobID($0)?.isSHA256 == true ? $0 : nil },
                                         isWeights: weights)
            }
            for group in WeightFileGroups.gguf(present.map(\.path)) {
                let files = group.weights.compactMap { modelFile($0) } + group.projectors.compactMap { modelFile($0, weights: false) }
                guard !files.isEmpty, let first = group.weights.first else { continue }
                let name = repo.id + (group.quantization.map { ":" + $0 } ?? ":" + first)
                models.append(LocalModel(tool: tool, name: name, path: revision.path + "/" + first, repo: repo.id, revision: revision.commit,
                                         format: .gguf, quantization: group.quantization, files: files))
            }
            let safetensors = present.map(\.path).filter { $0.lowercased().hasSuffix(".safetensors") }.compactMap { modelFile($0) }
            if !safetensors.isEmpty {
                models.append(LocalModel(tool: tool, name: repo.id, path: revision.path, repo: repo.id, revision: revision.commit,
                                         format: .safetensors, files: safetensors))
            }
        }
        return (models, problems)
    }
}
