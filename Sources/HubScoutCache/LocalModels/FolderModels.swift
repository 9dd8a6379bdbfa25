import Foundation
import HubScoutCore

/// Models in plain folders: LM Studio's `<publisher>/<repo>/`, and any folder given with `--path` (walked to a small
/// depth). A folder with `.gguf` files gives one model per GGUF (split parts together); a folder with `config.json` and
/// `.safetensors` files (MLX, transformers) is one safetensors model. Links to files are followed, never links to
/// folders; half-written files and broken links are reported, not listed.
struct FolderModels {
    let tool: LocalTool
    /// Deepest folder walked below the root.
    let maxDepth: Int
    /// Folder names at `depth 1` and `2` become the Hub id (`publisher/repo`), as LM Studio mirrors the Hub.
    let repoFromLayout: Bool

    func scan(root: String) -> (models: [LocalModel], problems: [LocalModelProblem]) {
        var models: [LocalModel] = []
        var problems: [LocalModelProblem] = []
        guard FileFacts.stat(root)?.isDirectory == true else { return ([], []) }
        walk(root, relative: [], depth: 0, models: &models, problems: &problems)
        return (models, problems)
    }

    private func walk(_ folder: String, relative: [String], depth: Int, models: inout [LocalModel], problems: inout [LocalModelProblem]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            problems.append(LocalModelProblem(tool: tool, path: folder, problem: "folder cannot be read"))
            return
        }
        var files: [String] = []
        for name in names.sorted() {
            let path = folder + "/" + name
            guard let facts = FileFacts.lstat(path) else { continue }
            if facts.isDirectory {
                if depth < maxDepth, !name.hasPrefix(".") { walk(path, relative: relative + [name], depth: depth + 1, models: &models, problems: &problems) }
                continue
            }
            let lower = name.lowercased()
            guard lower.hasSuffix(".gguf") || lower.hasSuffix(".safetensors") || lower == "config.json" else {
                if WeightFileGroups.isPartial(name), lower.contains(".gguf") || lower.contains(".safetensors") {
                    problems.append(LocalModelProblem(tool: tool, path: path, problem: "partial download (still being written, or abandoned); left alone"))
                }
                continue
            }
            if facts.isSymlink, FileFacts.stat(path) == nil {
                problems.append(LocalModelProblem(tool: tool, path: path, problem: "broken link"))
                continue
            }
            files.append(name)
        }
        let repo = repoFromLayout && relative.count == 2 ? (try? RepoID(relative.joined(separator: "/")))?.description : nil
        for group in WeightFileGroups.gguf(files) {
            guard let first = group.weights.first else { continue }
            var modelFiles = group.weights.compactMap { LocalModelFile.at(folder + "/" + $0) }
            modelFiles += group.projectors.compactMap { LocalModelFile.at(folder + "/" + $0, isWeights: false) }
            guard !modelFiles.isEmpty else { continue }
            let name = repoFromLayout ? (relative + [first]).joined(separator: "/") : first
            models.append(LocalModel(tool: tool, name: name, path: folder + "/" + first, repo: repo, format: .gguf,
                                     quantization: group.quantization, files: modelFiles))
        }
        let safetensors = files.filter { $0.lowercased().hasSuffix(".safetensors") }
        if !safetensors.isEmpty, files.contains("config.json") {
            let modelFiles = safetensors.compactMap { LocalModelFile.at(folder + "/" + $0) }
            if !modelFiles.isEmpty {
                models.append(LocalModel(tool: tool, name: relative.isEmpty ? (folder as NSString).lastPathComponent : relative.joined(separator: "/"),
                                         path: folder, repo: repo, format: .safetensors, quantization: nil, files: modelFiles))
            }
        }
    }
}
