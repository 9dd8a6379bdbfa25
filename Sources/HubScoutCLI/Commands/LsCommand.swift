import ArgumentParser
import Foundation
import HubScoutCatalog
import HubScoutCatalogSync
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout ls`: models in the local Hugging Face cache.
    struct LsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List models in the local Hugging Face cache with size on disk, revision and whether they fit this machine.",
            discussion: """
            With --all, every model on this machine whichever tool fetched it: the Hugging Face cache, Ollama (OLLAMA_MODELS, ~/.ollama/models), LM Studio (its downloadsFolder, ~/.lmstudio/models), llama.cpp (LLAMA_CACHE) and any folder given with --path. Parameters, context and fit come from each model's own file headers; DUP numbers sets of identical files (hubscout dedupe links them). Nothing is written to the tools' folders.

            FIT is the best precision (fp16, then int8, then int4) whose estimate at the model's default context fits this machine's largest GPU (else its available RAM) with 1 GiB kept free; it needs the catalog to know the model (shipped snapshot, hubscout info, or catalog sync). `—` means no estimate is known.

            Examples:
              hubscout ls
              hubscout ls --json
              hubscout ls --all
              hubscout ls --all --path /data/models --json
              HF_HOME=/data/hf hubscout ls
            """
        )

        @Flag(help: "Every local model: the Hugging Face cache, Ollama, LM Studio, llama.cpp and --path folders.")
        var all = false
        @Option(name: .customLong("path"), help: ArgumentHelp("Also look in this folder for GGUF and safetensors models (repeatable; implies --all).", valueName: "folder"))
        var paths: [String] = []
        @OptionGroup var cache: CacheDirectoryOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            if all || !paths.isEmpty {
                try await CommandRunner.run { try await LocalModelsListing(paths: paths, cache: cache, json: output.json).run() }
                return
            }
            try await CommandRunner.run {
                let environment = HubEnvironment()
                let inventory = CacheScanner(root: cache.root(in: environment)).scan()
                for warning in inventory.warnings { Terminal.note("warning: \(warning)") }
                var catalog: Catalog?
                do {
                    catalog = try await FirstRun.prepareCatalog(environment: environment).catalog
                } catch {
                    Terminal.note("warning: fit is not shown: \(error)")
                }
                let hardware = await ThisMachine.hardware()
                let fit = FitBudget.hardware(hardware.hostMemory).constraint()
                var rows: [LsRowJSON] = []
                for repo in inventory.repos {
                    let detail = try? await catalog?.model(id: repo.id)
                    rows.append(LsRowJSON(repo: repo, detail: detail ?? nil, budgetBytes: fit.budgetBytes))
                }
                if output.json {
                    Terminal.print(try Format.json(LsJSON(cache: inventory.root, budgetBytes: fit.budgetBytes, totalBytes: inventory.totalBytes, models: rows)))
                    return
                }
                guard !rows.isEmpty else {
                    Terminal.note("no models in \(inventory.root)")
                    return
                }
                var table = Table(headers: ["MODEL", "REVISION", "SIZE", "PARAMS", "FIT", "LAST USED"], rightAligned: [2, 3])
                for row in rows {
                    let fitCell: String
                    if let precision = row.fitPrecision, let total = row.fitTotalBytes {
                        fitCell = "\(precision) \(ByteCount.format(total))"
                    } else if let smallest = row.smallestTotalBytes {
                        fitCell = "no (needs \(ByteCount.format(smallest)))"
                    } else {
                        fitCell = "—"
                    }
                    table.rows.append([row.id, row.revisions.map(\.name).joined(separator: ", "), ByteCount.format(row.sizeOnDisk),
                                       Format.parameters(row.parameters), fitCell, Format.day(row.lastAccessed)])
                }
                Terminal.print(table.render())
                Terminal.note("\(rows.count) \(rows.count == 1 ? "model" : "models"), \(ByteCount.format(inventory.totalBytes)) in \(inventory.root); fit against \(ByteCount.format(fit.budgetBytes)) (\(FitBudget.hardware(hardware.hostMemory).summary))")
            }
        }
    }
}

/// `ls --json`.
struct LsJSON: Encodable {
    var cache: String
    var budgetBytes: Int64
    var totalBytes: Int64
    var models: [LsRowJSON]
}

/// One local model.
struct LsRowJSON: Encodable {
    var id: String
    var sizeOnDisk: Int64
    /// Bytes of `sizeOnDisk` in huggingface_hub 2.x's shared store, which other repositories may link too.
    var sharedBytes: Int64
    var lastAccessed: Date?
    var revisions: [Revision]
    var parameters: Int64?
    var fitPrecision: String?
    var fitTotalBytes: Int64?
    /// The smallest estimate when none fits (what it would need).
    var smallestTotalBytes: Int64?

    struct Revision: Encodable {
        var name: String
        var commit: String
        var refs: [String]
        var sizeOnDisk: Int64
    }

    init(repo: CachedRepo, detail: CatalogModelDetail?, budgetBytes: Int64) {
        id = repo.id
        sizeOnDisk = repo.sizeOnDisk
        sharedBytes = repo.sharedBytes
        lastAccessed = repo.lastAccessed
        revisions = repo.revisions.map { Revision(name: $0.displayName, commit: $0.commit, refs: $0.refs, sizeOnDisk: $0.sizeOnDisk) }
        parameters = detail?.model.parameters?.total
        let estimates = (detail?.estimates ?? []).sorted { $0.precision < $1.precision }
        let totals = estimates.compactMap { e in e.totalBytes(context: e.defaultContext).map { (e.precision, $0) } }
        if let best = totals.first(where: { $0.1 <= budgetBytes }) {
            fitPrecision = best.0.rawValue
            fitTotalBytes = best.1
        } else {
            smallestTotalBytes = totals.map(\.1).min()
        }
    }
}
