import HubScoutCore
import HubScoutKit

/// Everything `hubscout fit` shows: the breakdown per precision and per GGUF file, verdicts, the best choice.
///
/// Every figure of a row is its verdict's (`FitVerdict.totalBytes`, what the option needs on this host), so the
/// table, the "Why" lines, the summary and the JSON show one number per option.
struct FitReport {
    /// One line of the breakdown table.
    struct Row {
        /// `fp16`, `int4`, `Q4_K_M`.
        var label: String
        /// The GGUF file the row sizes, for per-file rows.
        var path: String?
        /// True for the checkpoint's own format.
        var isNative: Bool
        var verdict: FitVerdict
    }

    /// What the figures were computed from.
    enum Basis: Equatable {
        /// The repository's config.json and weight headers, from the Hub.
        case repositoryFiles
        /// The same files, read from a snapshot in the local cache.
        case localCache(snapshotPath: String)
        /// Public facts only (a gated repository): each entry names one fact and where it came from.
        case publicFacts([String])

        /// `repository-files`, `local-cache`, `public-facts`.
        var name: String {
            switch self {
            case .repositoryFiles: "repository-files"
            case .localCache: "local-cache"
            case .publicFacts: "public-facts"
            }
        }
    }

    var repo: String
    var revision: String?
    var commit: String?
    var parameters: ParameterCount
    var options: EstimateOptions
    var context: Int
    var hardware: HostHardware
    var overrides: [String]
    var precisionRows: [Row]
    var ggufRows: [Row]
    /// The row to recommend (`FitPlanner.preferredIndex`); nil when nothing fits.
    var best: Row?
    var memory: MemoryTableJSON
    var notes: [String]
    var warnings: [String]
    var nativeFormat: WeightFormat?
    /// True when every weight file is GGUF: only the files are recommended, and what-ifs are shown only on request.
    var isGGUFOnly: Bool
    var basis: Basis
    /// Gating as the Hub reported it, when gated.
    var gated: GatedMode?
    /// Room the recommendation leaves on this host; nil when nothing fits.
    var headroom: FitHeadroom?
    /// How to run the recommendation as it was sized (llama.cpp, Ollama, vLLM, MLX), best first.
    var runCommands: [RunCommand] = []
    /// The estimate's assumptions in one line.
    var assumptionLine: String

    /// Sizes every format (and GGUF file) and decides where each fits. With `quantization` (`ORG/NAME:Q4_K_M`),
    /// only that GGUF file is sized and chosen; a quantization the repo has no file for is an error naming those it has.
    /// A GGUF-only repository is sized per file, with fp32/fp16/int8/int4 what-ifs only when `whatIfs` is set.
    init(inspection: ModelInspection, sizing: ModelFacts.Sizing, hardware: HostHardware, overrides: [String],
         options: EstimateOptions, quantization: String? = nil, whatIfs: Bool = false, basis: Basis = .repositoryFiles) throws {
        let estimator = sizing.estimator
        repo = inspection.info.id
        revision = inspection.revision
        commit = inspection.commit
        self.options = options
        self.hardware = hardware
        self.overrides = overrides
        self.basis = basis
        gated = inspection.info.gated.flatMap { $0.isGated ? $0 : nil }
        isGGUFOnly = inspection.isGGUFOnly
        context = estimator.resolvedContext(options)
        nativeFormat = estimator.nativeFormat
        var warnings = inspection.warnings
        let variants = Self.ggufVariants(inspection, warnings: &warnings)
        // A GGUF-only repository can only be had as its files: fixes name those, not what-if formats.
        let choices = isGGUFOnly ? variants.map { FitPlanner.FormatChoice(.gguf($0.type), exactBytes: $0.bytes) } : nil
        let planner = FitPlanner(estimator: estimator, host: hardware.hostMemory, choices: choices)
        let formats = isGGUFOnly && !whatIfs ? [] : estimator.tableFormats
        precisionRows = try formats.map { format in
            Row(label: format.description, path: nil, isNative: estimator.isNative(format), verdict: try planner.verdict(format, options: options))
        }
        ggufRows = try variants.map { variant in
            Row(label: variant.type.rawValue, path: variant.path, isNative: true,
                verdict: try planner.verdict(.gguf(variant.type), options: options, exactBytes: variant.bytes))
        }
        if let quantization {
            let available = ggufRows.map(\.label)
            ggufRows = ggufRows.filter { $0.label.caseInsensitiveCompare(quantization) == .orderedSame }
            guard !ggufRows.isEmpty else {
                throw FitReportError.noSuchQuantization(repo: inspection.info.id, quantization: quantization, available: available)
            }
        }
        self.warnings = warnings
        memory = MemoryTableJSON(rows: precisionRows, nativeFormat: estimator.nativeFormat)
        // The estimate's count carries the active parameters of MoE models; the inspection's is the fallback.
        parameters = (precisionRows + ggufRows).first?.verdict.estimate.parameters ?? inspection.parameters
            ?? ParameterCount(total: estimator.parameters.total, source: estimator.parameterSource)

        // Recommend among what the user can download: the files of a GGUF repository, or the one file asked for.
        let candidates = quantization != nil || isGGUFOnly ? ggufRows : precisionRows + ggufRows
        best = FitPlanner.preferredIndex(candidates.map(\.verdict), nativeFormat: estimator.nativeFormat).map { candidates[$0] }
        headroom = best.flatMap { planner.headroom(of: $0.verdict, engine: options.engine) }
        assumptionLine = options.assumptionLine(context: context, policy: planner.policy)
        if let best {
            let isMLX = inspection.info.libraryName == "mlx" || inspection.info.tags.contains("mlx")
            let run = RunCommandPlanner(repo: inspection.info.id,
                                        ggufQuantization: best.path == nil ? nil : best.label,
                                        ggufIsSplit: best.path.map { GGUFVariants.splitBase($0) != nil } ?? false,
                                        hasSafetensors: inspection.files.contains { $0.format == .safetensors || $0.format == .mlx },
                                        isMLXRepository: isMLX, nativeFormat: estimator.nativeFormat)
            runCommands = run.commands(for: best.verdict, options: options, host: hardware.hostMemory)
        }
        // What the config parser and the sizing assumed matters as much as the estimate's own notes.
        var seen = Set<String>()
        // Sizing notes that matter to a reader: what was derived or assumed, not the formula's routine scaling.
        let assumed = (inspection.config?.notes ?? []) + sizing.notes.filter {
            !$0.hasPrefix("config formula unavailable") && !$0.hasPrefix("config formula breakdown scaled")
        }
        notes = (assumed + (precisionRows + ggufRows).flatMap(\.verdict.estimate.notes)).filter { seen.insert($0).inserted }
    }

