import ArgumentParser
import HubScoutCore
import HubScoutKit

/// The filters `search` and `catalog search` share, online and offline alike.
struct ModelFilterOptions: ParsableArguments {
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
    @Flag(inversion: .prefixedNo, help: "Only gated (--gated) or only non-gated (--no-gated) models.")
    var gated: Bool?
    @Option(help: ArgumentHelp("Sort by downloads, likes, trending, created or updated (descending).", valueName: "key"))
    var sort: ModelSort = .downloads
    @Option(help: "How many models to show.")
    var limit: Int = 20

    @Option(help: ArgumentHelp("Keep only models that fit SIZE (e.g. 16GB, 24GiB; one device, no margin) or `auto` (this machine).",
                               valueName: "size|auto"))
    var fits: FitsArgument?
    @Option(help: ArgumentHelp("With --fits: precisions allowed, fp16, int8, int4 or any (best first).", valueName: "p"))
    var precision = PrecisionArgument(nil)
    @Option(help: ArgumentHelp("With --fits: tokens of context the KV cache is sized for (default 8192).", valueName: "n"))
    var context: Int?

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        if let context { guard (1...(1 << 30)).contains(context) else { throw ValidationError("--context must be between 1 and 1073741824") } }
        if fits == nil, context != nil || precision.precision != nil {
            throw ValidationError("--precision and --context only apply with --fits SIZE|auto")
        }
    }

    /// The filter these options describe.
    var filter: ModelFilter {
        ModelFilter(text: query, task: task, author: author, library: library, license: license, tags: tags,
                    gated: gated, sort: sort, limit: limit)
    }

    /// The Hub query for these filters.
    func modelQuery(limit: Int?, expand: [String]) -> ModelQuery {
        var filter = filter
        filter.limit = limit
        return ModelQuery(filter, expand: expand)
    }
}
