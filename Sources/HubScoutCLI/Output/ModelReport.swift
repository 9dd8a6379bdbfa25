import Foundation
import HubScoutCore
import HubScoutKit

/// What `hubscout info` shows, as text or JSON (keys documented in README).
struct ModelReport: Encodable {
    struct File: Encodable {
        var path: String
        var size: Int64?
        var format: String
        var quantization: String?
        var sha256: String?
    }
    struct Parameters: Encodable {
        var total: Int64
        var active: Int64?
        var source: String
    }
    struct Card: Encodable {
        var summary: String?
        var baseModel: [String]
        var datasets: [String]
        var languages: [String]
        var evalResults: [Eval]
        var licenseName: String?
        var licenseLink: String?
    }
    struct Eval: Encodable {
        var task: String?
        var dataset: String?
        var metric: String?
        var value: String
    }

    var id: String
    var sha: String?
    var pipelineTag: String?
    var libraryName: String?
    var license: String?
    /// nil when the source did not say (unknown is not "no").
    var gated: GatedMode?
    var gatedAccess: String?
    var downloads: Int?
    var likes: Int?
    var lastModified: Date?
    var architecture: String?
    var modelType: String?
    var dtype: String?
    var contextLength: Int?
    var contextLengthSource: String?
    var parameters: Parameters?
    var weightBytes: Int64?
    var quantization: String?
    var card: Card?
    var files: [File]
    var totalFileBytes: Int64
    var headerBytesFetched: Int64
    var warnings: [String]
    /// Memory per precision at the default context (`hubscout fit` has the full breakdown and verdicts).
    var memory: MemoryTableJSON?
    /// What `memory` rests on: `repository-files`, `local-cache`, or `public-facts` (a gated repository).
    var memoryBasis: String?
    /// The cached snapshot read, when the facts come from the local cache (offline) rather than the Hub.
    var cachedSnapshot: String?

    init(_ inspection: ModelInspection, environment: HubEnvironment) {
        let info = inspection.info
        id = info.id
        sha = info.sha
        pipelineTag = info.pipelineTag ?? inspection.card?.metadata.pipelineTag
        libraryName = info.libraryName ?? inspection.card?.metadata.libraryName
        license = info.license ?? inspection.card?.metadata.license
        gated = info.gated
        if let gated, gated.isGated {
            let how = gated == .manual ? "the owners review each request" : "access is granted as soon as you accept the terms"
            gatedAccess = "request access at \(environment.endpoint)/\(info.id) (\(how)), then log in with hubscout login"
        }
        downloads = info.downloads
        likes = info.likes
        lastModified = info.lastModified
        let config = inspection.config
        architecture = config?.architecture ?? info.architecture
        modelType = config?.modelType ?? info.modelType
        dtype = config?.dtype
        contextLength = config?.contextLength
        contextLengthSource = config?.contextLengthSource
        if let p = inspection.parameters { parameters = Parameters(total: p.total, active: p.active, source: p.source.rawValue) }
        weightBytes = inspection.safetensorsWeightBytes
        if let q = config?.quantization {
            quantization = [q.method, q.bits.map { "\($0)-bit" }, q.groupSize.map { "group \($0)" }].compactMap { $0 }.joined(separator: ", ")
        }
        if let c = inspection.card {
            let m = c.metadata
            card = Card(summary: c.summary, baseModel: m.baseModels, datasets: m.datasets, languages: m.languages,
                        evalResults: m.evalResults.map { Eval(task: $0.taskType ?? $0.taskName, dataset: $0.datasetName ?? $0.datasetType,
                                                              metric: $0.metricName ?? $0.metricType, value: $0.value) },
                        licenseName: m.licenseName, licenseLink: m.licenseLink)
        }
        files = inspection.files.map { File(path: $0.path, size: $0.size, format: $0.format.rawValue, quantization: $0.quantization, sha256: $0.sha256) }
        totalFileBytes = inspection.repoBytes
        headerBytesFetched = inspection.headerBytesFetched
        warnings = inspection.warnings
        if case .cache(let path) = inspection.origin { cachedSnapshot = path }
    }

