import ArgumentParser
import Foundation
import HubScoutCache
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutKit

/// Where `fit` and `info` get a model's facts: the Hub, else a snapshot already in the local cache.
enum ModelLookup {
    /// The inspection of `repo`: from the cache with `HF_HUB_OFFLINE`, from the Hub otherwise, and from the cache
    /// again when the Hub cannot be reached (saying so). A snapshot missing from the cache exits 18, as `download` does offline.
    static func inspect(_ repo: RepoID, revision: String?, readHeaders: Bool, hub: HubOptions) async throws -> ModelInspection {
        let environment = hub.environment
        let cached = CachedModelInspector(cache: HubCache(root: environment.hubCache))
        do {
            if environment.offline {
                return try await cached.inspect(repo, revision: revision, readHeaders: readHeaders)
            }
            do {
                return try await ModelInspector(client: try hub.client()).inspect(repo, revision: revision, readHeaders: readHeaders)
            } catch let error where OfflineSearch.shouldFallBack(after: error) {
                guard let local = try? await cached.inspect(repo, revision: revision, readHeaders: readHeaders) else { throw error }
                Terminal.note("note: the Hub could not be reached (\(error)); answering from the local cache")
                return local
            }
        } catch let error as InspectionError {
            Terminal.error(error.description)
            throw ExitCode(18)
        }
    }

    /// A gated repository without access: prints the notice `download` prints and fills the inspection from
    /// public facts (returned with the facts used), so `fit` and `info` still answer. Any other inspection as it is.
    static func answeringFromPublicFacts(_ inspection: ModelInspection,
                                         hub: HubOptions) async -> (inspection: ModelInspection, publicFacts: [String]?) {
        guard inspection.gatedError != nil else { return (inspection, nil) }
        Terminal.note(GatingNotice.text(inspection.info, environment: hub.environment))
        let filled = await PublicFacts.fill(inspection, environment: hub.environment)
        return (filled.0, filled.1)
    }

    /// How a report describes where its facts came from.
    static func basis(of inspection: ModelInspection, publicFacts: [String]?) -> FitReport.Basis {
        if let publicFacts { return .publicFacts(publicFacts) }
        if case .cache(let path) = inspection.origin { return .localCache(snapshotPath: path) }
        return .repositoryFiles
    }
}

/// What `download` says about a gated repository, said the same way by `fit` and `info`.
enum GatingNotice {
    /// `ORG/NAME is gated (…): accept license X at URL, then log in with hubscout login`.
    static func text(_ info: ModelInfo, environment: HubEnvironment) -> String {
        let mode = info.gated == .manual ? "the owners review each request" : "access is granted once you accept"
        let license = info.license.map { "license \($0)" } ?? "the repository's terms"
        let page = (try? RepoID(info.id)).map(environment.repoPageURL) ?? "\(environment.endpoint)/\(info.id)"
        return "\(info.id) is gated (\(mode)): accept \(license) at \(page), then log in with hubscout login"
    }

    /// For a gated repository with nothing to size it from: the weight sizes its public parameter count implies.
    static func lowerBounds(_ inspection: ModelInspection) -> String? {
        guard let count = inspection.parameters, count.total > 0 else { return nil }
        let formats: [WeightFormat] = [.fp16, .int8, .int4]
        let sizes = formats.compactMap { f in (try? f.quantizedBitsPerWeight.bytes(for: count.total)).map { "\(f) \(GiBText.text($0))" } }
        return "public facts: \(Format.parameters(count.total)) parameters (\(count.source.rawValue)), so weights alone take about "
            + sizes.joined(separator: ", ") + "; no config facts are known to size the KV cache and overhead"
    }
}

/// What is public about a gated repository, gathered to size it until access is granted: the API's parameter count
/// and config summary (in the inspection), the local catalog's config facts, and the card's metadata.
enum PublicFacts {
    /// The inspection with catalog config facts filled in, and one line per fact used.
    static func fill(_ inspection: ModelInspection, environment: HubEnvironment) async -> (ModelInspection, [String]) {
        var facts: [String] = []
        var config: ModelConfig?
        var parameters: ParameterCount?
        if !HubEnvironment.isTrue(environment.variables["HUBSCOUT_NO_CATALOG"]),
           let prepared = try? await FirstRun.prepareCatalog(environment: environment),
           let detail = try? await prepared.catalog.model(id: inspection.info.id) {
            if var stored = detail.config, stored.hiddenSize != nil, stored.numLayers != nil {
                stored.modelType = stored.modelType ?? inspection.info.modelType
                stored.architecture = stored.architecture ?? inspection.info.architecture
                config = stored
                var shape = ["\(stored.numLayers ?? 0) layers", "hidden size \(stored.hiddenSize ?? 0)"]
                if let heads = stored.numAttentionHeads { shape.append("\(heads) attention heads") }
                if let kv = stored.numKeyValueHeads { shape.append("\(kv) KV heads") }
                if let vocab = stored.vocabSize { shape.append("vocabulary \(vocab)") }
                if let context = stored.contextLength { shape.append("\(context)-token context") }
                facts.append("the local catalog's config facts (\(shape.joined(separator: ", ")))")
            }
            parameters = detail.model.parameters
        }
        if let count = inspection.parameters, count.source != .configFormula {
            facts.insert("the Hub API's parameter count (\(count.total), safetensors total)", at: 0)
        } else if let count = parameters {
            facts.insert("the local catalog's parameter count (\(count.total), \(count.source.rawValue))", at: 0)
        }
        if let model = inspection.info.architecture ?? inspection.info.modelType {
            facts.append("the Hub API's config summary (\(model))")
        }
        if let card = inspection.card?.metadata, card.license != nil || !card.baseModels.isEmpty {
            let parts = [card.license.map { "license \($0)" }, card.baseModels.first.map { "base model \($0)" }].compactMap { $0 }
            facts.append("the card's public metadata (\(parts.joined(separator: ", ")))")
        }
        return (inspection.withPublicFacts(config: config, parameters: parameters), facts)
    }
}
