import Foundation
import HubScoutCore

/// Makes a GGUF variant from the Hugging Face cache usable by Ollama, LM Studio or llama.cpp without copying it:
/// the weights are hard links to the cache's blob, and the tool's own small files (Ollama's manifest and config,
/// llama.cpp's manifest) are written beside them. `plan` reads only; `apply` writes, each file atomically
/// (temporary name, then rename), blobs before the manifest that names them.
public struct ModelLinker: Sendable {
    public init() {}

    /// What linking `source` into `store` (the tool's models folder) would write.
    public func plan(_ source: ModelLinkSource, to target: ModelLinkTarget, store: String) throws(ModelLinkError) -> ModelLinkPlan {
        guard let storeFacts = FileFacts.stat(store), storeFacts.isDirectory else { throw .storeMissing(tool: target, tried: [store]) }
        guard let first = source.weights.first else { throw .unsupported(tool: target, reason: "the variant has no weight file") }
        for file in source.weights + (source.projector.map { [$0] } ?? []) {
            guard let facts = FileFacts.stat(file.contentPath), facts.isRegular, facts.size == file.size else {
                throw .fileSystem(path: file.contentPath, operation: "read", message: "the cache file changed or is gone")
            }
            guard facts.identity.device == storeFacts.identity.device else { throw .otherFilesystem(cachePath: file.contentPath, store: store) }
        }
        switch target {
        case .ollama: return try ollamaPlan(source, store: store)
        case .lmstudio:
            guard let namespace = source.repo.namespace else {
                throw .invalidName(source.repo.description, reason: "LM Studio keeps models as PUBLISHER/REPO, and this repository has no ORG")
            }
            let folder = store + "/" + namespace + "/" + source.repo.name
            var steps: [ModelLinkPlan.Step] = []
            for file in source.weights + (source.projector.map { [$0] } ?? []) {
                steps.append(try linkStep(file, to: folder + "/" + Self.lastComponent(file.repoPath.value)))
            }
            return ModelLinkPlan(target: .lmstudio, store: store, modelName: namespace + "/" + source.repo.name + "/" + Self.lastComponent(first.repoPath.value),
                                 steps: steps, notes: [])
        case .llamacpp:
            guard let namespace = source.repo.namespace else {
                throw .invalidName(source.repo.description, reason: "llama.cpp's -hf names a model OWNER/REPO, and this repository has no OWNER")
            }
            func flat(_ path: SafeRelativePath) -> String { namespace + "_" + source.repo.name + "_" + path.value.replacingOccurrences(of: "/", with: "_") }
            var steps: [ModelLinkPlan.Step] = []
            for file in source.weights + (source.projector.map { [$0] } ?? []) {
                steps.append(try linkStep(file, to: store + "/" + flat(file.repoPath)))
            }
            // The record llama.cpp keeps of an -hf download: the Hub's answer naming the GGUF (and projector) of the tag.
            func entry(_ file: ModelLinkSource.File) -> [String: Any] {
                ["rfilename": file.repoPath.value, "size": file.size, "lfs": ["sha256": file.sha256, "size": file.size]]
            }
            var manifest: [String: Any] = ["ggufFile": entry(first)]
            if let projector = source.projector { manifest["mmprojFile"] = entry(projector) }
            let name = "manifest=" + namespace + "=" + source.repo.name + "=" + source.tag + ".json"
            steps.append(writeStep(OllamaModelWriter.json(manifest), to: store + "/" + name))
            return ModelLinkPlan(target: .llamacpp, store: store, modelName: source.repo.description + ":" + source.tag, steps: steps,
                                 notes: ["llama.cpp builds since March 2026 read the Hugging Face cache itself (llama-server -hf \(source.repo.description):\(source.tag) finds it there); this entry serves older builds and LLAMA_CACHE"])
        }
    }

