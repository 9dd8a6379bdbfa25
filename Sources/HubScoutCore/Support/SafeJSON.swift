import Foundation

/// JSON decoding for text from outside: a server, a sidecar, a file in a shared folder.
///
/// Foundation's decoder on Linux (Swift 6.3) traps, instead of throwing, on input nested exactly past its
/// own depth limit of 512 (513 `[` end to end take the process down). Nesting is measured first, without
/// parsing, and anything deeper than `maxDepth` is refused with an error, so no input reaches that path.
public enum SafeJSON {
    /// The deepest nesting accepted; real Hub answers nest a handful of levels.
    public static let maxDepth = 256

    /// Decodes `type` from `data`, refusing input nested deeper than `maxDepth`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        guard JSONNesting.depth(of: data, limit: maxDepth) <= maxDepth else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "JSON nested deeper than \(maxDepth) levels"))
        }
        return try decoder.decode(type, from: data)
    }
}
