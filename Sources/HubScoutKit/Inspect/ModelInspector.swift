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
        // While the model info is on its way, connect to where this Hub's files were served from last time.
        let origins = readHeaders ? FileOrigins.remembered(for: client.environment) : []
        async let warmed: Void = client.warmConnections(to: origins)
        let info = try await client.modelInfo(repo, revision: revision, blobs: true)
        // Pin every later read to the commit the revision resolved to.
        let pinned = info.sha ?? revision ?? "main"
        let canonical = (try? RepoID(info.id)) ?? repo
        let source = HubFileSource(client: client, repo: canonical, revision: pinned)
        let inspection = try await FactGatherer(maxHeaderFiles: maxHeaderFiles)
            .gather(info: info, revision: revision, source: source, readHeaders: readHeaders, readCard: readCard)
        await warmed
        return inspection
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

        // Nothing below depends on another answer, so it is one wave of requests: config, card, index and every
        // header at once. Over a pooled HTTP/2 connection the wave costs about one round trip, where reading them
        // in turn cost one each (and a handshake each before connections were reused).
        async let configRead = paths.contains("config.json") ? Self.readConfig(source) : nil
        async let cardRead = readCard && paths.contains("README.md") ? try? await source.smallFile("README.md", maxBytes: 4 << 20) : nil
        let listed = files
        async let safetensorsRead = readHeaders ? readSafetensors(source, files: listed) : SafetensorsResult()
        async let ggufRead = readHeaders ? readGGUF(source, files: listed) : GGUFResult()

        var config: ModelConfig?
        var gatedError: HubError?
        switch await configRead {
        case let .read(parsed)?: config = parsed
        case let .gated(error)?:
            // Gated and private files still leave the public metadata worth showing.
            gatedError = error
            warnings.append("config.json is gated: \(error)")
        case let .failed(error)?: warnings.append("config.json could not be read: \(error)")
        case nil: break
        }
        var card: ModelCard?
        if let data = await cardRead {
            card = ModelCard(data: data)
            warnings += card?.warnings.map { "model card: \($0)" } ?? []
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
        let result = await safetensorsRead
        let gguf = await ggufRead
        // Headers of a gated repo fail like its config did; that one warning says it all.
        if readHeaders, gatedError == nil {
            warnings += result.warnings
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
            warnings += gguf.warnings
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

    /// What reading config.json gave.
    private enum ConfigRead: Sendable {
        case read(ModelConfig)
        case gated(HubError)
        case failed(any Error)
    }

    private static func readConfig(_ source: some InspectionFileSource) async -> ConfigRead {
        do {
            return .read(try ModelConfig(jsonData: try await source.smallFile("config.json", maxBytes: 16 << 20)))
        } catch let error as HubError {
            if case .gated = error { return .gated(error) }
            return .failed(error)
        } catch {
            return .failed(error)
        }
    }

    // MARK: - Headers

    /// Headers read at once per repository: enough for every shard of most repos in one wave.
    static let headerConcurrency = 16

    private struct SafetensorsResult: Sendable {
        var parameters: Int64?
        var tensorBytes: Int64?
        var bytesFetched: Int64 = 0
        var requests = 0
        var perFile: [(String, (Int64, Int64))] = []
        var warnings: [String] = []

        /// Adds the headers of `counted` (in path order); the totals stand only if every one of them was read.
        mutating func add(_ headers: [String: HeaderOutcome<SafetensorsHeader>], counting counted: Set<String>) {
            var total: Int64 = 0
            var bytes: Int64 = 0
            var complete = true
            for path in counted.sorted() {
                guard let outcome = headers[path] else { complete = false; continue }
                bytesFetched += outcome.bytes
                requests += outcome.requests
                switch outcome.header {
                case let .success(header):
                    total += header.parameterCount
                    bytes += header.tensorBytes
                    perFile.append((path, (header.parameterCount, header.tensorBytes)))
                case let .failure(error):
                    complete = false
                    warnings.append("header of \(path) could not be read: \(error)")
                }
            }
            // Speculative reads of files the index doesn't name cost requests too.
            for (path, outcome) in headers where !counted.contains(path) {
                bytesFetched += outcome.bytes
                requests += outcome.requests
            }
            if complete, !counted.isEmpty {
                parameters = total
                tensorBytes = bytes
            }
        }
    }

    /// Reads the safetensors headers of the main weights: the shards named by the index, or root-level files.
    /// With an index, the `.safetensors` files beside it are read while the index itself is fetched (they are
    /// the shards in every repo we know); the index then decides which count, and any shard it names that was
    /// not among them is read after.
    private func readSafetensors(_ source: some InspectionFileSource, files: [ModelInspection.File]) async -> SafetensorsResult {
        var result = SafetensorsResult()
        let indexFile = files.first(where: { $0.path == "model.safetensors.index.json" })
            ?? files.first(where: { !$0.path.contains("/") && $0.path.hasSuffix(".safetensors.index.json") })
        guard let indexFile else {
            let shards = files.filter { ($0.format == .safetensors || $0.format == .mlx) && !$0.path.contains("/") }
            guard !shards.isEmpty else { return result }
            guard shards.count <= maxHeaderFiles else {
                result.warnings.append("\(shards.count) safetensors files: headers not read (limit \(maxHeaderFiles))")
                return result
            }
            let headers = await readSafetensorsHeaders(source, shards)
            result.add(headers, counting: Set(shards.map(\.path)))
            return result
        }
        let folder = indexFile.path.contains("/") ? String(indexFile.path[..<indexFile.path.lastIndex(of: "/")!]) + "/" : ""
        let beside = files.filter {
            $0.path.hasPrefix(folder) && !$0.path.dropFirst(folder.count).contains("/")
                && ($0.format == .safetensors || $0.format == .mlx) && $0.path.hasSuffix(".safetensors")
        }
        let speculative = beside.count <= maxHeaderFiles ? beside : []
        async let indexData = capture { try await source.smallFile(indexFile.path, maxBytes: 32 << 20) }
        async let early = readSafetensorsHeaders(source, speculative)
        let index: SafetensorsIndex
        do {
            let data = try await indexData.get()
            result.bytesFetched += Int64(data.count)
            result.requests += 1
            index = try SafetensorsIndex(jsonData: data)
        } catch {
            _ = await early
            result.warnings.append("\(indexFile.path) could not be read: \(error)")
            return result
        }
        result.tensorBytes = index.totalSize
        let names = Set(index.shards.map { folder + $0 })
        var headers = await early
        guard names.count <= maxHeaderFiles else {
            result.warnings.append("\(names.count) safetensors shards: headers not read (limit \(maxHeaderFiles)); sizes from the index")
            return result
        }
        let missing = files.filter { names.contains($0.path) && headers[$0.path] == nil }
        headers.merge(await readSafetensorsHeaders(source, missing)) { first, _ in first }
        result.add(headers, counting: names.intersection(files.map(\.path)))
        return result
    }

    /// Each shard's header (or why it could not be read), `headerConcurrency` at a time.
    private func readSafetensorsHeaders(_ source: some InspectionFileSource, _ shards: [ModelInspection.File])
        async -> [String: HeaderOutcome<SafetensorsHeader>] {
        await readHeaders(source, shards) { try await $0.readSafetensorsHeader() }
    }

    /// Reads a header of each file with `parse`, `headerConcurrency` at a time; outcomes by path.
    private func readHeaders<Header: Sendable>(_ source: some InspectionFileSource, _ files: [ModelInspection.File],
                                               parse: @escaping @Sendable (HeaderReader) async throws -> Header)
        async -> [String: HeaderOutcome<Header>] {
        await withTaskGroup(of: (String, HeaderOutcome<Header>).self) { group in
            var pending = files.makeIterator()
            func addNext() {
                guard let file = pending.next() else { return }
                group.addTask {
                    let reader = HeaderReader(source: source.reader(file.path, size: file.size))
                    let header = await capture { try await parse(reader) }
                    return (file.path, HeaderOutcome(header: header, bytes: await reader.bytesFetched, requests: await reader.requestCount))
                }
            }
            for _ in 0..<Self.headerConcurrency { addNext() }
            var outcomes: [String: HeaderOutcome<Header>] = [:]
            while let (path, outcome) = await group.next() {
                outcomes[path] = outcome
                addNext()
            }
            return outcomes
        }
    }

    private struct GGUFResult: Sendable {
        var headers: [(String, GGUFHeader)] = []
        var bytesFetched: Int64 = 0
        var requests = 0
        var warnings: [String] = []
    }

    /// Reads the GGUF header of each variant (first shard only for split files), `headerConcurrency` at a time,
    /// keeping the repository's file order.
    private func readGGUF(_ source: some InspectionFileSource, files: [ModelInspection.File]) async -> GGUFResult {
        var result = GGUFResult()
        let candidates = files.filter { $0.format == .gguf && (!$0.path.contains("-of-0") || $0.path.contains("-00001-of-")) }
        let chosen = Array(candidates.prefix(maxHeaderFiles))
        if candidates.count > chosen.count { result.warnings.append("only the first \(chosen.count) of \(candidates.count) GGUF headers were read") }
        let outcomes = await readHeaders(source, chosen) { try await $0.readGGUFHeader() }
        for file in chosen {
            guard let outcome = outcomes[file.path] else { continue }
            switch outcome.header {
            case let .success(header): result.headers.append((file.path, header))
            case let .failure(error): result.warnings.append("GGUF header of \(file.path) could not be read: \(error)")
            }
            result.bytesFetched += outcome.bytes
            result.requests += outcome.requests
        }
        return result
    }

    /// A normalised config from GGUF metadata, for GGUF-only repositories (now `GGUFHeader.modelConfig` in Core).
    static func config(fromGGUF header: GGUFHeader) -> ModelConfig { header.modelConfig }
}

/// One header read: the header or why not, and what reading it cost.
private struct HeaderOutcome<Header: Sendable>: Sendable {
    var header: Result<Header, any Error>
    var bytes: Int64
    var requests: Int
}

/// The outcome of async work as a value, so one failure among parallel reads doesn't cancel the rest.
private func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
