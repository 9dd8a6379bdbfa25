/// Why a fit report cannot be made for what was asked.
enum FitReportError: Error, CustomStringConvertible {
    /// `ORG/NAME:QUANT` named a quantization the repository has no GGUF file for.
    case noSuchQuantization(repo: String, quantization: String, available: [String])

    var description: String {
        switch self {
        case let .noSuchQuantization(repo, quantization, available):
            available.isEmpty
                ? "\(repo) has no GGUF files, so ':\(quantization)' names nothing; drop it to size the checkpoint"
                : "\(repo) has no \(quantization) GGUF file; it has \(available.joined(separator: ", "))"
        }
    }
}
