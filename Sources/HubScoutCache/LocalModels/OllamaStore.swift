import Foundation
import HubScoutCore

/// Reads an Ollama model store: each `manifests/<host>/<namespace>/<model>/<tag>` file is one model, its layers point
/// to `blobs/sha256-<hex>` (older stores: `sha256:<hex>`). The weights are the `application/vnd.ollama.image.model`
/// layer; the config blob gives the format and quantization. Partial downloads (`-partial`) are never listed, since
/// only manifests name models. Read-only.
public struct OllamaStore: Sendable {
    /// The store folder (`OLLAMA_MODELS`).
    public let root: String
    /// Largest manifest or config blob read.
    public static let maxJSONBytes: Int64 = 1 << 20

    public init(root: String) { self.root = root }

    /// Every model the manifests name.
    public func scan() -> (models: [LocalModel], problems: [LocalModelProblem]) {
        var models: [LocalModel] = []
        var problems: [LocalModelProblem] = []
        let manifests = root + "/manifests"
        guard FileFacts.stat(manifests)?.isDirectory == true else { return ([], []) }
        for host in FileFacts.names(in: manifests, limit: 10_000) {
            for namespace in FileFacts.names(in: manifests + "/" + host, limit: 100_000) {
                for model in FileFacts.names(in: manifests + "/" + host + "/" + namespace, limit: 100_000) {
                    let folder = [manifests, host, namespace, model].joined(separator: "/")
                    guard FileFacts.lstat(folder)?.isDirectory == true else { continue }
                    if (try? FileManager.default.contentsOfDirectory(atPath: folder)) == nil {
                        problems.append(LocalModelProblem(tool: .ollama, path: folder, problem: "folder cannot be read"))
                        continue
                    }
                    for tag in FileFacts.names(in: folder, limit: 100_000) {
                        let path = folder + "/" + tag
                        guard FileFacts.lstat(path)?.isRegular == true else { continue }
                        switch read(manifest: path, host: host, namespace: namespace, model: model, tag: tag) {
                        case let .success(found): models.append(found)
                        case let .failure(problem): problems.append(problem)
                        }
                    }
                }
            }
        }
        return (models, problems)
    }

    /// The blob file a digest (`sha256:<hex>`) names, in either naming.
    public func blobPath(digest: String) -> String? {
        guard digest.hasPrefix("sha256:") || digest.hasPrefix("sha256-") else { return nil }
        let hex = String(digest.dropFirst(7)).lowercased()
        guard BlobID(hex)?.isSHA256 == true else { return nil }
        for name in ["sha256-" + hex, "sha256:" + hex] where FileFacts.lstat(root + "/blobs/" + name) != nil {
            return root + "/blobs/" + name
        }
        return root + "/blobs/sha256-" + hex
    }

    /// The name `ollama list` shows: `model:tag` for the default registry's `library`, `namespace/model:tag` there,
    /// else `host/namespace/model:tag`.
    public static func displayName(host: String, namespace: String, model: String, tag: String) -> String {
        if host == "registry.ollama.ai" { return (namespace == "library" ? model : namespace + "/" + model) + ":" + tag }
        return host + "/" + namespace + "/" + model + ":" + tag
    }

    private func read(manifest path: String, host: String, namespace: String, model: String, tag: String) -> Result<LocalModel, LocalModelProblem> {
        func problem(_ text: String) -> Result<LocalModel, LocalModelProblem> { .failure(LocalModelProblem(tool: .ollama, path: path, problem: text)) }
        guard let facts = FileFacts.lstat(path), facts.size <= Self.maxJSONBytes, let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return problem("manifest is not readable JSON")
        }
        let layers = (json["layers"] as? [[String: Any]]) ?? []
        var files: [LocalModelFile] = []
        var missing: [String] = []
        for layer in layers {
            guard let mediaType = layer["mediaType"] as? String, let digest = layer["digest"] as? String else { continue }
            let isWeights = mediaType == "application/vnd.ollama.image.model"
            guard isWeights || mediaType == "application/vnd.ollama.image.projector" || mediaType == "application/vnd.ollama.image.adapter" else { continue }
            guard let blob = blobPath(digest: digest) else { return problem("layer digest '\(digest.prefix(80))' is not a sha256") }
            guard let file = LocalModelFile.at(blob, statedSHA256: String(digest.dropFirst(7)), isWeights: isWeights) else {
                missing.append(blob)
                continue
            }
            files.append(file)
        }
        if !missing.isEmpty { return problem("manifest names missing blob \(missing[0])") }
        guard files.contains(where: \.isWeights) else { return problem("manifest has no model layer (a remote or empty model)") }

        var format: LocalModel.Format = .gguf
        var quantization: String?
        if let config = json["config"] as? [String: Any], let digest = config["digest"] as? String, let blob = blobPath(digest: digest),
           let configFacts = FileFacts.lstat(blob), configFacts.isRegular, configFacts.size <= Self.maxJSONBytes,
           let configData = FileManager.default.contents(atPath: blob),
           let parsed = try? JSONSerialization.jsonObject(with: configData) as? [String: Any] {
            if parsed["model_format"] as? String == "safetensors" { format = .safetensors }
            quantization = (parsed["file_type"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        }
        // A model pulled from hf.co keeps its Hub identity: hf.co/ORG/NAME:QUANT.
        let fromHub = host == "hf.co" || host == "huggingface.co"
        let repo = fromHub ? (try? RepoID(namespace + "/" + model))?.description : nil
        if quantization == nil, fromHub { quantization = GGUFFileType(fileName: tag)?.rawValue }
        return .success(LocalModel(tool: .ollama, name: Self.displayName(host: host, namespace: namespace, model: model, tag: tag),
                                   path: path, repo: repo, format: format, quantization: quantization, files: files))
    }
}