    func render() -> String {
        var lines: [String] = []
        func add(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        add("Model", id)
        add("Commit", sha)
        add("Source", cachedSnapshot.map { "local cache, \($0) (the Hub was not asked: downloads, likes and gating unknown)" })
        add("Task", pipelineTag ?? "—")
        add("Library", libraryName ?? "—")
        var licenseText = license ?? "—"
        if let name = card?.licenseName { licenseText += " (\(name))" }
        if let link = card?.licenseLink { licenseText += " \(link)" }
        add("License", licenseText)
        add("Gated", gated.map { $0.isGated ? "\($0.rawValue): \(gatedAccess ?? "")" : "no" } ?? "unknown (the source does not say)")
        add("Downloads", downloads.map { "\(Format.count($0)) (last 30 days)" })
        add("Likes", likes.map(String.init))
        add("Updated", lastModified.map { Format.day($0) })
        add("Architecture", architecture.map { a in modelType.map { "\(a) (\($0))" } ?? a })
        if let parameters {
            var text = "\(Format.parameters(parameters.total)) (\(parameters.total))"
            if let active = parameters.active { text += ", \(Format.parameters(active)) active per token" }
            text += " — " + Self.sourceText(parameters.source)
            add("Parameters", text)
        }
        add("Weights", weightBytes.map { "\(ByteCount.format($0)) of tensors (exact, from headers)" })
        add("Dtype", dtype)
        add("Quantization", quantization)
        add("Context", contextLength.map { "\($0) tokens\(contextLengthSource.map { " (from \($0))" } ?? "")" })
        if let card {
            add("Base model", card.baseModel.joined(separator: ", "))
            add("Datasets", card.datasets.prefix(5).joined(separator: ", ") + (card.datasets.count > 5 ? ", …" : ""))
            add("Languages", card.languages.prefix(10).joined(separator: ", "))
            if !card.evalResults.isEmpty {
                lines.append("Evaluations")
                for e in card.evalResults.prefix(8) {
                    lines.append("  " + [e.task, e.dataset, e.metric].compactMap { $0 }.joined(separator: " · ") + ": \(e.value)")
                }
            }
            if let summary = card.summary {
                lines.append("")
                lines.append(summary)
            }
        }
        lines.append("")
        lines.append("Files (\(files.count), \(ByteCount.format(totalFileBytes)) in all; binary units):")
        let groups = Dictionary(grouping: files, by: \.format)
        let order = RepoFileFormat.allCases.map(\.rawValue)
        for format in order where groups[format] != nil {
            let group = groups[format]!.sorted { $0.path < $1.path }
            let bytes = ByteTotal.saturatingSum(group.map { $0.size ?? 0 })
            lines.append("  \(format) (\(group.count), \(ByteCount.format(bytes)))")
            var table = Table(headers: ["    PATH", "SIZE", "QUANT"], rightAligned: [1])
            for file in group.prefix(40) {
                table.rows.append(["    " + file.path, file.size.map(ByteCount.format) ?? "—", file.quantization ?? ""])
            }
            lines.append(contentsOf: table.render().split(separator: "\n").dropFirst().map(String.init))
            if group.count > 40 { lines.append("    … \(group.count - 40) more") }
        }
        if headerBytesFetched > 0 {
            lines.append("")
            lines.append(cachedSnapshot == nil
                ? "Read \(ByteCount.format(headerBytesFetched)) of headers with HTTP Range requests (no weights downloaded)."
                : "Read \(ByteCount.format(headerBytesFetched)) of headers from the cached files.")
        }
        for warning in warnings { lines.append("note: \(warning)") }
        return lines.joined(separator: "\n")
    }

    static func sourceText(_ source: String) -> String {
        switch source {
        case ParameterSource.tensorHeaders.rawValue: "exact, from tensor headers"
        case ParameterSource.hubAPI.rawValue: "from the Hub API (stored elements, buffers included)"
        default: "estimated from config.json"
        }
    }
}
