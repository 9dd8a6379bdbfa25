import Foundation
import HubScoutCatalog
import HubScoutCore

// catalog-bench: fills a temporary catalog with N realistic models, then times typical searches.
//   catalog-bench [--models 1000000] [--runs 200] [--batch 250000] [--keep PATH] [--snapshot PATH] [--explain] [--broad N] [--upsert]
// --upsert ingests through upsert(models:) + upsertEstimates (the ordinary path) instead of bulkInsert.

struct Options {
    var models = 1_000_000
    var runs = 200
    var batch = 250_000
    var ordinaryUpsert = false
    var keep: String?
    var snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("cache/models.jsonl")
    var explain = false
    var broad = Catalog.Options().broadTextMatches

    init(_ arguments: [String]) {
        var it = arguments.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--models": models = it.next().flatMap(Int.init) ?? models
            case "--runs": runs = it.next().flatMap(Int.init) ?? runs
            case "--batch": batch = it.next().flatMap(Int.init) ?? batch
            case "--keep": keep = it.next()
            case "--snapshot": snapshot = URL(fileURLWithPath: it.next() ?? snapshot.path)
            case "--explain": explain = true
            case "--broad": broad = it.next().flatMap(Int.init) ?? broad
            case "--upsert": ordinaryUpsert = true
            default: print("unknown argument \(a)"); exit(2)
            }
        }
    }
}

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

