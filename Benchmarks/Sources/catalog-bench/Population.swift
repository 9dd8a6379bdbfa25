import Foundation
import HubScoutCatalog
import HubScoutCore

/// Generates realistic models from the distributions of the shipped snapshot (itself built from
/// shared/hub-samples/seed-models.jsonl): tasks, authors, sizes (a real base model's parameters and
/// config), licenses and libraries, with Hub-like long tails for downloads, likes and user authors.
struct Population {
    struct Base {
        var name: String
        var family: String?
        var params: Int64?
        var config: ModelConfig?
    }

    let bases: [Base]
    let tasks: Weighted<String?>
    let seedAuthors: Weighted<String>
    let licenses: Weighted<String?>
    let libraries: Weighted<String?>
    let userCount = 60_000
    let variants = ["Instruct", "GGUF", "AWQ", "GPTQ-Int4", "finetuned", "lora", "sft", "dpo", "chat", "merged", "4bit", "abliterated", "coder", "base"]
    let start = Date(timeIntervalSince1970: 1_640_995_200)  // 2022-01-01

    init(snapshot: URL) throws {
        var bases: [Base] = []
        var tasks: [String?: Double] = [:]
        var authors: [String: Double] = [:]
        var licenses: [String: Double] = [:]
        var libraries: [String: Double] = [:]
        let text = try String(contentsOf: snapshot, encoding: .utf8)
        for line in text.split(separator: "\n") {
            let info = try JSONDecoder().decode(ModelInfo.self, from: Data(line.utf8))
            let extras = try? JSONDecoder().decode(Extras.self, from: Data(line.utf8))
            let c = extras?.hubscout?.config
            var config: ModelConfig?
            if let c {
                config = ModelConfig(modelType: info.modelType, architecture: info.architecture, hiddenSize: c.hidden_size,
                                     numLayers: c.num_hidden_layers, numAttentionHeads: c.num_attention_heads,
                                     numKeyValueHeads: c.num_key_value_heads, vocabSize: c.vocab_size,
                                     contextLength: c.max_position_embeddings)
            }
            let name = String(info.id.split(separator: "/").last ?? Substring(info.id))
            bases.append(Base(name: name, family: info.modelType, params: extras?.hubscout?.parameters?.total, config: config))
            tasks[info.pipelineTag, default: 0] += 1
            authors[info.author ?? "unknown", default: 0] += 1
            if let l = info.license { licenses[l, default: 0] += 1 }
            if let l = info.libraryName { libraries[l, default: 0] += 1 }
        }
        self.bases = bases
        self.tasks = Weighted(tasks.map { ($0.key, $0.value) })
        self.seedAuthors = Weighted(authors.map { ($0.key, $0.value) })
        // The seed knows licenses/libraries for ~1 in 5 models; the rest stay unknown in the same share.
        let known = Double(bases.count)
        self.licenses = Weighted(licenses.map { (Optional($0.key), $0.value) } + [(nil, known - licenses.values.reduce(0, +))])
        self.libraries = Weighted(libraries.map { (Optional($0.key), $0.value) } + [(nil, known - libraries.values.reduce(0, +))])
    }

    private struct Extras: Decodable {
        struct Hubscout: Decodable {
            struct Config: Decodable {
                var max_position_embeddings: Int?
                var hidden_size: Int?
                var num_hidden_layers: Int?
                var num_attention_heads: Int?
                var num_key_value_heads: Int?
                var vocab_size: Int?
            }
            struct Parameters: Decodable { var total: Int64 }
            var config: Config?
            var parameters: Parameters?
        }
        var hubscout: Hubscout?
    }

    /// A synthetic user name, Zipf-like: a few prolific uploaders, a long tail.
    func userAuthor(_ rng: inout SplitMix64) -> String {
        let rank = Int(pow(Double(userCount), rng.unit()))  // log-uniform rank
        return "user\(rank)"
    }

    /// One model: 30 % by a seed author (with the seed's weights), 70 % by users fine-tuning a seed base.
    func model(_ index: Int, _ rng: inout SplitMix64) -> (ModelInfo, SnapshotModel) {
        let base = bases[Int(rng.next() % UInt64(bases.count))]
        let author = rng.unit() < 0.3 ? seedAuthors.draw(&rng) : userAuthor(&rng)
        let variant = variants[Int(rng.next() % UInt64(variants.count))]
        let id = "\(author)/\(base.name)-\(variant)-\(String(index, radix: 36))"
        let task = tasks.draw(&rng)
        let license = licenses.draw(&rng)
        let library = libraries.draw(&rng)
        // Downloads: heavy tail (most models ~0, a few millions).
        let downloads = Int(pow(10, 7 * pow(rng.unit(), 2.5)))
        let likes = Int(Double(downloads) * 0.002 * rng.unit())
        let created = start.addingTimeInterval(rng.unit() * 4 * 365 * 86_400)
        let modified = created.addingTimeInterval(rng.unit() * 200 * 86_400)
        var tags = ["region:us"]
        if let library { tags.append(library) }
        if let family = base.family { tags.append(family) }
        if let task { tags.append(task) }
        if let license { tags.append("license:\(license)") }
        if task == "text-generation", rng.unit() < 0.5 { tags.append("conversational") }
        if variant == "GGUF" { tags.append("gguf") } else { tags.append("safetensors") }
        let gated: GatedMode = rng.unit() < 0.03 ? (rng.unit() < 0.5 ? .auto : .manual) : .notGated
        let info = ModelInfo(id: id, author: author, lastModified: modified, createdAt: created, isPrivate: false, gated: gated,
                             downloads: downloads, likes: likes, trendingScore: Double(likes) * rng.unit(), libraryName: library,
                             pipelineTag: task, tags: tags,
                             cardData: license.map { .object(["license": .string($0)]) },
                             config: base.family.map { .object(["model_type": .string($0)]) },
                             safetensors: base.params.map { SafetensorsSummary(parameters: ["BF16": $0], total: $0) })
        let snapshot = SnapshotModel(info: info, config: base.config,
                                     parameters: base.params.map { ParameterCount(total: $0, source: .hubAPI) })
        return (info, snapshot)
    }
}
