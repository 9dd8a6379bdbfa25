import Foundation
import HubScoutCore

/// A repository at one commit with everything the API reports about it, computed once per request.
struct ModelView {
    let repository: StoredRepository
    let snapshot: RepoSnapshot

    var id: String { repository.id.description }
    var facts: RepoFacts { repository.facts }
    var cardData: JSONValue? { snapshot.cardData }

    /// Sidecar override, else the card's `pipeline_tag`.
    var pipelineTag: String? { facts.pipelineTag ?? cardData?["pipeline_tag"]?.stringValue }

    /// Sidecar override, else the card's `library_name`, else a guess from the files (transformers config, GGUF).
    var libraryName: String? {
        if let name = facts.libraryName ?? cardData?["library_name"]?.stringValue { return name }
        if snapshot.configSummary?["architectures"] != nil { return "transformers" }
        if snapshot.files.contains(where: { $0.path.hasSuffix(".gguf") }) { return "gguf" }
        return nil
    }

    /// Licenses named by the card (`license` may be a string or a list).
    var licenses: [String] { cardData?["license"]?.stringList ?? [] }

    /// Card tags plus what the Hub computes: library, formats, model type, task, languages, `license:`, `dataset:`, `base_model:`.
    var tags: [String] {
        var tags: [String] = []
        func add(_ tag: String?) { if let tag, !tag.isEmpty, !tags.contains(tag) { tags.append(tag) } }
        add(libraryName)
        if snapshot.files.contains(where: { $0.path.hasSuffix(".safetensors") }) { add("safetensors") }
        if snapshot.files.contains(where: { $0.path.hasSuffix(".gguf") }) { add("gguf") }
        if snapshot.files.contains(where: { $0.path.hasSuffix(".onnx") }) { add("onnx") }
        add(snapshot.configSummary?["model_type"]?.stringValue)
        for tag in cardData?["tags"]?.stringList ?? [] { add(tag) }
        add(pipelineTag)
        for language in cardData?["language"]?.stringList ?? [] { add(language) }
        for dataset in cardData?["datasets"]?.stringList ?? [] { add("dataset:" + dataset) }
        for base in cardData?["base_model"]?.stringList ?? [] { add("base_model:" + base) }
        for license in licenses { add("license:" + license) }
        for tag in facts.tags ?? [] { add(tag) }
        return Array(tags.prefix(1000))
    }

    /// `usedStorage`: the sidecar's figure, else the distinct blobs of this commit.
    var usedStorage: Int64 {
        if let stored = facts.usedStorage { return stored }
        var seen = Set<String>()
        var total: Int64 = 0
        for file in snapshot.files where seen.insert(file.etag).inserted { total &+= file.size }
        return total
    }

    /// `siblings`: names only, or with sizes, blob ids and LFS facts when `blobs=true`.
    func siblings(blobs: Bool) -> JSONValue {
        .array(snapshot.files.map { file in
            var object: [String: JSONValue] = ["rfilename": .string(file.path)]
            if blobs {
                object["size"] = .int(Int(file.size))
                object["blobId"] = .string(file.gitBlobID)
                if file.isLFS {
                    object["lfs"] = .object(["sha256": .string(file.etag), "size": .int(Int(file.size)),
                                             "pointerSize": .int(file.lfsPointer.utf8.count)])
                }
            }
            return .object(object)
        })
    }

    /// Every field the server can report, in the Hub's order, with the sidecar's `overrides` applied last.
    func fullObject(blobs: Bool) -> OrderedObject {
        var o = OrderedObject()
        o.set("_id", .string(facts.objectID ?? StableObjectID.forRepo(id)))
        o.set("id", .string(id))
        o.set("private", .bool(repository.isPrivate))
        o.set("pipeline_tag", pipelineTag.map(JSONValue.string))
        o.set("library_name", libraryName.map(JSONValue.string))
        o.set("tags", .array(tags.map(JSONValue.string)))
        o.set("downloads", .int(facts.downloads ?? 0))
        o.set("likes", .int(facts.likes ?? 0))
        o.set("modelId", .string(id))
        o.set("author", .string(repository.id.namespace ?? repository.id.name))
        o.set("sha", .string(snapshot.commit))
        o.set("lastModified", .string(HubDate.format(repository.lastModified)))
        o.set("gated", repository.gated.isGated ? .string(repository.gated.rawValue) : .bool(false))
        o.set("disabled", .bool(false))
        o.set("model-index", cardData?["model-index"] ?? .null)
        o.set("config", snapshot.configSummary)
        o.set("cardData", cardData)
        o.set("widgetData", cardData?["widget"])
        o.set("siblings", siblings(blobs: blobs))
        o.set("spaces", .array([]))
        o.set("createdAt", .string(HubDate.format(repository.createdAt)))
        if let safetensors = facts.safetensors {
            o.set("safetensors", .object(["parameters": .object(safetensors.parameters.mapValues { .int(Int($0)) }),
                                          "total": .int(Int(safetensors.total))]))
        }
        o.set("usedStorage", .int(Int(usedStorage)))
        o.set("trendingScore", .int(facts.trendingScore ?? 0))
        o.set("downloadsAllTime", .int(facts.downloads ?? 0))
        for (key, value) in facts.overrides ?? [:] where !(blobs == false && key == "siblings" && value.arrayValue == nil) {
            o.set(key, value)
        }
        return o
    }

    /// Keys `expand` may name (huggingface_hub's list plus a few huggingface.js uses).
    static let expandableKeys: Set<String> = [
        "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled", "downloads",
        "downloadsAllTime", "evalResults", "gated", "gguf", "inference", "inferenceProviderMapping", "lastModified",
        "library_name", "likes", "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup", "safetensors",
        "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore", "usedStorage", "widgetData",
        "gitalyUid", "xetEnabled",
    ]
}
