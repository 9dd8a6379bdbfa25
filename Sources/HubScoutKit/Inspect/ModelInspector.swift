import Foundation
import HubScoutCore

/// Gathers a model's facts: API info, config.json, the card, and safetensors/GGUF headers read with
/// HTTP Range requests (never the weights), then the parameter count from the most trusted source.
public struct ModelInspector: Sendable {
    public let client: HubClient
    /// Most weight files whose headers are read per repo (shards or GGUF variants).
    public var maxHeaderFiles: Int

    public init(client: HubClient, maxHeaderFiles: Int = 64) {
        self.client = client
        self.maxHeaderFiles = maxHeaderFiles
    }

    /// Inspects `repo` at `revision` (default branch when nil). `readHeaders: false` skips weight headers,
    /// `readCard: false` the model card (for sizing many models quickly).
    public func inspect(_ repo: RepoID, revision: String? = nil, readHeaders: Bool = true, readCard: Bool = true) async throws -> ModelInspection {
        let info = try await client.modelInfo(repo, revision: revision, blobs: true)
        // Pin every later read to the commit the revision resolved to.
        let pinned = info.sha ?? revision ?? "main"
        let canonical = (try? RepoID(info.id)) ?? repo
        let source = HubFileSource(client: client, repo: canonical, revision: pinned)
        return try await FactGatherer(maxHeaderFiles: maxHeaderFiles)
            .gather(info: info, revision: revision, source: source, readHeaders: readHeaders, readCard: readCard)
    }

    /// A normalised config from GGUF metadata, for GGUF-only repositories.
    static func config(fromGGUF header: GGUFHeader) -> ModelConfig { FactGatherer.config(fromGGUF: header) }
}

/// Reads a model's facts from its listing and files, wherever the files are: one code path for the Hub and the
/// local cache, so an offline answer is the online one.
struct FactGatherer: Sendable {
    /// Most weight files whose headers are read per repo (shards or GGUF variants).
    var maxHeaderFiles: Int

    /// Everything after the listing: config, card, headers and the parameter count, read through `source`
    /// (the Hub, or a snapshot in the local cache), so both give the same facts for the same files.
    func gather(info: ModelInfo, revision: String?, source: some InspectionFileSource, readHeaders: Bool, readCard: Bool,
                origin: ModelInspection.Origin = .hub) async throws -> ModelInspection {
        let isMLX = info.libraryName == "mlx" || info.tags.contains("mlx")
        var warnings: [String] = []
        var files = (info.siblings ?? []).map { sibling in
            let format = RepoFileFormat.of(sibling.path, isMLX: isMLX)
            return ModelInspection.File(path: sibling.path, size: sibling.lfs?.size ?? sibling.size, format: format,
                                        quantization: format == .gguf ? GGUFFileType(fileName: sibling.path)?.rawValue : nil,
                                        sha256: sibling.lfs?.sha256)
        }
        let paths = Set(files.map(\.path))

        var config: ModelConfig?
        var gatedError: HubError?
        if paths.contains("config.json") {
            do {
                config = try ModelConfig(jsonData: try await source.smallFile("config.json", maxBytes: 16 << 20))
            } catch let error as HubError {
                // Gated and private files still leave the public metadata worth showing.
                guard case .gated = error else { throw error }
                gatedError = error
                warnings.append("config.json is gated: \(error)")
            } catch {
                warnings.append("config.json could not be read: \(error)")
            }
        }
        var card: ModelCard?
        if readCard, paths.contains("README.md") {
            if let data = try? await source.smallFile("README.md", maxBytes: 4 << 20) {
                card = ModelCard(data: data)
                warnings += card?.warnings.map { "model card: \($0)" } ?? []
            }
        }
        if readCard, card == nil, gatedError != nil, let cardData = info.cardData {
            // A gated README is gated too, but the API's cardData (its front matter) is public.
            var fromAPI = ModelCard(markdown: "")
            fromAPI.metadata = CardMetadata(cardData: cardData)
            card = fromAPI
            warnings.append("model card: README.md is gated; its front matter comes from the API's cardData")
        }

        var headerTotal: Int64?
        var safetensorsBytes: Int64?
        var ggufShape: GGUFModelShape?
        var bytesFetched: Int64 = 0
        var requests = 0
        if readHeaders, gatedError == nil {
            let result = await readSafetensors(source, files: files, warnings: &warnings)
            headerTotal = result.parameters
            safetensorsBytes = result.tensorBytes
            bytesFetched += result.bytesFetched
            requests += result.requests
            for (path, facts) in result.perFile {
                if let i = files.firstIndex(where: { $0.path == path }) {
                    files[i].headerParameters = facts.0
                    files[i].headerTensorBytes = facts.1
                }
            }
            let gguf = await readGGUF(source, files: files, warnings: &warnings)
            bytesFetched += gguf.bytesFetched
            requests += gguf.requests
            for (path, header) in gguf.headers {
                guard let i = files.firstIndex(where: { $0.path == path }) else { continue }
                files[i].headerParameters = header.parameterCount
                files[i].headerTensorBytes = header.tensorBytes
                if let name = header.fileTypeName { files[i].quantization = name }
            }
            // One header is enough: KV, compute and output buffers don't depend on which quant file it comes from.
            ggufShape = gguf.headers.first.flatMap { try? GGUFModelShape(header: $0.1) }
            if config == nil, let first = gguf.headers.first?.1 {
                config = Self.config(fromGGUF: first)
                headerTotal = headerTotal ?? first.parameterCount
            }
        }

        var formula: ParameterEstimate?
        if let config {
            do {
                formula = try ParameterCounter.estimate(config)
            } catch {
                warnings.append("parameter formula: \(error)")
            }
        }
        let parameters = ParameterCount.best(headerTotal: headerTotal, hubAPI: info.safetensors, formula: formula)
        var inspection = ModelInspection(info: info, revision: revision, commit: info.sha, config: config, card: card, formula: formula,
                                         parameters: parameters, files: files, safetensorsWeightBytes: safetensorsBytes,
                                         headerBytesFetched: bytesFetched, headerRequests: requests, warnings: warnings,
                                         origin: origin, gatedError: gatedError)
        inspection.ggufShape = ggufShape
        return inspection
    }

