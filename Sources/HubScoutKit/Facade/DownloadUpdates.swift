import Foundation

/// A download as an asynchronous sequence of ``DownloadUpdate``s that ends with ``DownloadUpdate/completed(_:)``.
///
/// Iterating starts the download (each iteration runs it again; files already in place are reused, not
/// fetched twice). Cancelling the task that iterates cancels the download, and the loop then ends, with
/// `CancellationError`, only once the download has stopped: every partial file is saved with its resume
/// state (`blobs/<etag>.incomplete`, never under the file's real name or in the snapshot folder) and the
/// next download of the same file continues where this one stopped. Leaving the loop early (`break`)
/// cancels the download too; it then winds down in the background. A failed download throws the
/// downloader's error (``HubError``, ``DownloadError``, `CacheError`).
public struct DownloadUpdates: AsyncSequence, Sendable {
    /// Each step of the download.
    public typealias Element = DownloadUpdate
    /// Any of the downloader's errors, or `CancellationError`.
    public typealias Failure = any Error

    /// Runs the download.
    let downloader: Downloader
    /// What to download.
    let request: DownloadRequest

    /// Starts the download and returns its iterator.
    public func makeAsyncIterator() -> Iterator {
        let (stream, continuation) = AsyncThrowingStream<DownloadUpdate, any Error>.makeStream()
        let downloader = downloader, request = request
        let work = Task {
            do {
                let summary = try await downloader.download(request) { continuation.yield(.event($0)) }
                continuation.yield(.completed(CompletedDownload(summary: summary)))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        // The consumer's task was cancelled, or the iterator was dropped: stop the transfers.
        continuation.onTermination = { termination in
            if case .cancelled = termination { work.cancel() }
        }
        return Iterator(updates: stream.makeAsyncIterator(), work: work)
    }

    /// Delivers the updates; once the last one is out (or the consumer is cancelled) it waits for the
    /// download to have stopped before ending.
    public struct Iterator: AsyncIteratorProtocol {
        var updates: AsyncThrowingStream<DownloadUpdate, any Error>.Iterator
        let work: Task<Void, Never>
        var completed = false

        /// The next update; nil after ``DownloadUpdate/completed(_:)``.
        public mutating func next() async throws -> DownloadUpdate? {
            if completed { return nil }
            let update: DownloadUpdate?
            do {
                update = try await updates.next()
            } catch {
                await work.value
                throw error
            }
            if let update {
                if case .completed = update { completed = true }
                return update
            }
            // The stream ended without a completion: the consuming task was cancelled, which cancelled the
            // download. Let it save its partial files and release its locks before the loop ends.
            await work.value
            throw CancellationError()
        }
    }
}
