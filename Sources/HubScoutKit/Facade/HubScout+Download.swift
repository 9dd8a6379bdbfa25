import Foundation
import HubScoutCore

extension HubScout {
    /// Downloads `repo` into the Hugging Face cache (or `localDirectory`), resumably and verified, as a
    /// sequence of updates whose last one carries the folder to load the model from.
    ///
    /// ```swift
    /// var folder: URL?
    /// for try await update in hub.download(repo, files: ["*.safetensors", "*.json"]) {
    ///     switch update {
    ///     case .event(.progress(let p)): print("\(p.completedBytes) of \(p.totalBytes) bytes")
    ///     case .completed(let done): folder = done.folder
    ///     default: break
    ///     }
    /// }
    /// ```
    ///
    /// Nothing happens until the sequence is iterated. Cancel the iterating task to stop: the partial
    /// files stay resumable and the next call continues them (see ``DownloadUpdates``).
    ///
    /// - Parameters:
    ///   - repo: the model, as `ORG/NAME`.
    ///   - revision: a branch, tag, `refs/pr/N` or commit; nil for the default branch. It is resolved to one
    ///     commit before any file is fetched.
    ///   - files: exact repository paths or glob patterns (`*` crosses `/`); empty for every file.
    ///   - exclude: glob patterns of files to leave out.
    ///   - quantization: a GGUF quantization (`Q4_K_M`): exactly that variant's files, every part of a split one;
    ///     a quantization the repository lacks fails with ``DownloadError/quantizationNotFound(repo:quantization:available:)``.
    ///   - localDirectory: plain files in this folder instead of the shared cache.
    public func download(_ repo: RepoID, revision: String? = nil, files: [String] = [], exclude: [String] = [],
                         quantization: String? = nil, localDirectory: URL? = nil) -> DownloadUpdates {
        // Patterns narrow the listing as `include` does; exact names must exist (a missing one is an error).
        let request = DownloadRequest(repo: repo, revision: revision, files: files, exclude: exclude, quantization: quantization,
                                      localDirectory: localDirectory?.standardizedFileURL.path)
        return DownloadUpdates(downloader: Downloader(client: client, options: downloadOptions), request: request)
    }
}
