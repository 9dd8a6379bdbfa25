import ArgumentParser
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout models`: hf's spelling of the model listing (`hf models ls`), answered by `search`.
    struct ModelsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "models",
            abstract: "Models on the Hub, as hf names the command: models ls is hubscout search.",
            subcommands: [List.self]
        )

        /// `models ls`: `search` with hf's option names added (`--search`, `--filter`, `--pipeline-tag`).
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ls",
                abstract: "Search models on the Hub (the same command as hubscout search, with hf's option names).",
                discussion: """
                Every option of hubscout search works here and gives the same rows. hf's spellings are accepted too: --search TEXT (the text to look for), --filter TAG (a tag, repeatable: --tag), --pipeline-tag TASK (--task).

                Examples:
                  hubscout models ls --search llama --author meta-llama --limit 5
                  hubscout models ls --pipeline-tag text-generation --sort likes
                  hubscout models ls --filter gguf --fits 16GB
                """,
                aliases: ["list"]
            )

            @Option(name: .customLong("search"), help: ArgumentHelp("Text to look for in the repo id (as hf models ls --search).", valueName: "text"))
            var searchText: String?
            @Option(name: .customLong("filter"), help: ArgumentHelp("A tag that must be present, as --tag (repeatable).", valueName: "tag"))
            var filterTags: [String] = []
            @Option(name: .customLong("pipeline-tag"), help: ArgumentHelp("Task (pipeline tag), as --task.", valueName: "task"))
            var pipelineTag: String?
            // search's own options, declared again rather than `@OptionGroup var search: SearchCommand`: a command used as an
            // option group lands in the usage line (`hubscout models search ls`, swift-argument-parser #578).
            @OptionGroup var filters: ModelFilterOptions
            @Flag(help: "Answer from the local catalog only, without the network (also used by itself when the Hub cannot be reached).")
            var offline = false
            @Option(name: .customLong("max-pages"), help: ArgumentHelp("With --fits: listing pages read at most (100 models each).", valueName: "n"))
            var maxPages: Int = FitSearch.defaultMaxPages
            @OptionGroup var hub: HubOptions
            @OptionGroup var output: OutputOptions

            func validate() throws {
                if searchText != nil, filters.query != nil {
                    throw ValidationError("give the search text once: as an argument or with --search, not both")
                }
                if pipelineTag != nil, filters.task != nil {
                    throw ValidationError("give the task once: --pipeline-tag or --task, not both")
                }
                _ = try search()
            }

            /// `search` with these options: parsed with its defaults, then given every value read here, so an option
            /// search gains later keeps its default instead of being left unset.
            func search() throws -> SearchCommand {
                var command = try SearchCommand.parse([])
                var filters = filters
                if let searchText { filters.query = searchText }
                if let pipelineTag { filters.task = pipelineTag }
                filters.tags += filterTags
                command.filters = filters
                command.offline = offline
                command.maxPages = maxPages
                command.hub = hub
                command.output = output
                try command.validate()
                return command
            }

            func run() async throws {
                try await search().run()
            }
        }
    }
}
