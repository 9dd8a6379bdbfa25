import Foundation
import HubScoutCore
import HubScoutKit

/// What `hubscout info` shows, as text or JSON.
struct ModelReport: Encodable {
    struct File: Encodable {
        var path: String
        var size: Int64?
        var lfs: Bool
        var sha256: String?
    }
    struct Parameters: Encodable {
        var total: Int64
        var active: Int64?
        var source: String
        var byDType: [String: Int64]?
    }

    var id: String
    var sha: String?
    var pipelineTag: String?
    var libraryName: String?
    var license: String?
    var gated: GatedMode
    var gatedAccess: String?
    var downloads: Int?
    var likes: Int?
    var lastModified: Date?
    var architecture: String?
    var modelType: String?
    var parameters: Parameters?
    var files: [File]
    var totalFileBytes: Int64

    init(info: ModelInfo, environment: HubEnvironment) {
        id = info.id
        sha = info.sha
        pipelineTag = info.pipelineTag
        libraryName = info.libraryName
        license = info.license
        gated = info.gated ?? .notGated
        if gated.isGated {
            let how = gated == .manual ? "the owners review each request" : "access is granted once you accept the terms"
            gatedAccess = "request access at \(environment.endpoint)/\(info.id) (\(how)), then log in with hubscout login"
        }
        downloads = info.downloads
        likes = info.likes
        lastModified = info.lastModified
        architecture = info.architecture
        modelType = info.modelType
        if let safetensors = info.safetensors {
            parameters = Parameters(total: safetensors.total, source: ParameterSource.hubAPI.rawValue, byDType: safetensors.parameters)
        } else if let total = info.gguf?.total {
            parameters = Parameters(total: total, source: ParameterSource.hubAPI.rawValue)
        }
        files = (info.siblings ?? []).map { File(path: $0.path, size: $0.lfs?.size ?? $0.size, lfs: $0.lfs != nil, sha256: $0.lfs?.sha256) }
        totalFileBytes = files.reduce(0) { $0 + ($1.size ?? 0) }
    }

    func render() -> String {
        var lines: [String] = []
        func add(_ label: String, _ value: String?) {
            guard let value else { return }
            lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        add("Model", id)
        add("Commit", sha)
        add("Task", pipelineTag ?? "—")
        add("Library", libraryName ?? "—")
        add("License", license ?? "—")
        add("Gated", gated.isGated ? "\(gated.rawValue): \(gatedAccess ?? "")" : "no")
        add("Downloads", downloads.map { "\($0) (last 30 days)" })
        add("Likes", likes.map(String.init))
        add("Updated", lastModified.map(HubDate.format))
        add("Architecture", architecture.map { a in modelType.map { "\(a) (\($0))" } ?? a })
        if let parameters {
            let detail = parameters.byDType.map { dict in dict.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
            add("Parameters", "\(Format.parameters(parameters.total)) (\(parameters.total), from the Hub API's safetensors block\(detail.map { ": \($0)" } ?? ""))")
        }
        lines.append("")
        lines.append("Files (\(files.count), \(ByteCount.format(totalFileBytes)) in all; sizes in binary units):")
        var table = Table(headers: ["  PATH", "SIZE", "STORAGE"], rightAligned: [1])
        for file in files.sorted(by: { $0.path < $1.path }) {
            table.rows.append(["  " + file.path, file.size.map(ByteCount.format) ?? "—", file.lfs ? "lfs" : "git"])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
