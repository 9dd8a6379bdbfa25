/// Why a memory estimate or fit verdict could not be computed.
public enum FitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config lacks a value the estimate needs (e.g. `num_hidden_layers`).
    case missingConfigValue(String)
    /// A value is out of the range an estimate can use (zero heads, negative context…).
    case invalidValue(name: String, value: Int64)
    /// Byte arithmetic overflowed 64 bits: the inputs are not a real model.
    case overflow(String)

    /// A user-facing sentence naming what was wrong and how to fix it.
    public var description: String {
        switch self {
        case .missingConfigValue(let key):
            return "The model's config.json has no `\(key)`, which the memory estimate needs; pass the value explicitly or use a repo whose config states it."
        case .invalidValue(let name, let value):
            return "The value \(value) for \(name) cannot be used in a memory estimate; it must be positive and realistic."
        case .overflow(let what):
            return "Computing \(what) overflowed 64-bit byte arithmetic; the config or options describe an impossibly large model."
        }
    }
}