    /// Rows the recommendation is chosen from (and the smallest is reported from when nothing fits).
    var candidateRows: [Row] { isGGUFOnly ? ggufRows : precisionRows + ggufRows }

    /// The candidate with the smallest total (what to report when nothing fits).
    var smallest: Row? { candidateRows.min { $0.verdict.totalBytes < $1.verdict.totalBytes } }

    /// One GGUF quantization variant: its file (first shard), type and weight bytes.
    struct GGUFVariant {
        var path: String
        var type: GGUFFileType
        var bytes: Int64?
    }

    /// GGUF variants of a repo: split files grouped, vision projectors and unknown quants left out (with a warning).
    static func ggufVariants(_ inspection: ModelInspection, warnings: inout [String]) -> [GGUFVariant] {
        var unknown: [String] = []
        let variants = inspection.sizedGGUFVariants(unknown: &unknown).map {
            GGUFVariant(path: $0.variant.mainFile, type: $0.type, bytes: $0.bytes)
        }
        warnings += unknown.map { "\($0): quantization type unknown; not sized" }
        return variants
    }

    // MARK: - Fixes in words

    /// Where int8/int4 weights of this model come from: this repository's GGUF file of that class, else loading
    /// in 8/4-bit (bitsandbytes needs a GPU) or a GGUF made with llama.cpp (what CPU runs use).
    func howToGet(_ format: WeightFormat) -> String {
        let name = repo.split(separator: "/").last.map(String.init) ?? repo
        let gguf = format == .int8 ? "Q8_0" : "Q4_K_M"
        if let row = ggufRows.first(where: { $0.label == gguf }) { return "this repository's \(gguf) file (\(row.path ?? gguf))" }
        let make = "a \(gguf) GGUF made with llama.cpp (convert_hf_to_gguf.py, then llama-quantize) or found with hubscout search \(name) --library gguf"
        return hardware.gpus.isEmpty
            ? "not in this repository; on a CPU use \(make)"
            : "not in this repository; load it in \(format == .int8 ? 8 : 4)-bit (transformers with bitsandbytes), or use \(make)"
    }

    /// A fix as something the user can do here: a smaller format names this repository's file when it has one,
    /// else says how to get those weights (which tool quantizes to it, or where to look for a copy).
    func fixText(_ fix: FitFix) -> String {
        guard case .smallerFormat(let format) = fix else { return fix.description }
        let name = repo.split(separator: "/").last.map(String.init) ?? repo
        let lookup = "hubscout search \(name) --library gguf"
        switch format {
        case .gguf(let type):
            if let row = ggufRows.first(where: { $0.label == type.rawValue }) {
                return "use the \(type.rawValue) file (\(row.path ?? type.rawValue))"
            }
            if isGGUFOnly {
                return "use a \(type.rawValue) file: this repository has none; make one from a larger GGUF with llama.cpp's llama-quantize, or look for one (\(lookup))"
            }
            return "use \(type.rawValue) weights: this repository has none; quantize it with llama.cpp (convert_hf_to_gguf.py, then llama-quantize … \(type.rawValue)), or look for a GGUF copy (\(lookup))"
        case .int8, .int4:
            return "use \(format) weights: " + howToGet(format)
        case .fp16:
            return "use fp16 weights (load with torch_dtype=float16)"
        default:
            return fix.description
        }
    }
}
