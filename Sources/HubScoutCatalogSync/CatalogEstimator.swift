import Foundation
import HubScoutCatalog
import HubScoutKit
import HubScoutCore

/// Catalog rows for an inspected model (`CatalogEstimator` itself, over config facts and counts, lives
/// in `HubScoutCatalog`): inspection is a Kit value, so this part lives beside the recorder.
extension CatalogEstimator {
    /// Estimates for an inspected model: its own estimator (exact header bytes for the native format),
    /// and GGUF files as the int8/int4 rows when the repository ships them (`Q8_0`, `Q4_K_M`…), with exact file sizes.
    public static func estimate(inspection: ModelInspection) -> Result {
        switch inspection.estimator() {
        case .success(let estimator):
            do {
                var rows = try rows(estimator)
                var notes = ["MemoryEstimator from the inspected config (parameters: \(estimator.parameterSource.rawValue))"]
                for (precision, file) in ggufVariants(inspection.files) {
                    guard let size = file.size, let type = file.quantization.flatMap(GGUFFileType.init(rawValue:)) else { continue }
                    let row = try row(estimator, format: .gguf(type), precision: precision, exactBytes: size)
                    rows.removeAll { $0.precision == precision }
                    rows.append(row)
                    notes.append("\(precision.rawValue) row from \(file.path) (\(size) bytes)")
                }
                rows.sort { $0.precision < $1.precision }
                return Result(estimates: rows, method: .formula, notes: notes)
            } catch {
                return Result(estimates: [], method: .none, notes: ["MemoryEstimator failed (\(error))"])
            }
        case .failure(let reason):
            if let config = inspection.config {
                return estimate(config: config, parameters: inspection.parameters)
            }
            return Result(estimates: [], method: .none, notes: [reason.reason])
        }
    }

    /// GGUF files that can stand for a precision class: Q8_0 for int8; Q4_K_M, else another 4-bit quant, for int4.
    static func ggufVariants(_ files: [ModelInspection.File]) -> [(FitPrecision, ModelInspection.File)] {
        let gguf = files.filter { $0.format == .gguf && $0.size != nil && $0.quantization != nil }
        var result: [(FitPrecision, ModelInspection.File)] = []
        if let q8 = gguf.first(where: { $0.quantization?.uppercased() == "Q8_0" }) { result.append((.int8, q8)) }
        let fours = ["Q4_K_M", "Q4_K_S", "Q4_0", "Q4_1"]
        if let q4 = fours.lazy.compactMap({ name in gguf.first { $0.quantization?.uppercased() == name } }).first {
            result.append((.int4, q4))
        }
        return result
    }
}
