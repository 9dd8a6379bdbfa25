import Foundation

/// A model as people name it: `ORG/NAME`, with an optional `@REVISION` or `:QUANT`, the `hf.co/ORG/NAME:QUANT`
/// form Ollama and llama.cpp use, the `models/ORG/NAME` / `model/ORG/NAME` form `hf` prints, `hf://models/ORG/NAME`, or a
/// Hub URL pasted from a browser
/// (`https://huggingface.co/ORG/NAME/blob/main/model.safetensors`).
///
/// Parsed once, at the argument, into typed parts; the id is validated by `RepoID`.
public struct ModelReference: Hashable, Sendable, CustomStringConvertible {
    /// The repository.
    public var repo: RepoID
    /// A branch, tag or commit named with `@REV` or in a URL's `/blob/REV/…`, `/resolve/REV/…` or `/tree/REV`.
    public var revision: String?
    /// A quantization named with `:QUANT` (`Q4_K_M`, `q8_0`, `IQ3_XXS`, …), as Ollama's `hf.co/` pulls spell it.
    public var quantization: String?
    /// A file inside the repository, from a URL's `/blob/REV/PATH` or `/resolve/REV/PATH`.
    public var file: String?

    /// A reference to `repo` with nothing else named.
    public init(repo: RepoID, revision: String? = nil, quantization: String? = nil, file: String? = nil) {
        self.repo = repo; self.revision = revision; self.quantization = quantization; self.file = file
    }

    /// What may follow ORG/NAME in a Hub URL's path: `/blob/REV/PATH`, `/resolve/REV/PATH`, `/tree/REV`, `/raw/REV/PATH`.
    static let pathKinds: Set<String> = ["blob", "resolve", "tree", "raw"]

    /// Hosts whose URLs name a model by path (`huggingface.co/ORG/NAME`, `hf.co/ORG/NAME`).
    public static let hubHosts: Set<String> = ["huggingface.co", "www.huggingface.co", "hf.co"]

    /// Parses any of the accepted forms; the error says which forms are accepted.
    public init(_ text: String) throws(RepoIDError) {
        let input = text.trimmingCharacters(in: .whitespaces)
        var path = Substring(input)
        var fromURL = false
        // Scheme and host: a pasted URL, or `hf.co/…` / `huggingface.co/…` without a scheme.
        var hfURI = false
        if let schemeEnd = path.range(of: "://") {
            let scheme = path[..<schemeEnd.lowerBound].lowercased()
            // `hf://models/ORG/NAME[@REV]`, huggingface_hub's URI form: a path without a host.
            hfURI = scheme == "hf"
            guard scheme == "https" || scheme == "http" || hfURI else {
                throw .invalid(text, reason: "only Hub URLs (https://huggingface.co/…) and hf:// URIs name a model")
            }
            path = path[schemeEnd.upperBound...]
            fromURL = !hfURI
        }
        if !hfURI, let slash = path.firstIndex(of: "/"), Self.hubHosts.contains(path[..<slash].lowercased()) {
            path = path[path.index(after: slash)...]
            fromURL = true
        } else if fromURL {
            throw .invalid(text, reason: "a URL must be on huggingface.co or hf.co")
        }
        if fromURL {
            // A URL may carry a query or fragment (`?download=true`, `#L12`); neither names the model.
            if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
            while path.hasSuffix("/") { path = path.dropLast() }
        }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // `models/ORG/NAME` (the Hub's type prefix, as `hf cache` prints ids) or `model/ORG/NAME`, when ORG/NAME follows,
        // alone or with a URL's `/blob|resolve|tree|raw/…`; `models/NAME` stays the id of the org `models`.
        if segments.count >= 3, ["models", "model"].contains(segments[0].lowercased()),
           segments.count == 3 || Self.pathKinds.contains(segments[3]) {
            segments.removeFirst()
        }
        // Datasets and Spaces are not models.
        if segments.count >= 3, ["datasets", "spaces"].contains(segments[0].lowercased()) {
            throw .invalid(text, reason: "that names a \(segments[0].lowercased().dropLast()), not a model")
        }
        var revision: String?
        var file: String?
        if segments.count > 2 {
            // ORG/NAME/(blob|resolve|tree)/REV[/PATH]
            let kind = segments[2]
            guard Self.pathKinds.contains(kind), segments.count >= 4, !segments[3].isEmpty else {
                throw .invalid(text, reason: "expected ORG/NAME, or a Hub URL such as https://huggingface.co/ORG/NAME/blob/main/FILE")
            }
            revision = segments[3].removingPercentEncoding ?? segments[3]
            let rest = segments.dropFirst(4).joined(separator: "/")
            if !rest.isEmpty, kind != "tree" { file = rest.removingPercentEncoding ?? rest }
            segments = Array(segments.prefix(2))
        }
        // NAME, then `@REV` and `:QUANT` in either order (a git ref cannot hold ':' or '@{').
        let last = segments.last ?? ""
        var quantization: String?
        let name = last.prefix { $0 != "@" && $0 != ":" }
        var suffix = last.dropFirst(name.count)
        while let marker = suffix.first {
            let value = suffix.dropFirst().prefix { $0 != "@" && $0 != ":" }
            suffix = suffix.dropFirst(1 + value.count)
            if marker == "@" {
                guard revision == nil else { throw .invalid(text, reason: "the revision is named twice") }
                guard !value.isEmpty else { throw .invalid(text, reason: "nothing after '@'; use ORG/NAME@REVISION") }
                revision = String(value)
            } else {
                guard quantization == nil, !value.isEmpty,
                      value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) else {
                    throw .invalid(text, reason: "after ':' comes one quantization such as Q4_K_M")
                }
                quantization = String(value)
            }
        }
        segments[segments.count - 1] = String(name)
        let repo = try RepoID(segments.joined(separator: "/"))
        self.init(repo: repo, revision: revision, quantization: quantization, file: file)
    }

    /// `ORG/NAME[@REV][:QUANT]` (and `/FILE` when one was named).
    public var description: String {
        var text = repo.description
        if let revision { text += "@" + revision }
        if let quantization { text += ":" + quantization }
        if let file { text += " (" + file + ")" }
        return text
    }
}
