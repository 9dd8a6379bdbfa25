import HubScoutCore

/// One source of a bundle, as typed: `ORG/NAME`, `ORG/NAME@REVISION`, `ORG/NAME:QUANT` or
/// `ORG/NAME@REVISION:QUANT` (a quant keeps only the GGUF files whose name holds it, e.g. `Q4_K_M`).
public struct BundleSpec: Sendable, Equatable, CustomStringConvertible {
    /// The repository.
    public var repo: RepoID
    /// Branch, tag, `refs/pr/N` or commit; nil means `main`.
    public var revision: String?
    /// A GGUF quantization to keep (case-insensitive substring of the file name), nil for every file.
    public var quant: String?

    public init(repo: RepoID, revision: String? = nil, quant: String? = nil) {
        self.repo = repo
        self.revision = revision
        self.quant = quant
    }

    /// Parses `ORG/NAME[@REV][:QUANT]`. Git ref names cannot hold `:`, so the last `:` starts the quant.
    public init(parsing text: String) throws(BundleError) {
        var rest = Substring(text)
        var quant: String?
        if let colon = rest.lastIndex(of: ":") {
            let value = String(rest[rest.index(after: colon)...])
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                throw .invalidSpec(text, reason: "the quant after ':' must be letters, digits, '_', '-' or '.'")
            }
            quant = value
            rest = rest[..<colon]
        }
        var revision: String?
        if let at = rest.firstIndex(of: "@") {
            let value = String(rest[rest.index(after: at)...])
            guard !value.isEmpty else { throw .invalidSpec(text, reason: "nothing after '@'") }
            revision = value
            rest = rest[..<at]
        }
        let repo: RepoID
        do { repo = try RepoID(String(rest)) } catch { throw .invalidSpec(text, reason: error.description) }
        self.init(repo: repo, revision: revision, quant: quant)
    }

    /// The revision in effect.
    public var effectiveRevision: String { revision ?? "main" }

    public var description: String {
        repo.description + (revision.map { "@" + $0 } ?? "") + (quant.map { ":" + $0 } ?? "")
    }
}
