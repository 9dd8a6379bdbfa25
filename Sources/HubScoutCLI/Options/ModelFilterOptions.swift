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
    var sort: String = "downloads"
    @Option(help: "How many models to show.")
    var limit: Int = 20

    @Option(help: ArgumentHelp("Keep only models that fit SIZE (e.g. 16GB, 24GiB; one device, no margin) or `auto` (this machine).",
                               valueName: "size|auto"))
    var fits: String?
    @Option(help: ArgumentHelp("With --fits: precisions allowed, fp16, int8, int4 or any (best first).", valueName: "p"))
    var precision: String = "any"
    @Option(help: ArgumentHelp("With --fits: tokens of context the KV cache is sized for (default 8192).", valueName: "n"))
    var context: Int?

    func validate() throws {
        guard ModelSort(userInput: sort) != nil else {
            throw ValidationError("--sort must be one of downloads, likes, trending, created, updated")
        }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        guard SearchPrecision(rawValue: precision.lowercased()) != nil else {
            throw ValidationError("--precision must be one of fp16, int8, int4, any")
        }
        if let fits, fits.lowercased() != "auto", (ByteCount.parse(fits)?.bytes ?? 0) <= 0 {
            throw ValidationError("--fits \"\(fits)\" is not a size; write it like 16GB (decimal), 16GiB or 16G (binary), or auto")
        }
        if let context { guard (1...(1 << 30)).contains(context) else { throw ValidationError("--context must be between 1 and 1073741824") } }
        if fits == nil, context != nil || precision.lowercased() != "any" {
            throw ValidationError("--precision and --context only apply with --fits SIZE|auto")
        }
    }

    /// The precision choice for --fits.
    var searchPrecision: SearchPrecision { SearchPrecision(rawValue: precision.lowercased()) ?? .any }

    /// The Hub query for these filters.
    func modelQuery(limit: Int?, expand: [String]) -> ModelQuery {
        ModelQuery(search: query, author: author, task: task, library: library, license: license, tags: tags,
                   gated: gated, sort: ModelSort(userInput: sort), limit: limit, expand: expand)
    }

    /// The same filters for the local catalog.
    func offlineOptions() async -> OfflineSearch.Options {
        let fit = await OfflineSearchOutput.fit(fits, precision: searchPrecision, context: context)
        return OfflineSearch.Options(text: query, task: task, author: author, library: library, license: license, tags: tags,
                                     gated: gated, sort: ModelSort(userInput: sort), limit: limit, fit: fit)
    }
}