    private func ollamaPlan(_ source: ModelLinkSource, store: String) throws(ModelLinkError) -> ModelLinkPlan {
        guard source.weights.count == 1 else {
            throw .unsupported(tool: .ollama, reason: "it is split into \(source.weights.count) files and Ollama loads one GGUF per model (merge them with llama-gguf-split --merge, or use llama.cpp or LM Studio)")
        }
        let name = try OllamaModelWriter.name(for: source)
        let small = OllamaModelWriter.smallFiles(for: source)
        var steps: [ModelLinkPlan.Step] = []
        for file in source.weights + (source.projector.map { [$0] } ?? []) {
            steps.append(try linkStep(file, to: store + "/blobs/sha256-" + file.sha256, contentAddressed: true))
        }
        for blob in small.blobs { steps.append(writeStep(blob.contents, to: store + "/blobs/sha256-" + blob.sha256)) }
        let manifestPath = [store, "manifests", name.host, name.namespace, name.model, name.tag].joined(separator: "/")
        steps.append(writeStep(small.manifest, to: manifestPath))
        return ModelLinkPlan(target: .ollama, store: store,
                             modelName: OllamaStore.displayName(host: name.host, namespace: name.namespace, model: name.model, tag: name.tag),
                             steps: steps, notes: small.notes)
    }

    /// A hard link of `file` at `path`, or nothing when `path` is that file already. In a content-addressed store
    /// a blob of the right size under the digest's name is the same content (the tool verified it when it wrote it).
    private func linkStep(_ file: ModelLinkSource.File, to path: String, contentAddressed: Bool = false) throws(ModelLinkError) -> ModelLinkPlan.Step {
        guard let existing = FileFacts.lstat(path) else { return .hardLink(from: file.contentPath, to: path, size: file.size) }
        if existing.isRegular, let source = FileFacts.stat(file.contentPath), source.identity == existing.identity { return .present(path: path) }
        if contentAddressed, existing.isRegular, existing.size == file.size { return .present(path: path) }
        throw .occupied(path: path, reason: existing.isRegular
            ? "is another file (if it is a copy of the same bytes, hubscout dedupe links the two)"
            : "is not a regular file")
    }

    private func writeStep(_ data: Data, to path: String) -> ModelLinkPlan.Step {
        if let existing = FileFacts.lstat(path), existing.isRegular, existing.size == Int64(data.count),
           FileManager.default.contents(atPath: path) == data {
            return .present(path: path)
        }
        return .write(path: path, contents: data)
    }

    /// Carries out `plan`. Every step is re-checked on disk: a link whose source changed since the plan fails.
    public func apply(_ plan: ModelLinkPlan) throws(ModelLinkError) {
        for step in plan.steps {
            switch step {
            case .present: continue
            case let .hardLink(from, to, size):
                guard let facts = FileFacts.stat(from), facts.isRegular, facts.size == size else {
                    throw .fileSystem(path: from, operation: "link", message: "the cache file changed since the plan")
                }
                try Self.makeFolder(for: to)
                let temporary = Self.temporaryName(for: to)
                guard link(from, temporary) == 0 else {
                    let code = errno
                    if code == EXDEV { throw .otherFilesystem(cachePath: from, store: plan.store) }
                    throw .fileSystem(path: to, operation: "link", message: String(cString: strerror(code)))
                }
                guard rename(temporary, to) == 0 else {
                    let message = String(cString: strerror(errno))
                    unlink(temporary)
                    throw .fileSystem(path: to, operation: "link", message: message)
                }
            case let .write(path, contents):
                try Self.makeFolder(for: path)
                do { try HubCache.writeAtomically(contents, to: path) } catch {
                    throw .fileSystem(path: path, operation: "write", message: error.description)
                }
            }
        }
    }

    static func makeFolder(for path: String) throws(ModelLinkError) {
        let folder = (path as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .fileSystem(path: folder, operation: "create", message: error.localizedDescription)
        }
    }

    static func temporaryName(for path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder + "/.hubscout-link-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    static func lastComponent(_ path: String) -> String { (path as NSString).lastPathComponent }
}
