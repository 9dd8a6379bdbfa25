import HubScoutCore
import HubScoutKit

/// Rendering of `search --fits` results.
enum FitSearchReport {
    /// The FIT cell: `int8 10.43 GiB`.
    static func cell(_ match: FitSearchMatch) -> String {
        "\(match.format) \(MemoryFormat.gibText(match.totalBytes))"
    }

    /// `checked 57 models over 1 page: 4 fit, 31 too large (22 from their parameter count alone), 22 skipped (…)`;
    /// with `verbose`, then one line per skipped model: `  skipped org/name: why`.
    static func stderrSummary(_ r: FitSearchResult, maxPages: Int, verbose: Bool = false) -> String {
        var s = "checked \(Plural.count(r.modelsChecked, "model")) over \(Plural.count(r.pagesFetched, "page")): \(r.matches.count) fit, "
        s += "\(r.tooLarge.count) too large (\(r.droppedByParameterCount) from their parameter count alone), "
        s += "\(r.skipped.count) skipped"
        if !r.skipped.isEmpty {
            s += verbose ? ":" : " (no usable config.json, unknown architecture or unreadable; --verbose names them)"
        }
        if verbose { s += r.skipped.map { "\n  skipped \($0.id): \($0.reason)" }.joined() }
        if r.pageCapReached { s += "\nstopped at the page cap (\(Plural.count(maxPages, "page"))); raise --max-pages to look further" }
        return s
    }
}

/// A `search --fits --json` row: the listing fields plus `fit: {verdict, precision, totalBytes}`.
struct FitSearchRowJSON: Encodable {
    struct Fit: Encodable {
        var verdict: String
        var precision: String
        var totalBytes: Int64
        /// The GGUF file meant, for a GGUF repository.
        var file: String?
    }

    var summary: ModelSummary
    var fit: Fit

    init(_ match: FitSearchMatch) {
        summary = ModelSummary(match.model)
        if summary.parameters == nil { summary.parameters = match.parameters?.total }
        fit = Fit(verdict: match.verdict.rawValue, precision: match.format.description, totalBytes: match.totalBytes, file: match.file)
    }

    private enum CodingKeys: String, CodingKey { case fit }

    func encode(to encoder: any Encoder) throws {
        // Same object as a plain listing row, with one more key.
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fit, forKey: .fit)
    }
}
