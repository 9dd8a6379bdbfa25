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
        var totalBytes: Int64
        var biggestContributor: String
        var cheapestFix: String?

        init(_ row: FitReport.Row) {
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
            totalBytes = v.estimate.totalBytes
            biggestContributor = v.biggestContributor.rawValue
            cheapestFix = v.cheapestFix?.description
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
    var revision: String?
    var commit: String?
    var parameters: ParameterCount
    var context: Int
    var batch: Int
    var kvDType: String
    var engine: String
    var expertsOnCPU: Bool
    var assumptions: [String]
    var notes: [String]
    var warnings: [String]
    var memory: MemoryTableJSON
    /// The best choice; when nothing fits, the smallest format's `does-not-fit` verdict.
    var fit: Fit?
    /// Every precision row's verdict.
    var verdicts: [Fit]
    var ggufFiles: [GGUFFile]
    var hardware: HardwareJSON
    var overrides: [String]

    init(_ r: FitReport) {
        model = r.repo
        revision = r.revision
        commit = r.commit
        parameters = r.parameters
        context = r.context
        batch = r.options.batch
        kvDType = r.options.kvDType.rawValue
        engine = r.options.engine.engine.rawValue
        expertsOnCPU = r.options.expertsOnCPU
        assumptions = r.options.engine.assumptions
        notes = r.notes
        warnings = r.warnings
        memory = r.memory
        fit = (r.best ?? r.smallest).map(Fit.init)
        verdicts = r.precisionRows.map(Fit.init)
        ggufFiles = r.ggufRows.map { GGUFFile(path: $0.path ?? "", quantization: $0.label, memory: MemoryBreakdownJSON($0.verdict.estimate), fit: Fit($0)) }
        hardware = HardwareJSON(r.hardware)
        overrides = r.overrides
    }
}
