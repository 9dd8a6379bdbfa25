import HubScoutCore
import HubScoutKit

/// Everything `hubscout fit` shows: the breakdown per precision and per GGUF file, verdicts, the best choice.
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
    /// The best row that fits (best placement, then highest fidelity); nil when nothing fits.
    var best: Row?
    var memory: MemoryTableJSON
    var notes: [String]
    var warnings: [String]
    var nativeFormat: WeightFormat?

    /// Sizes every format (and GGUF file) and decides where each fits. With `quantization` (`ORG/NAME:Q4_K_M`),
    /// only that GGUF file is sized and chosen; a quantization the repo has no file for is an error naming those it has.
    init(inspection: ModelInspection, estimator: MemoryEstimator, hardware: HostHardware, overrides: [String],
         options: EstimateOptions, quantization: String? = nil) throws {
        repo = inspection.info.id
        revision = inspection.revision
        commit = inspection.commit
        self.options = options
        self.hardware = hardware
        self.overrides = overrides
        context = estimator.resolvedContext(options)
        nativeFormat = estimator.nativeFormat
        let planner = FitPlanner(estimator: estimator, host: hardware.hostMemory)
        precisionRows = try estimator.tableFormats.map { format in
            Row(label: format.description, path: nil, isNative: estimator.isNative(format), verdict: try planner.verdict(format, options: options))
        }
        var warnings = inspection.warnings
        ggufRows = try Self.ggufVariants(inspection, warnings: &warnings).map { variant in
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
        memory = try MemoryTableJSON(estimator: estimator, options: options)
        // The estimate's count carries the active parameters of MoE models; the inspection's is the fallback.
        parameters = precisionRows.first?.verdict.estimate.parameters ?? inspection.parameters
            ?? ParameterCount(total: estimator.parameters.total, source: estimator.parameterSource)

        // fp32 is a what-if nobody runs unless it is the checkpoint's format.
        let candidates = (quantization == nil ? precisionRows + ggufRows : ggufRows).filter {
            $0.verdict.kind != .doesNotFit && ($0.verdict.format != .fp32 || estimator.nativeFormat == .fp32)
        }
        best = candidates.min { a, b in
            a.verdict.kind != b.verdict.kind ? a.verdict.kind < b.verdict.kind : a.verdict.format.rankBits > b.verdict.format.rankBits
        }
        // What the config parser assumed (class defaults, tied embeddings) matters as much as the estimate's own notes.
        var seen = Set<String>()
        notes = ((inspection.config?.notes ?? []) + (precisionRows + ggufRows).flatMap(\.verdict.estimate.notes)).filter { seen.insert($0).inserted }
    }

    /// The row with the smallest total (what to report when nothing fits).
    var smallest: Row? { (precisionRows + ggufRows).min { $0.verdict.estimate.totalBytes < $1.verdict.estimate.totalBytes } }

    /// One GGUF quantization variant: its file (first shard), type and weight bytes.
    struct GGUFVariant {
        var path: String
        var type: GGUFFileType
        var bytes: Int64?
    }

    /// GGUF variants of a repo: split files grouped, vision projectors and unknown quants left out (with a warning).
    static func ggufVariants(_ inspection: ModelInspection, warnings: inout [String]) -> [GGUFVariant] {
        var variants: [GGUFVariant] = []
        let files = inspection.ggufFiles
        for file in files {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            if name.lowercased().contains("mmproj") { continue }   // a vision projector, not a model variant
            let split = name.range(of: #"-\d{5}-of-\d{5}\.gguf$"#, options: .regularExpression)
            if let split, !name[split].hasPrefix("-00001-") { continue }
            guard let type = file.quantization.flatMap({ GGUFFileType(rawValue: $0) }) ?? GGUFFileType(fileName: name) else {
                warnings.append("\(file.path): quantization type unknown; not sized")
                continue
            }
            var bytes = file.headerTensorBytes
            if let split {
                // Each shard lists only its own tensors: size the variant from all its shards' file sizes.
                let stem = file.path.dropLast(name.count) + name[..<split.lowerBound]
                let shards = files.filter { $0.path.hasPrefix(stem + "-") && $0.path.range(of: #"-\d{5}-of-\d{5}\.gguf$"#, options: .regularExpression) != nil }
                let sizes = shards.compactMap(\.size)
                bytes = sizes.count == shards.count ? ByteTotal.saturatingSum(sizes) : nil
            } else if bytes == nil {
                bytes = file.size
            }
            variants.append(GGUFVariant(path: file.path, type: type, bytes: bytes))
        }
        return variants
    }
}
