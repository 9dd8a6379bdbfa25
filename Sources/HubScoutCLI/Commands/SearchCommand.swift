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
        @Option(help: "How many models to show.")
        var limit: Int = 20

        @OptionGroup var hub: HubOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard ModelSort(userInput: sort) != nil else {
                throw ValidationError("--sort must be one of downloads, likes, trending, created, updated")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        }

        func run() async throws {
            try await CommandRunner.run {
                let query = ModelQuery(search: query, author: author, task: task, library: library, license: license, tags: tags,
                                       sort: ModelSort(userInput: sort), limit: limit, expand: Self.listingFields)
                var models: [ModelInfo] = []
                for try await model in hub.client().listModels(query) { models.append(model) }
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
        }

        /// The fields a listing row needs, asked for with `expand`.
        static let listingFields = ["author", "pipeline_tag", "library_name", "downloads", "likes", "gated", "lastModified",
                                    "createdAt", "tags", "safetensors", "cardData", "private", "trendingScore"]
    }
}
