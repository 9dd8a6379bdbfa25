import Foundation
import HubScoutCatalog
import HubScoutKit
import HubScoutCore

/// Catalog rows for an inspected model (`CatalogEstimator` itself, over config facts and counts, lives
/// in `HubScoutCatalog`): inspection is a Kit value, so this part lives beside the recorder.
extension CatalogEstimator {
    /// Estimates for an inspected model: its sizing (`ModelInspection.sizing()`, the path `hubscout fit` and
    /// `search --fits` take, with exact header bytes for the native format), and GGUF files as the int8/int4 rows
    /// when the repository ships them (`Q8_0`, `Q4_K_M`…), with their exact tensor bytes (else the file size).
    public static func estimate(inspection: ModelInspection) -> Result {
        guard let facts = inspection.facts else {
            if case .failure(let reason) = inspection.sizing() { return Result(estimates: [], method: .none, notes: [reason.reason]) }
            return Result(estimates: [], method: .none, notes: ["no config facts"])
        }
        var result = estimate(facts: facts)
        guard case .success(let sizing) = inspection.sizing(), !result.estimates.isEmpty else { return result }
        do {
            result.notes.insert("MemoryEstimator from the inspected config (parameters: \(sizing.estimator.parameterSource.rawValue))", at: 0)
            for (precision, file) in ggufVariants(inspection.files) {
                guard let bytes = file.headerTensorBytes ?? file.size, let type = file.quantization.flatMap(GGUFFileType.init(rawValue:)) else { continue }
                let row = try row(sizing.estimator, format: .gguf(type), precision: precision, exactBytes: bytes)
                result.estimates.removeAll { $0.precision == precision }
                result.estimates.append(row)
                result.notes.append("\(precision.rawValue) row from \(file.path) (\(bytes) bytes)")
            }
            result.estimates.sort { $0.precision < $1.precision }
            return result
        } catch {
            return Result(estimates: [], method: .none, notes: ["MemoryEstimator failed (\(error))"])
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