    // MARK: - Headers

    private struct SafetensorsResult {
        var parameters: Int64?
        var tensorBytes: Int64?
        var bytesFetched: Int64 = 0
        var requests = 0
        var perFile: [(String, (Int64, Int64))] = []
    }

    /// Reads the safetensors headers of the main weights: the shards named by the index, or root-level files.
    private func readSafetensors(_ source: some InspectionFileSource, files: [ModelInspection.File],
                                 warnings: inout [String]) async -> SafetensorsResult {
        var result = SafetensorsResult()
        var shards: [ModelInspection.File]
        if let indexFile = files.first(where: { $0.path == "model.safetensors.index.json" })
            ?? files.first(where: { !$0.path.contains("/") && $0.path.hasSuffix(".safetensors.index.json") }) {
            do {
                let data = try await source.smallFile(indexFile.path, maxBytes: 32 << 20)
                result.bytesFetched += Int64(data.count)
                result.requests += 1
                let index = try SafetensorsIndex(jsonData: data)
                result.tensorBytes = index.totalSize
                let folder = indexFile.path.contains("/") ? String(indexFile.path[..<indexFile.path.lastIndex(of: "/")!]) + "/" : ""
                let names = Set(index.shards.map { folder + $0 })
                shards = files.filter { names.contains($0.path) }
            } catch {
                warnings.append("\(indexFile.path) could not be read: \(error)")
                shards = []
            }
        } else {
            shards = files.filter { ($0.format == .safetensors || $0.format == .mlx) && !$0.path.contains("/") }
        }
        guard !shards.isEmpty else { return result }
        guard shards.count <= maxHeaderFiles else {
            warnings.append("\(shards.count) safetensors shards: headers not read (limit \(maxHeaderFiles)); sizes from the index")
            return result
        }
        var total: Int64 = 0
        var bytes: Int64 = 0
        var complete = true
        await withTaskGroup(of: (String, Result<(SafetensorsHeader, Int64, Int), any Error>).self) { group in
            var pending = shards.makeIterator()
            func addNext() {
                guard let shard = pending.next() else { return }
                group.addTask {
                    let reader = HeaderReader(source: source.reader(shard.path, size: shard.size))
                    do {
                        let header = try await reader.readSafetensorsHeader()
                        return (shard.path, .success((header, await reader.bytesFetched, await reader.requestCount)))
                    } catch {
                        return (shard.path, .failure(error))
                    }
                }
            }
            for _ in 0..<4 { addNext() }
            while let (path, outcome) = await group.next() {
                switch outcome {
                case let .success((header, fetched, count)):
                    total += header.parameterCount
                    bytes += header.tensorBytes
                    result.bytesFetched += fetched
                    result.requests += count
                    result.perFile.append((path, (header.parameterCount, header.tensorBytes)))
                case let .failure(error):
                    complete = false
                    warnings.append("header of \(path) could not be read: \(error)")
                }
                addNext()
            }
        }
        if complete {
            result.parameters = total
            result.tensorBytes = bytes
        }
        return result
    }

    private struct GGUFResult {
        var headers: [(String, GGUFHeader)] = []
        var bytesFetched: Int64 = 0
        var requests = 0
    }

    /// Reads the GGUF header of each variant (first shard only for split files), a few at a time.
    private func readGGUF(_ source: some InspectionFileSource, files: [ModelInspection.File], warnings: inout [String]) async -> GGUFResult {
        var result = GGUFResult()
        let candidates = files.filter { $0.format == .gguf && (!$0.path.contains("-of-0") || $0.path.contains("-00001-of-")) }
        let chosen = Array(candidates.prefix(maxHeaderFiles))
        if candidates.count > chosen.count { warnings.append("only the first \(chosen.count) of \(candidates.count) GGUF headers were read") }
        for file in chosen {
            let reader = HeaderReader(source: source.reader(file.path, size: file.size))
            do {
                let header = try await reader.readGGUFHeader()
                result.headers.append((file.path, header))
            } catch {
                warnings.append("GGUF header of \(file.path) could not be read: \(error)")
            }
            result.bytesFetched += await reader.bytesFetched
            result.requests += await reader.requestCount
        }
        return result
    }

    /// A normalised config from GGUF metadata, for GGUF-only repositories (now `GGUFHeader.modelConfig` in Core).
    static func config(fromGGUF header: GGUFHeader) -> ModelConfig { header.modelConfig }
}
