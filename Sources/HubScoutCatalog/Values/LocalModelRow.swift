import Foundation
import HubScoutCore

/// One model found on this machine by the cross-tool scan (`hubscout ls --all`, `hubscout dedupe`), as recorded in the
/// catalog. Tool and format are the scanner's raw names (`ollama`, `gguf`): the catalog does not depend on the scanner.
/// Every optional is nil when the scan did not know it, never a default.
public struct LocalModelRow: Sendable, Equatable, Codable {
    /// The fit verdict `ls --all` computed for this machine at scan time.
    public struct Fit: Sendable, Equatable, Codable {
        /// nil when the model could not be sized (`reason` says why).
        public var fits: Bool?
        /// The format (precision or quantization) the verdict is for.
        public var format: String?
        /// The whole estimate in bytes.
        public var totalBytes: Int64?
        /// Why it does not fit, or could not be sized.
        public var reason: String?

        public init(fits: Bool?, format: String? = nil, totalBytes: Int64? = nil, reason: String? = nil) {
            self.fits = fits; self.format = format; self.totalBytes = totalBytes; self.reason = reason
        }
    }

    /// The tool whose store holds it: huggingface, ollama, lmstudio, llamacpp or path.
    public var tool: String
    /// The name the tool uses.
    public var name: String
    /// Where it is (manifest, file or folder).
    public var path: String
    /// The Hub repository, where the store records it.
    public var repo: String?
    /// The Hub revision (a commit), where the store records it.
    public var revision: String?
    /// Weight format: gguf or safetensors.
    public var format: String
    /// Quantization (Q4_K_M, …).
    public var quantization: String?
    /// Bytes on disk, each file counted once.
    public var sizeBytes: Int64
    /// sha256 of the main weights file, where hashed or stated by the store.
    public var sha256: String?
    /// The scan's set of identical files this model's main file belongs to (numbered from 1 in that scan).
    public var duplicateGroup: Int?
    /// Parameter count read from the model's own headers.
    public var parameters: Int64?
    /// Context length read from the model's own headers.
    public var contextLength: Int?
    /// Fit on this machine at scan time.
    public var fit: Fit?
    /// When the scan that found it ran.
    public var scannedAt: Date

    public init(tool: String, name: String, path: String, repo: String? = nil, revision: String? = nil, format: String,
                quantization: String? = nil, sizeBytes: Int64, sha256: String? = nil, duplicateGroup: Int? = nil,
                parameters: Int64? = nil, contextLength: Int? = nil, fit: Fit? = nil, scannedAt: Date) {
        self.tool = tool; self.name = name; self.path = path; self.repo = repo; self.revision = revision
        self.format = format; self.quantization = quantization; self.sizeBytes = sizeBytes; self.sha256 = sha256
        self.duplicateGroup = duplicateGroup; self.parameters = parameters; self.contextLength = contextLength
        self.fit = fit; self.scannedAt = scannedAt
    }

    /// The repository's owner (`acme` of `acme/tiny-GGUF`), nil without a repository.
    public var author: String? {
        guard let repo, let slash = repo.firstIndex(of: "/"), slash != repo.startIndex else { return nil }
        return String(repo[..<slash])
    }

    /// The verdict as the FIT column of `ls --all` shows it: the format that fits and its total (`Q4_K_M 1.2 GB`), `no`,
    /// or nil when the model could not be sized or no verdict was recorded.
    public var fitSummary: String? {
        switch fit?.fits {
        case true?: "\(fit?.format ?? "yes") \(fit?.totalBytes.map { ByteCount.format($0) } ?? "")".trimmingCharacters(in: .whitespaces)
        case false?: "no"
        case nil: nil
        }
    }
}

/// What a search of the recorded local models keeps (all given criteria must hold).
public struct LocalModelFilter: Sendable, Equatable {
    /// Case-insensitive substring of the name or the repository.
    public var text: String?
    /// The repository's owner, case-insensitive.
    public var author: String?
    /// Weight format (gguf, safetensors), case-insensitive.
    public var format: String?
    /// Tool (huggingface, ollama, lmstudio, llamacpp, path), case-insensitive.
    public var tool: String?

    public init(text: String? = nil, author: String? = nil, format: String? = nil, tool: String? = nil) {
        self.text = text; self.author = author; self.format = format; self.tool = tool
    }
}

/// The last cross-tool scan recorded in the catalog.
public struct LocalModelScan: Sendable, Equatable {
    /// When it ran.
    public var scannedAt: Date
    /// The folders it looked in.
    public var roots: [String]
    /// Models it found.
    public var modelCount: Int

    public init(scannedAt: Date, roots: [String], modelCount: Int) {
        self.scannedAt = scannedAt; self.roots = roots; self.modelCount = modelCount
    }
}
