/// One step of ``HubScout/download(_:revision:files:exclude:localDirectory:)``: the downloader's own
/// events while files arrive, then, last, the finished download.
public enum DownloadUpdate: Sendable {
    /// The plan, a file starting, a progress tick, a file in place, or a notice (see ``DownloadEvent``).
    case event(DownloadEvent)
    /// Every selected file is in place and verified; always the last update of a successful download.
    case completed(CompletedDownload)

    /// The byte counts, when this update is a progress tick.
    public var progress: DownloadProgress? {
        if case .event(.progress(let progress)) = self { return progress }
        return nil
    }
}
