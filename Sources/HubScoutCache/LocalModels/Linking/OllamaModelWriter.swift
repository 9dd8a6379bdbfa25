import Foundation
import HubScoutCore

/// The files `ollama create` writes for a GGUF, built without running Ollama: the weights as a blob named by its
/// sha256, a template and a params layer, a config blob (`model_format`, `model_family`, `file_type`, the layer
/// digests) and a Docker v2 manifest at `manifests/<host>/<namespace>/<model>/<tag>` that names them all.
/// Blobs are content-addressed (`blobs/sha256-<hex>`), so writing one that exists is a no-op.
struct OllamaModelWriter {
    static let manifestMediaType = "application/vnd.docker.distribution.manifest.v2+json"
    static let configMediaType = "application/vnd.docker.container.image.v1+json"
    static let modelMediaType = "application/vnd.ollama.image.model"
    static let projectorMediaType = "application/vnd.ollama.image.projector"
    static let templateMediaType = "application/vnd.ollama.image.template"
    static let paramsMediaType = "application/vnd.ollama.image.params"

    /// A layer of the manifest.
    struct Layer {
        var mediaType: String
        var sha256: String
        var size: Int64
        var json: [String: Any] { ["mediaType": mediaType, "digest": "sha256:" + sha256, "size": size] }
    }

    /// The small files of the model (template, params, config, manifest), in the order they must be written: every
    /// blob before the manifest, so Ollama never sees a manifest naming a missing blob.
    struct SmallFiles {
        var blobs: [(sha256: String, contents: Data)]
        var manifest: Data
        var notes: [String]
    }

    /// Ollama's name for a Hub model: `hf.co/ORG/NAME:TAG`, as `ollama pull hf.co/…` names it.
    static func name(for source: ModelLinkSource) throws(ModelLinkError) -> (host: String, namespace: String, model: String, tag: String) {
        guard let namespace = source.repo.namespace else {
            throw .invalidName(source.repo.description, reason: "Ollama names a Hub model hf.co/ORG/NAME, and this repository has no ORG")
        }
        let parts = ["hf.co", namespace, source.repo.name, source.tag]
        // Ollama's own rules for a name part: 1–80 characters of letters, digits, '_', '-', '.', not starting with a punctuation mark.
        for part in parts.dropFirst() {
            guard (1...80).contains(part.count), let first = part.unicodeScalars.first, CharacterSet.alphanumerics.contains(first),
                  part.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) }) else {
                throw .invalidName(source.repo.description + ":" + source.tag, reason: "Ollama name parts are 1–80 letters, digits, '_', '-' or '.'")
            }
        }
        return (parts[0], parts[1], parts[2], parts[3])
    }

    static func smallFiles(for source: ModelLinkSource) -> SmallFiles {
        var notes: [String] = []
        var layers = source.weights.map { Layer(mediaType: modelMediaType, sha256: $0.sha256, size: $0.size) }
        if let projector = source.projector {
            layers.append(Layer(mediaType: projectorMediaType, sha256: projector.sha256, size: projector.size))
        }
        var blobs: [(String, Data)] = []
        func addLayer(_ mediaType: String, _ data: Data) {
            let digest = BlobDigest.of(Array(data), kind: .sha256)
            layers.append(Layer(mediaType: mediaType, sha256: digest, size: Int64(data.count)))
            blobs.append((digest, data))
        }
        if let jinja = source.facts.chatTemplate {
            if let template = OllamaChatTemplate.matching(jinja) {
                addLayer(templateMediaType, Data(template.template.utf8))
                addLayer(paramsMediaType, json(["stop": template.stop]))
                notes.append("chat template: the GGUF's is the \(template.family) family; Ollama gets that template and its stop words")
            } else {
                notes.append("chat template: none of the known families (chatml, llama3, gemma, phi3, mistral) matches the GGUF's; Ollama will send prompts without one (add TEMPLATE with ollama create to set it)")
            }
        } else {
            notes.append("chat template: the GGUF has none; Ollama will send prompts as they are")
        }
        let family = source.facts.architecture ?? "unknown"
        var config: [String: Any] = [
            "model_format": "gguf",
            "model_family": family,
            "model_families": [family],
            "model_type": source.facts.parameterCount.map(humanCount) ?? "",
            "file_type": source.quantization?.rawValue ?? "",
            "os": "linux",
            "architecture": hostArchitecture,
            "rootfs": ["type": "layers", "diff_ids": layers.map { "sha256:" + $0.sha256 }],
        ]
        if source.facts.architecture == nil { config["model_family"] = "" ; config["model_families"] = [String]() }
        let configData = json(config)
        let configDigest = BlobDigest.of(Array(configData), kind: .sha256)
        blobs.append((configDigest, configData))
        let manifest = json([
            "schemaVersion": 2,
            "mediaType": manifestMediaType,
            "config": ["mediaType": configMediaType, "digest": "sha256:" + configDigest, "size": configData.count],
            "layers": layers.map(\.json),
        ])
        return SmallFiles(blobs: blobs, manifest: manifest, notes: notes)
    }

    /// Ollama's `format.HumanNumber`: `8.0B`, `494.03M`.
    static func humanCount(_ n: Int64) -> String {
        let value = Double(n)
        if value >= 1e9 { return String(format: "%.1fB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
        if value >= 1e3 { return String(format: "%.2fK", value / 1e3) }
        return String(n)
    }

    /// The Go name of this machine's CPU architecture, as Ollama records it.
    static var hostArchitecture: String {
        #if arch(arm64)
        "arm64"
        #else
        "amd64"
        #endif
    }

    /// Compact JSON with sorted keys, so the same model always gives the same digests.
    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}
