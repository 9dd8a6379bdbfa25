/// The GGUF files of one repository or folder, grouped the way Ollama and llama.cpp read a `:QUANT` tag: each
/// quantization is one variant, the parts of a split file (`name-00001-of-00003.gguf`) belong to one variant, and
/// vision projectors (`mmproj-*.gguf`) are side files, never a variant of their own.
public struct GGUFVariants: Sendable, Equatable {
    /// One loadable model: its weight files (main part first) and its quantization when the names say it.
    public struct Variant: Sendable, Equatable {
        /// Weight files, relative paths, sorted so the first part comes first.
        public var files: [String]
        /// `Q4_K_M`, `IQ4_XS`, `F16`… (nil: the name doesn't say).
        public var quantization: GGUFFileType?
        /// The first (or only) part, the one a loader is pointed at.
        public var mainFile: String { files[0] }
    }

    /// Variants in name order.
    public var variants: [Variant]
    /// Vision projectors found beside them.
    public var projectors: [String]

    /// Groups `paths` (relative paths; anything not ending in `.gguf` is ignored).
    public init(paths: [String]) {
        let ggufs = paths.filter { $0.lowercased().hasSuffix(".gguf") }.sorted()
        projectors = ggufs.filter(Self.isProjector)
        var groups: [String: [String]] = [:]
        var order: [String] = []
        for path in ggufs where !Self.isProjector(path) {
            let key = Self.splitBase(path) ?? path
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(path)
        }
        variants = order.map { key in
            let files = groups[key] ?? []
            return Variant(files: files, quantization: GGUFFileType(fileName: Self.lastComponent(files[0])))
        }
    }

    /// The variants whose quantization is exactly `tag` (case-insensitive: `q4_k_m` is `Q4_K_M`, never `Q4_K_S`).
    public func variants(quantization tag: String) -> [Variant] {
        let wanted = tag.uppercased()
        return variants.filter { $0.quantization?.rawValue == wanted }
    }

    /// Quantizations present, in name order, each once.
    public var quantizations: [GGUFFileType] {
        var seen = Set<GGUFFileType>()
        return variants.compactMap(\.quantization).filter { seen.insert($0).inserted }
    }

    /// `path` without its `-00001-of-00003.gguf` ending, when it is a part of a split GGUF.
    public static func splitBase(_ path: String) -> String? {
        guard path.lowercased().hasSuffix(".gguf") else { return nil }
        let stem = path.dropLast(5)
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of",
              parts[parts.count - 1].count == 5, parts[parts.count - 1].allSatisfy(\.isNumber),
              parts[parts.count - 3].count == 5, parts[parts.count - 3].allSatisfy(\.isNumber) else { return nil }
        return parts.dropLast(3).joined(separator: "-")
    }

    /// True for a vision projector (`mmproj` in the file name).
    public static func isProjector(_ path: String) -> Bool { lastComponent(path).lowercased().contains("mmproj") }

    static func lastComponent(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
