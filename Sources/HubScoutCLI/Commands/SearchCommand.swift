import ArgumentParser
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout search`: query the Hub's model listing.
    struct SearchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Search models on the Hub by text, task, author, library, license and tags.",
            discussion: """
            Filters combine (all must match). Results come newest-first per --sort, fetched page by page.

            Examples:
              hubscout search llama --task text-generation --limit 5
              hubscout search --author Qwen --library transformers --sort likes
              hubscout search --license apache-2.0 --tag gguf --json
              hubscout search --task text-generation --fits 16GB --limit 10
              hubscout search --task text-generation --fits auto --precision int4 --context 32768

            --fits keeps paging until --limit models fit (or --max-pages pages were read, stated on stderr).
            SIZE is one device's memory with nothing kept free: a model is kept when its whole estimate
            (weights + KV cache at --context, default 8192, + runtime overhead) fits in SIZE. `auto` uses this
            machine's largest GPU, else its available RAM, keeping 1 GiB free. Each row says the best precision
            that fits (fp16, then int8, then int4) and its total; models without a usable config.json are skipped
            and counted.

            Every online search is recorded in the local catalog ($HUBSCOUT_HOME/catalog.sqlite, filled on first
            run from the snapshot shipped in cache/). With --offline, with HF_HUB_OFFLINE=1, or when the Hub
            cannot be reached, the same filters are answered from that catalog, and stderr says so.
            """
        )

        @Argument(help: "Text to look for in the repo id.")
        var query: String?

        @Option(help: ArgumentHelp("Task (pipeline tag), e.g. text-generation, feature-extraction.", valueName: "task"))
        var task: String?
        @Option(help: ArgumentHelp("Owner (user or organisation).", valueName: "name"))
        var author: String?
        @Option(help: ArgumentHelp("Library, e.g. transformers, gguf, mlx, diffusers.", valueName: "name"))
        var library: String?
        @Option(help: ArgumentHelp("License id, e.g. apache-2.0, mit, llama3.1.", valueName: "id"))
        var license: String?
        @Option(name: .customLong("tag"), help: ArgumentHelp("A tag that must be present (repeatable).", valueName: "tag"))
        var tags: [String] = []
        @Option(help: ArgumentHelp("Sort by downloads, likes, trending, created or updated (descending).", valueName: "key"))
        var sort: String = "downloads"
        @Flag(inversion: .prefixedNo, help: "Only gated (--gated) or only non-gated (--no-gated) models.")
        var gated: Bool?
        @Option(help: "How many models to show.")
        var limit: Int = 20
        @Flag(help: "Answer from the local catalog only, without the network (also used by itself when the Hub cannot be reached).")
        var offline = false

        @Option(help: ArgumentHelp("Keep only models that fit SIZE (e.g. 16GB, 24GiB; one device, no margin) or `auto` (this machine).",
                                   valueName: "size|auto"))
        var fits: String?
        @Option(help: ArgumentHelp("With --fits: precisions allowed, fp16, int8, int4 or any (best first).", valueName: "p"))
        var precision: String = "any"
        @Option(help: ArgumentHelp("With --fits: tokens of context the KV cache is sized for (default 8192).", valueName: "n"))
        var context: Int?
        @Option(name: .customLong("max-pages"), help: ArgumentHelp("With --fits: listing pages read at most (100 models each).", valueName: "n"))
        var maxPages: Int = FitSearch.defaultMaxPages

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard ModelSort(userInput: sort) != nil else {
                throw ValidationError("--sort must be one of downloads, likes, trending, created, updated")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
            guard SearchPrecision(rawValue: precision.lowercased()) != nil else {
                throw ValidationError("--precision must be one of fp16, int8, int4, any")
            }
            if let fits, fits.lowercased() != "auto" {
                guard let size = ByteCount.parse(fits), size.bytes > 0 else {
                    throw ValidationError("--fits \"\(fits)\" is not a size; write it like 16GB (decimal), 16GiB or 16G (binary), or auto")
                }
            }
            if let context { guard (1...(1 << 30)).contains(context) else { throw ValidationError("--context must be between 1 and 1073741824") } }
            guard (1...1000).contains(maxPages) else { throw ValidationError("--max-pages must be between 1 and 1000") }
            if fits == nil, context != nil || precision.lowercased() != "any" {
                throw ValidationError("--precision and --context only apply with --fits SIZE|auto")
            }
        }

        func run() async throws {
            try await CommandRunner.run {
                let environment = hub.environment
                if offline || environment.offline {
                    try await runOffline()
                    return
                }
                do {
                    if let fits { try await runFits(fits) } else { try await runOnline() }
                } catch where OfflineSearch.shouldFallBack(after: error) {
                    Terminal.note("note: the Hub could not be reached (\(error)); answering from the local catalog instead")
                    try await runOffline()
                }
            }
        }

        /// The same filters answered from the local catalog.
        func runOffline() async throws {
            let fit = await OfflineSearchOutput.fit(fits, precision: SearchPrecision(rawValue: precision.lowercased()) ?? .any, context: context)
            let options = OfflineSearch.Options(text: query, task: task, author: author, library: library, license: license, tags: tags,
                                                gated: gated, sort: ModelSort(userInput: sort), limit: limit, fit: fit)
            try await OfflineSearchOutput.run(options, environment: hub.environment, json: output.json)
        }

        /// The Hub's listing, recorded into the catalog.
        func runOnline() async throws {
                let query = ModelQuery(search: query, author: author, task: task, library: library, license: license, tags: tags,
                                       gated: gated, sort: ModelSort(userInput: sort), limit: limit, expand: Self.listingFields)
                var models: [ModelInfo] = []
                for try await model in hub.client().listModels(query) { models.append(model) }
                await CatalogHook.record(environment: hub.environment) { await $0.record(listing: models) }
                if output.json {
                    Terminal.print(try Format.json(models.map(ModelSummary.init)))
                    return
                }
                guard !models.isEmpty else {
                    Terminal.note("no models match these filters")
                    return
                }
                var table = Table(headers: ["MODEL", "TASK", "PARAMS", "DOWNLOADS", "LIKES", "GATED", "UPDATED"], rightAligned: [2, 3, 4])
                for model in models {
                    table.rows.append([model.id, model.pipelineTag ?? "—", Format.parameters(model.apiParameterCount),
                                       Format.count(model.downloads), Format.count(model.likes), Format.gated(model.gated),
                                       Format.day(model.lastModified ?? model.createdAt)])
                }
                Terminal.print(table.render())
        }

        /// `--fits`: pages until `limit` models fit; rows gain a FIT column (JSON: a `fit` object).
        func runFits(_ fits: String) async throws {
            let budget: FitBudget
            if fits.lowercased() == "auto" {
                let hardware = await HardwareDetector().detect()
                budget = .hardware(hardware.hostMemory)
            } else if let size = ByteCount.parse(fits) {
                budget = .size(size.bytes)
                Terminal.note("budget: \(HardwareOverride.explain(size)); one device, nothing kept free")
            } else {
                throw ValidationError("--fits must be a size or auto")
            }
            Terminal.note("fits: \(budget.summary); context \(context ?? EstimateOptions.defaultContext) tokens")
            let query = ModelQuery(search: query, author: author, task: task, library: library, license: license, tags: tags,
                                   sort: ModelSort(userInput: sort), expand: Self.listingFields)
            let search = FitSearch(client: hub.client(), query: query, budget: budget,
                                   precision: SearchPrecision(rawValue: precision.lowercased()) ?? .any,
                                   options: EstimateOptions(context: context), limit: limit, maxPages: maxPages)
            let result = try await search.run()
            await CatalogHook.record(environment: hub.environment) { await $0.record(listing: result.matches.map(\.model)) }
            Terminal.note(FitSearchReport.stderrSummary(result, maxPages: maxPages))
            if output.json {
                Terminal.print(try Format.json(result.matches.map(FitSearchRowJSON.init)))
                return
            }
            guard !result.matches.isEmpty else {
                Terminal.note("no models fit with these filters")
                return
            }
            var table = Table(headers: ["MODEL", "TASK", "PARAMS", "FIT", "DOWNLOADS", "LIKES", "GATED", "UPDATED"], rightAligned: [2, 4, 5])
            for match in result.matches {
                let model = match.model
                table.rows.append([model.id, model.pipelineTag ?? "—", Format.parameters(match.parameters?.total ?? model.apiParameterCount),
                                   FitSearchReport.cell(match), Format.count(model.downloads), Format.count(model.likes),
                                   Format.gated(model.gated), Format.day(model.lastModified ?? model.createdAt)])
            }
            Terminal.print(table.render())
        }

        /// The fields a listing row needs, asked for with `expand`.
        static let listingFields = ["author", "pipeline_tag", "library_name", "downloads", "likes", "gated", "lastModified",
                                    "createdAt", "tags", "safetensors", "cardData", "private", "trendingScore"]
    }
}
