import Foundation
import HubScoutCore

/// llama.cpp's own cache (`LLAMA_CACHE`). Older builds keep `-hf` downloads flat: `<owner>_<repo>_<path with / → _>`
/// beside a `manifest=<owner>=<repo>=<tag>.json` copy of the Hub's answer (`ggufFile.rfilename`, `lfs.sha256`).
/// Newer ones keep the Hugging Face layout (`models--owner--repo`) there. Any other `.gguf` in the folder is listed
/// too, without a Hub identity. Files being downloaded (`.downloadInProgress`) are reported, never listed.
public struct LlamaCppCache: Sendable {
    /// The cache folder.
    public let root: String
    public init(root: String) { self.root = root }

    /// Every model in the folder.
    public func scan() -> (models: [LocalModel], problems: [LocalModelProblem]) {
        guard FileFacts.stat(root)?.isDirectory == true else { return ([], []) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            return ([], [LocalModelProblem(tool: .llamacpp, path: root, problem: "folder cannot be read")])
        }
        var models: [LocalModel] = []
        var problems: [LocalModelProblem] = []
        var claimed = Set<String>()
        for name in names.sorted() where name.hasPrefix("manifest=") && name.hasSuffix(".json") {
            let parts = name.dropFirst("manifest=".count).dropLast(5).split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 3, let repo = try? RepoID(parts[0] + "/" + parts[1]) else {
                problems.append(LocalModelProblem(tool: .llamacpp, path: root + "/" + name, problem: "manifest name is not manifest=OWNER=REPO=TAG.json"))
                continue
            }
            let path = root + "/" + name
            guard let facts = FileFacts.lstat(path), facts.isRegular, facts.size <= 1 << 20, let data = FileManager.default.contents(atPath: path),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let gguf = json["ggufFile"] as? [String: Any], let rfilename = gguf["rfilename"] as? String,
                  let relative = try? SafeRelativePath(rfilename) else {
                problems.append(LocalModelProblem(tool: .llamacpp, path: path, problem: "manifest is not readable JSON naming a ggufFile"))
                continue
            }
            func flat(_ file: String) -> String { parts[0] + "_" + parts[1] + "_" + file.replacingOccurrences(of: "/", with: "_") }
            let weightsName = flat(relative.value)
            let sha = ((gguf["lfs"] as? [String: Any])?["sha256"] as? String).flatMap { BlobID($0)?.isSHA256 == true ? $0 : nil }
            guard let weights = LocalModelFile.at(root + "/" + weightsName, statedSHA256: sha) else {
                problems.append(LocalModelProblem(tool: .llamacpp, path: path, problem: "manifest names missing file \(weightsName)"))
                continue
            }
            claimed.insert(weightsName)
            var files = [weights]
            if let projector = json["mmprojFile"] as? [String: Any], let pname = projector["rfilename"] as? String,
               let prel = try? SafeRelativePath(pname) {
                let projectorSHA = ((projector["lfs"] as? [String: Any])?["sha256"] as? String).flatMap { BlobID($0)?.isSHA256 == true ? $0 : nil }
                if let file = LocalModelFile.at(root + "/" + flat(prel.value), statedSHA256: projectorSHA, isWeights: false) {
                    files.append(file)
                    claimed.insert(flat(prel.value))
                }
            }
            let tag = String(parts[2])
            let quantization = GGUFFileType(fileName: rfilename)?.rawValue ?? GGUFFileType(fileName: tag)?.rawValue
            models.append(LocalModel(tool: .llamacpp, name: repo.description + ":" + tag, path: root + "/" + weightsName, repo: repo.description,
                                     format: .gguf, quantization: quantization, files: files))
        }
        // Other GGUF files (`-mu` URL downloads, `-dr` Docker models, files put there by hand).
        let loose = names.filter { !claimed.contains($0) && FileFacts.lstat(root + "/" + $0)?.isDirectory != true }
        for name in loose where WeightFileGroups.isPartial(name) && name.lowercased().contains(".gguf") {
            problems.append(LocalModelProblem(tool: .llamacpp, path: root + "/" + name, problem: "partial download (still being written, or abandoned); left alone"))
        }
        for group in WeightFileGroups.gguf(loose.filter { !WeightFileGroups.isPartial($0) }) {
            let files = group.weights.compactMap { LocalModelFile.at(root + "/" + $0) }
            guard let first = group.weights.first, !files.isEmpty else {
                if let first = group.weights.first { problems.append(LocalModelProblem(tool: .llamacpp, path: root + "/" + first, problem: "broken link")) }
                continue
            }
            models.append(LocalModel(tool: .llamacpp, name: first, path: root + "/" + first, format: .gguf, quantization: group.quantization, files: files))
        }
        // Newer builds: the Hugging Face layout inside LLAMA_CACHE.
        let hub = HubCacheModels(tool: .llamacpp).scan(root: root)
        return (models + hub.models, problems + hub.problems)
    }
}
