import ArgumentParser
import HubScoutCache
import HubScoutCore
import HubScoutCatalogSync
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout search`: query the Hub's model listing.
    struct SearchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Search models on the Hub by text, task, author, library, license and tags.",
            discussion: """
            Filters combine (all must match). Results are sorted by --sort (descending) and fetched page by page.

            Examples:
              hubscout search llama --task text-generation --limit 5
              hubscout search --author Qwen --library transformers --sort likes
              hubscout search --license apache-2.0 --tag gguf --json
              hubscout search --task text-generation --fits 16GB --limit 10
              hubscout search --task text-generation --fits auto --precision int4
              hubscout search --local qwen --library gguf

            --fits keeps paging until --limit models fit (or --max-pages pages were read, stated on stderr). SIZE is one device's memory with nothing kept free: a model is kept when its whole estimate (weights + KV cache at --context, default 8192, + runtime overhead) fits in SIZE. `auto` uses this machine's largest GPU, else its available RAM, keeping 1 GiB free. Each row says the best precision that fits (fp16, then int8, then int4) and its total; models without a usable config.json are skipped and counted.

            Every online search is recorded in the local catalog ($HUBSCOUT_HOME/catalog.sqlite, filled on first run from the snapshot shipped in cache/). With --offline, with HF_HUB_OFFLINE=1, or when the Hub cannot be reached, the same filters are answered from that catalog, and stderr says so; an empty catalog is an error (exit 27), not an empty answer.

            With --local, the models on this machine instead (every tool's: Hugging Face cache, Ollama, LM Studio, llama.cpp, --path folders), as the last hubscout ls --all or hubscout dedupe recorded them in the catalog: the query matches the name or repository (case-insensitive substring), --author the repository's owner, --library gguf or safetensors the weight format, --tool the tool. --local always answers from the catalog, with or without --offline (it never asks the Hub), in the ls --all table or, with --json, its objects. Before any scan it is an error (exit 27): run hubscout ls --all first.

            On a terminal the table is fitted to its width: long ids end with …, and UPDATED, LIKES, TASK, DOWNLOADS, GATED are left out in that order when needed (stderr says which). --no-truncate keeps everything; a pipe or file always gets whole rows.
            """
        )

        @OptionGroup var filters: ModelFilterOptions
        @Flag(help: "Answer from the local catalog only, without the network (also used by itself when the Hub cannot be reached).")
        var offline = false
        @Flag(help: "List the models on this machine recorded by the last `hubscout ls --all` (from the catalog; implies --offline).")
        var local = false
        @Option(help: ArgumentHelp("With --local: only this tool's models (huggingface, ollama, lmstudio, llamacpp, path).", valueName: "tool"))
        var tool: String?
        @Option(name: .customLong("max-pages"), help: ArgumentHelp("With --fits: listing pages read at most (100 models each).", valueName: "n"))
        var maxPages: Int = FitSearch.defaultMaxPages

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (1...1000).contains(maxPages) else { throw ValidationError("--max-pages must be between 1 and 1000") }
            guard !(hub.verbose && output.quiet) else { throw ValidationError("--verbose and --quiet contradict each other") }
            if local {
                var unsupported: [String] = []
                if filters.task != nil { unsupported.append("--task") }
                if filters.license != nil { unsupported.append("--license") }
                if !filters.tags.isEmpty { unsupported.append("--tag") }
                if filters.gated != nil { unsupported.append("--gated") }
                if filters.fits != nil { unsupported.append("--fits") }
                if let library = filters.library, LocalSearchOutput.format(library: library) == nil {
                    throw ValidationError("with --local, --library can only be gguf or safetensors (the weight format), not \(library)")
                }
                guard unsupported.isEmpty else {
                    throw ValidationError("--local lists the models on this machine by text, --author, --library gguf|safetensors and --tool; \(unsupported.joined(separator: ", ")) cannot apply")
                }
                if let tool, LocalTool(rawValue: tool.lowercased()) == nil {
                    throw ValidationError("--tool must be one of \(LocalTool.allCases.map(\.rawValue).joined(separator: ", ")), not \(tool)")
                }
            } else if tool != nil {
                throw ValidationError("--tool only applies with --local")
            }
        }

        func run() async throws {
            try await CommandRunner.run {
                let environment = hub.environment
                if local {
                    try await LocalSearchOutput.run(filters, tool: tool, environment: environment, json: output.json)
                    return
                }
                if offline || environment.offline {
                    try await runOffline()
                    return
                }
                do {
                    if let fits = filters.fits { try await runFits(fits) } else { try await runOnline() }
                } catch where OfflineSearch.shouldFallBack(after: error) {
                    Terminal.note("note: the Hub could not be reached (\(error)); answering from the local catalog instead")
                    try await runOffline()
                }
            }
        }

        /// The same filters answered from the local catalog.
        func runOffline() async throws {
            try await OfflineSearchOutput.run(filters, environment: hub.environment, json: output.json)
        }

        /// The Hub's listing, recorded into the catalog.
        func runOnline() async throws {
                let query = filters.modelQuery(limit: filters.limit, expand: ModelQuery.listingFields)
                var models: [ModelInfo] = []
                for try await model in try hub.client().listModels(query) { models.append(model) }
                await CatalogHook.record(environment: hub.environment) { await $0.record(listing: models) }
                if output.json {
                    Terminal.print(try Format.json(models.map(ModelSummary.init)))
                    return
                }
                guard !models.isEmpty else {
                    Terminal.note("no models match these filters")
                    return
                }
                var table = SearchTable(withFit: false)
                for model in models {
                    table.append(id: model.id, task: model.pipelineTag, parameters: model.apiParameterCount, fit: nil,
                                 downloads: model.downloads, likes: model.likes, gated: model.gated,
                                 updated: model.lastModified ?? model.createdAt)
                }
                table.print()
        }

        /// `--fits`: pages until `limit` models fit; rows gain a FIT column (JSON: a `fit` object).
        func runFits(_ fits: FitsArgument) async throws {
            let budget = await fits.budget()
            if case .size(let size) = fits {
                Terminal.note("budget: \(HardwareOverride.explain(size)); one device, nothing kept free")
            }
            Terminal.note("fits: \(budget.summary); context \(filters.context ?? EstimateOptions.defaultContext) tokens")
            let search = FitSearch(client: try hub.client(), query: filters.modelQuery(limit: nil, expand: ModelQuery.listingFields), budget: budget,
                                   precision: filters.precision.precision, options: EstimateOptions(context: filters.context),
                                   limit: filters.limit, maxPages: maxPages)
            let result = try await search.run()
            await CatalogHook.record(environment: hub.environment) { await $0.record(listing: result.matches.map(\.model)) }
            Terminal.note(FitSearchReport.stderrSummary(result, maxPages: maxPages, verbose: hub.verbose))
            if output.json {
                Terminal.print(try Format.json(result.matches.map(FitSearchRowJSON.init)))
                return
            }
            guard !result.matches.isEmpty else {
                Terminal.note("no models fit with these filters")
                return
            }
            var table = SearchTable(withFit: true)
            for match in result.matches {
                let model = match.model
                table.append(id: model.id, task: model.pipelineTag, parameters: match.parameters?.total ?? model.apiParameterCount,
                             fit: FitSearchReport.cell(match), downloads: model.downloads, likes: model.likes, gated: model.gated,
                             updated: model.lastModified ?? model.createdAt)
            }
            table.print()
        }
    }
}
