// Finds text-generation models, keeps the first that fits in 16 GB, and downloads its config and weights.
// The Hub, cache and token come from HF_ENDPOINT, HF_HOME / HF_HUB_CACHE and HF_TOKEN, as in huggingface_hub.
//
//   HF_ENDPOINT=http://127.0.0.1:8080 HF_HOME=/tmp/hf swift run FindSizeDownload [TASK] [BUDGET_BYTES]
import Foundation
import HubScoutKit

let arguments = CommandLine.arguments.dropFirst()
let task = arguments.first ?? "text-generation"
let budget = arguments.dropFirst().first.flatMap { Int64($0) } ?? 16_000_000_000

let hub = try HubScout()
print("Hub: \(hub.environment.endpoint), cache: \(hub.cacheDirectory.path)")

// 1. Search.
let models = try await hub.search(ModelFilter(task: task, sort: .downloads), limit: 10)
print("found \(models.count) \(task) models: \(models.map(\.id).joined(separator: ", "))")

// 2. Size each until one fits the budget.
var chosen: (repo: RepoID, fit: ModelFit)?
for model in models {
    let repo = try RepoID(model.id)
    let fit = try await hub.fit(repo, on: .budget(budget))
    if fit.fits, let format = fit.format, let total = fit.totalBytes {
        print("\(repo) fits in \(ByteCount.format(budget)) as \(format): \(ByteCount.format(total))")
        chosen = (repo, fit)
        break
    }
    print("\(repo): \(fit.reason ?? "does not fit")")
}
guard let (repo, _) = chosen else {
    print("no model fits \(ByteCount.format(budget))")
    exit(1)
}

// 3. Download its config and weights; the last update is the folder to load from.
var folder: URL?
for try await update in hub.download(repo, files: ["*.json", "*.safetensors"]) {
    switch update {
    case .event(.planned(let plan)):
        print("downloading \(plan.files.count) files (\(ByteCount.format(plan.bytesToFetch))) at \(plan.commit)")
    case .event(.fileFinished(let file)):
        print("  \(file.path): \(file.status.rawValue), verified \(file.verified)")
    case .completed(let download):
        folder = download.folder
    default:
        break
    }
}
print("model folder: \(folder?.path ?? "none")")
