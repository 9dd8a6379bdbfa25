/// Errors from hardware overrides.
public enum HardwareError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `--gpu`/`--ram` size could not be read.
    case invalidSize(option: String, text: String)

    /// A user-facing sentence naming what was wrong and how to fix it.
    public var description: String {
        switch self {
        case .invalidSize(let option, let text):
            return "\(option) \"\(text)\" is not a size; write it like 24GB (decimal), 24GiB or 24G (binary), or a list such as 24GB,24GB for several GPUs."
        }
    }
}
