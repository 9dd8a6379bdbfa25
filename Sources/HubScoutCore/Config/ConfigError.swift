/// Why a `config.json` could not be read at all (individual bad values are only noted, never fatal).
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is larger than the parser accepts.
    case tooLarge(bytes: Int, limit: Int)
    /// The bytes are not JSON.
    case invalidJSON(String)
    /// The JSON nests deeper than the parser accepts.
    case tooDeep(limit: Int)
    /// The JSON is valid but its top level is not an object.
    case notAnObject

    /// A user-facing sentence naming what was wrong and how to fix it.
    public var description: String {
        switch self {
        case let .tooLarge(bytes, limit):
            return "config.json is \(bytes) bytes, over the \(limit)-byte limit for a model config; check that the right file was fetched."
        case let .invalidJSON(detail):
            return "config.json is not valid JSON (\(detail)); check that the file was fetched completely and is not an HTML error page."
        case let .tooDeep(limit):
            return "config.json nests objects or arrays deeper than \(limit) levels, which no model config does; the file is refused."
        case .notAnObject:
            return "config.json does not hold a JSON object at its top level, so it is not a model config."
        }
    }
}
