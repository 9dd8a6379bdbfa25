import Foundation
import HubScoutCore

/// A finished download: the folder to load the model from, and what each file cost.
public struct CompletedDownload: Sendable, Equatable {
    /// The snapshot folder (`…/models--ORG--NAME/snapshots/<commit>`), or the local folder asked for;
    /// the repository's files sit below it under their repository paths.
    public var folder: URL
    /// Per-file outcomes and byte counts, as `hubscout download --json` prints them.
    public var summary: DownloadSummary

    /// A completed download from the downloader's summary.
    public init(summary: DownloadSummary) {
        self.summary = summary
        folder = URL(fileURLWithPath: summary.snapshotPath, isDirectory: true)
    }

    /// The commit every file was fetched at.
    public var commit: CommitHash { summary.commit }

    /// Where a repository file can be read, e.g. `completed.url(for: "config.json")`.
    public func url(for path: String) -> URL { folder.appendingPathComponent(path, isDirectory: false) }
}
