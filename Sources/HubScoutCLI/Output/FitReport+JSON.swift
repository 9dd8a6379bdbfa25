import HubScoutCore
import HubScoutKit

/// The `--json` shape of `hubscout fit`.
struct FitReportJSON: Encodable {
    /// `fit: {verdict, precision, maxContext, reason}` plus the planner's detail.
    struct Fit: Encodable {
        var verdict: String
        var precision: String
        var maxContext: Int?
        var reason: String
        var path: String?
        var gpuLayers: Int
        var totalLayers: Int
        var gpuBytes: Int64
        var ramBytes: Int64
        /// The option's one figure: `gpuBytes + ramBytes` when it fits (the table's TOTAL and the reason's figure).
        var totalBytes: Int64
        var biggestContributor: String
        var cheapestFix: String?

        init(_ row: FitReport.Row, in report: FitReport) {
            let v = row.verdict
            verdict = v.kind.rawValue
            precision = row.label
            maxContext = v.maxContext
            reason = v.reason
            path = row.path
            gpuLayers = v.gpuLayers
            totalLayers = v.totalLayers
            gpuBytes = v.gpuBytes
            ramBytes = v.ramBytes
            totalBytes = v.totalBytes
            biggestContributor = v.biggestContributor.rawValue
            cheapestFix = v.cheapestFix.map(report.fixText)
        }
    }

    /// One GGUF file: its memory breakdown and verdict.
    struct GGUFFile: Encodable {
        var path: String
        var quantization: String
        var memory: MemoryBreakdownJSON
        var fit: Fit
    }

    var model: String
    /// `repository-files`, `local-cache` or `public-facts` (a gated repository sized from what is public).
    var basis: String
    /// The public facts used, for `public-facts`.
    var publicFacts: [String]?
    /// `auto` or `manual` for a gated repository.
    var gated: GatedMode?
    var revision: String?
    var commit: String?
    var parameters: ParameterCount
    var context: Int
    var batch: Int
    var kvDType: String
    var engine: String
    var expertsOnCPU: Bool
    var assumptions: [String]
    /// The same assumptions in one line.
    var assumptionLine: String
    /// Room the recommendation leaves (bytes on its GPUs, bytes of RAM); absent when nothing fits.
    var headroom: FitHeadroom?
    /// How to run the recommendation as it was sized: `[{engine, command, note}]`.
    var runCommands: [RunCommand]
    var notes: [String]
    var warnings: [String]
    var memory: MemoryTableJSON
    /// The best choice; when nothing fits, the smallest format's `does-not-fit` verdict.
    var fit: Fit?
    /// Every precision row's verdict (none for a GGUF-only repository unless --what-ifs).
    var verdicts: [Fit]
    var ggufFiles: [GGUFFile]
    var hardware: HardwareJSON
    var overrides: [String]

    init(_ r: FitReport) {
        model = r.repo
        basis = r.basis.name
        if case .publicFacts(let facts) = r.basis { publicFacts = facts }
        gated = r.gated
        revision = r.revision
        commit = r.commit
        parameters = r.parameters
        context = r.context
        batch = r.options.batch
        kvDType = r.options.kvDType.rawValue
        engine = r.options.engine.engine.rawValue
        expertsOnCPU = r.options.expertsOnCPU
        assumptions = r.options.engine.assumptions
        assumptionLine = r.assumptionLine
        headroom = r.headroom
        runCommands = r.runCommands
        notes = r.notes
        warnings = r.warnings
        memory = r.memory
        fit = (r.best ?? r.smallest).map { Fit($0, in: r) }
        verdicts = r.precisionRows.map { Fit($0, in: r) }
        ggufFiles = r.ggufRows.map { GGUFFile(path: $0.path ?? "", quantization: $0.label, memory: MemoryBreakdownJSON($0.verdict), fit: Fit($0, in: r)) }
        hardware = HardwareJSON(r.hardware)
        overrides = r.overrides
    }
}