let options = Options(CommandLine.arguments)
let population = try Population(snapshot: options.snapshot)
let folder = options.keep.map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("catalog-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let path = folder.appendingPathComponent("catalog.sqlite").path
let catalog = try Catalog(path: path, options: Catalog.Options(broadTextMatches: options.broad))
let clock = ContinuousClock()
var rng = SplitMix64(seed: 0x6875_6273_636F_7574)

// MARK: - Ingest
let existing = try await catalog.stats().models
if existing >= options.models {
    print("reusing \(existing) models in \(path)")
} else {
    print("generating \(options.models) models into \(path) (batches of \(options.batch))")
    var generation = Duration.zero
    var writeTime = Duration.zero
    let started = clock.now
    var index = 0
    try await catalog.withBulkLoad {
    while index < options.models {
        let g0 = clock.now
        let count = min(options.batch, options.models - index)
        var infos: [ModelInfo] = []
        var models: [SnapshotModel] = []
        var estimates: [[CatalogEstimate]] = []
        infos.reserveCapacity(count)
        models.reserveCapacity(count)
        estimates.reserveCapacity(count)
        for i in index..<index + count {
            let (info, snapshot) = population.model(i, &rng)
            infos.append(info)
            // The listing's own facts (config summary, API parameter count), as a Hub listing stores them.
            models.append(SnapshotModel(info: info))
            estimates.append(CatalogEstimator.estimate(snapshot: snapshot).estimates)
        }
        generation += clock.now - g0
        let w0 = clock.now
        if options.ordinaryUpsert {
            try await catalog.upsert(models: infos, seenAt: Date())
            var byID: [String: [CatalogEstimate]] = [:]
            for (info, rows) in zip(infos, estimates) where !rows.isEmpty { byID[info.id] = rows }
            try await catalog.upsertEstimates(byID)
        } else {
            try await catalog.bulkInsert(models, estimates: estimates, seenAt: Date())
        }
        writeTime += clock.now - w0
        index += count
        if index % 100_000 == 0 { print("  \(index) models, \(Int(Double(index) / milliseconds(clock.now - started) * 1000)) models/s") }
    }
    print(String(format: "  rows written in %.1f s (%.1f s in %@); rebuilding search indexes and the full-text index",
                 milliseconds(clock.now - started) / 1000, milliseconds(writeTime) / 1000, options.ordinaryUpsert ? "upsert" : "bulkInsert"))
    }
    let total = clock.now - started
    let rebuild = total - generation - writeTime
    let counts = try await catalog.rowCounts()
    let tableRows = counts.values.reduce(0, +) + counts["models", default: 0]  // + one full-text entry per model
    print(String(format: "  index + full-text rebuild %.1f s", milliseconds(rebuild) / 1000))
    let writing = total - generation
    let seconds = milliseconds(writing) / 1000
    print(String(format: "ingest: %d models in %.1f s (%.1f s writing, %.1f s generating): %.0f models/s written (listing row + tags + FTS + parameters + config summary + 3 estimates each)",
                 options.models, milliseconds(total) / 1000, seconds, milliseconds(generation) / 1000,
                 Double(options.models) / seconds))
    print("  rows: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ", models_fts \(counts["models", default: 0])")
    print(String(format: "ingest: %d table rows (%.2f per model): %.0f table rows/s", tableRows, Double(tableRows) / Double(options.models), Double(tableRows) / seconds))
}
try await catalog.setSyncState(key: "bench", cursor: nil)
var size: Int64 = 0
for suffix in ["", "-wal", "-shm"] {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
    size += (attributes?[.size] as? Int64) ?? Int64((attributes?[.size] as? Int) ?? 0)
}
print(String(format: "catalog size: %.1f MiB incl. WAL (", Double(size) / 1_048_576) + ByteCount.format(size) + ")")

// MARK: - Searches
let gib: Int64 = 1 << 30
let budgets: [Int64] = [8, 12, 16, 24, 48, 80].map { $0 * gib }
let sorts: [CatalogSort] = [.downloads, .likes, .trending]
let texts = ["llama instruct", "qwen coder", "mistral 7b", "gemma", "deepseek", "phi", "bge", "whisper large", "qwen2.5 7b instruct",
             "llama 3.1 8b", "gguf", "embedding", "mixtral", "smollm", "stable diffusion", "bert base", "e5", "olmo", "kimi", "gpt"]
let licenses = ["apache-2.0", "mit", "llama3", "cc-by-4.0", "llama3.1"]
let taskDraw = population.tasks

struct Case {
    var name: String
    var make: (inout SplitMix64) -> CatalogQuery
}
let cases = [
    Case(name: "task + fits + sort + limit 20") { rng in
        var task: String? = nil
        while task == nil { task = taskDraw.draw(&rng) }
        return CatalogQuery(task: task, sort: sorts[Int(rng.next() % 3)], limit: 20,
                            fit: FitQuery(budgetBytes: budgets[Int(rng.next() % UInt64(budgets.count))]))
    },
    Case(name: "full-text + license") { rng in
        CatalogQuery(text: texts[Int(rng.next() % UInt64(texts.count))], license: licenses[Int(rng.next() % UInt64(licenses.count))], limit: 20)
    },
    Case(name: "author") { rng in
        let author = rng.unit() < 0.5 ? population.seedAuthors.draw(&rng) : population.userAuthor(&rng)
        return CatalogQuery(author: author, sort: .downloads, limit: 20)
    },
]

var qrng = SplitMix64(seed: 42)
for c in cases {
    if options.explain {
        var erng = SplitMix64(seed: 7)
        for line in try await catalog.explain(c.make(&erng)) { print("  plan: \(line)") }
    }
    // Warm-up: a few runs not counted.
    for _ in 0..<10 { _ = try await catalog.search(c.make(&qrng)) }
    var times: [Double] = []
    var rows = 0
    for _ in 0..<options.runs {
        let query = c.make(&qrng)
        let t0 = clock.now
        let result = try await catalog.search(query)
        times.append(milliseconds(clock.now - t0))
        rows += result.count
    }
    times.sort()
    print(c.name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "runs %d  p50 %.2f ms  p99 %.2f ms  max %.2f ms  mean rows %.1f",
                 options.runs, percentile(times, 0.5), percentile(times, 0.99), times.last ?? 0,
                 Double(rows) / Double(options.runs)))
}
if options.explain {
    // Per-text cost of the full-text case (all licenses), to show which terms are expensive.
    for text in texts {
        var worst = 0.0
        for license in licenses {
            let t0 = clock.now
            _ = try await catalog.search(CatalogQuery(text: text, license: license, limit: 20))
            worst = max(worst, milliseconds(clock.now - t0))
        }
        print("  text \"\(text)\": worst over licenses \(String(format: "%.1f", worst)) ms")
    }
}
if options.keep == nil { try? FileManager.default.removeItem(at: folder) }
