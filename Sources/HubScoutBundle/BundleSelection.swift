#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files of a snapshot go into a bundle: `--include`/`--exclude` globs (shell patterns in which
/// `*` also matches `/`, as `hubscout download` reads them) and a spec's GGUF quant.
public struct BundleSelection: Sendable, Equatable {
    /// Keep only files matching one of these (every file when empty).
    public var include: [String]
    /// Drop files matching any of these.
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// True when `path` is kept for a spec with `quant`: the globs first, then, with a quant, every
    /// non-GGUF file and only the GGUF files whose name holds the quant (case-insensitive).
    public func keeps(_ path: String, quant: String?) -> Bool {
        if !include.isEmpty, !include.contains(where: { Self.matches($0, path) }) { return false }
        if exclude.contains(where: { Self.matches($0, path) }) { return false }
        guard let quant else { return true }
        guard path.lowercased().hasSuffix(".gguf") else { return true }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.lowercased().contains(quant.lowercased())
    }

    /// The filters as words, for a message.
    func describe(quant: String?) -> [String] {
        include.map { "--include \($0)" } + exclude.map { "--exclude \($0)" } + (quant.map { [":\($0)"] } ?? [])
    }

    /// `fnmatch(3)` without `FNM_PATHNAME`: `*` crosses `/`.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        fnmatch(pattern, path, 0) == 0
    }
}
