import ArgumentParser
import Foundation
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout catalog`: the local SQLite catalog of models seen, synced and downloaded.
    struct CatalogCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "Manage the local catalog: sync it from the Hub, index the local cache, show statistics, search it offline.",
            discussion: """
            The catalog is one SQLite file at $HUBSCOUT_HOME/catalog.sqlite (default ~/.cache/hubscout/catalog.sqlite). On first use it is filled from the shipped snapshot (cache/models.jsonl; HUBSCOUT_SNAPSHOT overrides).

            Examples:
              hubscout catalog sync --task text-generation --limit 5000
              hubscout catalog scan
              hubscout catalog stats --json
              hubscout catalog search llama --task text-generation --fits 16GB
            """,
            subcommands: [Sync.self, Scan.self, Stats.self, Search.self]
        )

        /// Opens the catalog (importing the snapshot on first use), printing its warnings on stderr.
        static func open(_ environment: HubEnvironment) async throws -> Catalog {
            let prepared = try await FirstRun.prepareCatalog(environment: environment)
            for warning in prepared.warnings { Terminal.note("warning: \(warning)") }
            if let imported = prepared.imported {
                Terminal.note("imported \(Plural.count(imported.models, "model")) from \(prepared.snapshot?.path ?? "the snapshot") into the new catalog")
            }
            return prepared.catalog
        }

        /// `catalog sync`.
        struct Sync: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Refresh the catalog from the Hub's model listing (most downloaded first), paged and resumable.",
                discussion: """
                Each page is stored in one transaction and the next-page cursor is saved, so an interrupted sync (Ctrl-C, network loss) resumes where it stopped when run again with the same --task/--author.

                Examples:
                  hubscout catalog sync --limit 10000
                  hubscout catalog sync --task text-generation --author Qwen
                  hubscout catalog sync --task text-generation --restart
                """
            )

            @Option(help: ArgumentHelp("Only this task (pipeline tag).", valueName: "task"))
            var task: String?
            @Option(help: ArgumentHelp("Only this owner.", valueName: "name"))
            var author: String?
            @Option(help: ArgumentHelp("Stop after this many models (default: the whole listing).", valueName: "n"))
            var limit: Int?
            @Option(name: .customLong("page-size"), help: ArgumentHelp("Models per request (1–1000).", valueName: "n"))
            var pageSize: Int = 1000
            @Flag(help: "Start from the first page even if an earlier sync was interrupted.")
            var restart = false

            @OptionGroup var hub: HubOptions
            @OptionGroup var output: OutputOptions

            func validate() throws {
                if let limit { guard limit > 0 else { throw ValidationError("--limit must be positive") } }
                guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 1000") }
            }

            func run() async throws {
                try await CommandRunner.run {
                    let catalog = try await CatalogCommand.open(hub.environment)
                    let options = CatalogSync.Options(task: task, author: author, limit: limit, pageSize: pageSize, restart: restart)
                    let started = Date()
                    let result = try await CatalogSync(client: try hub.client(), catalog: catalog).run(options) { progress in
                        Terminal.note("page \(progress.pages)\(progress.resumed ? " (resumed)" : ""): \(Plural.count(progress.totalModels, "model")) stored")
                    }
                    let seconds = Date().timeIntervalSince(started)
                    if output.json {
                        Terminal.print(try Format.json(SyncJSON(key: CatalogSync.key(for: options), pages: result.pages, models: result.models,
                                                                totalModels: result.totalModels, resumed: result.resumed, seconds: seconds,
                                                                catalog: catalog.path)))
                    } else {
                        Terminal.print("synced \(Plural.count(result.models, "model")) in \(Plural.count(result.pages, "page")) (\(String(format: "%.1f", seconds)) s)\(result.resumed ? ", resumed from the stored cursor" : "") into \(catalog.path)")
                    }
                }
            }
        }

        /// `catalog scan`.
        struct Scan: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Index what is already in the Hugging Face cache (from huggingface_hub, llama.cpp or hubscout) without downloading.",
                discussion: """
                Reads $HF_HUB_CACHE (default $HF_HOME/hub, ~/.cache/huggingface/hub) and records every cached revision, its files and its size on disk in the catalog. Snapshots deleted since the last scan are forgotten.

                Examples:
                  hubscout catalog scan
                  HF_HOME=/data/hf hubscout catalog scan --json
                """
            )

            @OptionGroup var cache: CacheDirectoryOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                try await CommandRunner.run {
                    let inventory = CacheScanner(root: cache.root(in: HubEnvironment())).scan()
                    for warning in inventory.warnings { Terminal.note("warning: \(warning)") }
                    let catalog = try await CatalogCommand.open(HubEnvironment())
                    let warnings = await CatalogRecorder(catalog: catalog) { Terminal.note($0) }.record(inventory: inventory)
                    if output.json {
                        Terminal.print(try Format.json(ScanJSON(inventory: inventory, recordWarnings: warnings)))
                        return
                    }
                    guard !inventory.repos.isEmpty else {
                        Terminal.note("no models in \(inventory.root)")
                        return
                    }
                    var table = Table(headers: ["MODEL", "REVISIONS", "FILES", "SIZE ON DISK"], rightAligned: [1, 2, 3])
                    for repo in inventory.repos {
                        table.rows.append([repo.id, repo.revisions.map(\.displayName).joined(separator: ", "),
                                           String(repo.revisions.reduce(0) { $0 + $1.files.count }), ByteCount.format(repo.sizeOnDisk)])
                    }
                    Terminal.print(table.render())
                    Terminal.note("indexed \(Plural.count(inventory.repos.count, "model")), \(ByteCount.format(inventory.totalBytes)) in \(inventory.root)")
                }
            }
        }

        /// `catalog stats`.
        struct Stats: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show what the catalog holds: models per task, library and license, files, local snapshots, last sync.",
                discussion: """
                Examples:
                  hubscout catalog stats
                  hubscout catalog stats --json
                """
            )

            @OptionGroup var output: OutputOptions

            func run() async throws {
                try await CommandRunner.run {
                    let catalog = try await CatalogCommand.open(HubEnvironment())
                    let stats = try await catalog.stats()
                    let size = (try? FileManager.default.attributesOfItem(atPath: catalog.path)[.size] as? Int64) ?? nil
                    if output.json {
                        Terminal.print(try Format.json(StatsJSON(path: catalog.path, fileBytes: size, fullTextSearch: catalog.fullTextSearchAvailable,
                                                                 stats: stats)))
                        return
                    }
                    var lines = ["catalog: \(catalog.path)\(size.map { " (\(ByteCount.format($0)))" } ?? "")",
                                 "models: \(stats.models)", "files: \(stats.files)",
                                 "local snapshots: \(stats.localSnapshots) (\(ByteCount.format(stats.localSnapshotBytes)))",
                                 "last synced: \(stats.lastSync.map { Format.day($0) } ?? "never")",
                                 "full-text search: \(catalog.fullTextSearchAvailable ? "FTS5" : "unavailable (substring matching)")"]
                    for (title, counts) in [("tasks", stats.byTask), ("libraries", stats.byLibrary), ("licenses", stats.byLicense)] {
                        let top = counts.prefix(8).map { "\($0.name) \($0.count)" }.joined(separator: ", ")
                        lines.append("\(title): \(top)\(counts.count > 8 ? ", … (\(counts.count - 8) more)" : "")")
                    }
                    Terminal.print(lines.joined(separator: "\n"))
                }
            }
        }

        /// `catalog search`: the offline search.
        struct Search: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Search the local catalog with the online search's filters, without network.",
                discussion: """
                Text matches a substring of the repo id, as online. --fits uses the memory estimates stored for each model (weights + KV cache at --context, default 8192 capped at the model's own, + overhead).

                Examples:
                  hubscout catalog search --task text-generation --fits 16GB
                  hubscout catalog search llama --sort likes --limit 5 --json
                  hubscout catalog search --license apache-2.0 --tag gguf
                """
            )

            @OptionGroup var filters: ModelFilterOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                try await CommandRunner.run {
                    try await OfflineSearchOutput.run(filters, environment: HubEnvironment(), json: output.json)
                }
            }
        }
    }
}

/// `catalog sync --json`.
struct SyncJSON: Encodable {
    var key: String
    var pages: Int
    var models: Int
    var totalModels: Int
    var resumed: Bool
    var seconds: Double
    var catalog: String
}

/// `catalog scan --json`: the inventory plus per-repo totals.
struct ScanJSON: Encodable {
    var root: String
    var totalBytes: Int64
    var repos: [Repo]
    var warnings: [String]

    struct Repo: Encodable {
        var id: String
        var path: String
        var sizeOnDisk: Int64
        var lastAccessed: Date?
        var revisions: [Revision]
        var incompleteFiles: Int
    }

    struct Revision: Encodable {
        var commit: String
        var refs: [String]
        var sizeOnDisk: Int64
        var files: Int
        var path: String
    }

    init(inventory: CacheInventory, recordWarnings: [String]) {
        root = inventory.root
        totalBytes = inventory.totalBytes
        warnings = inventory.warnings + recordWarnings
        repos = inventory.repos.map { repo in
            Repo(id: repo.id, path: repo.path, sizeOnDisk: repo.sizeOnDisk, lastAccessed: repo.lastAccessed,
                 revisions: repo.revisions.map { Revision(commit: $0.commit, refs: $0.refs, sizeOnDisk: $0.sizeOnDisk, files: $0.files.count, path: $0.path) },
                 incompleteFiles: repo.incomplete.count)
        }
    }
}

/// `catalog stats --json`.
struct StatsJSON: Encodable {
    var path: String
    var fileBytes: Int64?
    var fullTextSearch: Bool
    var stats: CatalogStats
}

/// One offline search row as JSON: the online search's row (`ModelSummary`), plus `fit` with `--fits`.
struct OfflineRowJSON: Encodable {
    struct Fit: Encodable {
        var precision: String
        var totalBytes: Int64
    }

    var summary: ModelSummary
    var fit: Fit?

    init(_ row: OfflineSearch.Row) {
        summary = ModelSummary(row.model)
        if let precision = row.fitPrecision, let total = row.fitTotalBytes { fit = Fit(precision: precision.rawValue, totalBytes: total) }
    }

    private enum CodingKeys: String, CodingKey { case fit }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        guard let fit else { return }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fit, forKey: .fit)
    }
}
