import Foundation
import HubScoutCore
import HubScoutNetwork

/// Downloads repository files into the Hugging Face cache (or a local folder): plans once against a
/// pinned commit, then fetches files in parallel with resumable, verified, atomically published transfers.
///
/// Transfers run one libcurl easy handle per range, each on its own thread (`CurlTransport.stream`);
/// nothing blocks the cooperative pool.
public struct Downloader: Sendable {
    /// The Hub client (endpoint, token, metadata transport).
    public let client: HubClient
    /// Parallelism, retry and verification settings.
    public let options: DownloadOptions
    /// The transport for content bodies: no buffered retries (the downloader resumes itself) and the
    /// options' stall timeout.
    let contentTransport: any HTTPTransport

    /// A downloader; `contentTransport` defaults to a `CurlTransport` with the options' stall timeout, else the
    /// client environment's.
    public init(client: HubClient, options: DownloadOptions = DownloadOptions(), contentTransport: (any HTTPTransport)? = nil) {
        self.client = client
        self.options = options
        self.contentTransport = contentTransport
            ?? CurlTransport(configuration: TransportConfiguration(stallTimeout: options.stallTimeout ?? client.environment.stallTimeout,
                                                                retry: .none, verbose: client.environment.verbose))
    }

    /// Plans and runs a download; `events` receives progress and notices from any thread.
    public func download(_ request: DownloadRequest, events: (@Sendable (DownloadEvent) -> Void)? = nil) async throws -> DownloadSummary {
        let plan = try await plan(request)
        return try await download(plan: plan, events: events)
    }

    /// Plans and runs a download, delivering events as an async stream that ends with the summary or an error.
    public func downloadEvents(_ request: DownloadRequest) -> (events: AsyncStream<DownloadEvent>, result: Task<DownloadSummary, any Error>) {
        let (stream, continuation) = AsyncStream<DownloadEvent>.makeStream(bufferingPolicy: .bufferingNewest(1_000))
        let task = Task {
            defer { continuation.finish() }
            return try await download(request) { continuation.yield($0) }
        }
        return (stream, task)
    }

    /// Runs a plan made by `plan(_:)`.
    public func download(plan: DownloadPlan, events: (@Sendable (DownloadEvent) -> Void)? = nil) async throws -> DownloadSummary {
        let emit: @Sendable (DownloadEvent) -> Void = events ?? { _ in }
        let started = ProcessInfo.processInfo.systemUptime
        let target = try prepareTarget(plan)
        if plan.lacksSpace, let free = plan.freeBytes {
            throw DownloadError.diskFull(path: target.spaceProbePath, needed: plan.bytesToFetch, free: free)
        }
        emit(.planned(plan))
        let workFiles = plan.files.filter { $0.state == .partial || $0.state == .missing }
        let tracker = ProgressTracker(totalBytes: ByteTotal.saturatingSum(workFiles.map(\.size)), filesTotal: plan.files.count)
        let ticker = Task {
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: UInt64(max(0.02, options.progressInterval) * 1_000_000_000))
                emit(.progress(tracker.snapshot()))
            }
        }
        defer { ticker.cancel() }

        let jobs = plan.files.map { file in
            FileJob(client: client, transport: contentTransport, options: options, target: target, repo: plan.repo,
                    commit: plan.commit, file: file, progress: tracker, emit: emit)
        }
        var results = [DownloadedFile?](repeating: nil, count: jobs.count)
        // Two queues: large files by `maxConcurrentFiles` (bandwidth-bound, connections of their own), small ones by
        // `maxConcurrentSmallFiles` (latency-bound, streams on the pooled connection).
        let small = jobs.indices.filter { plan.files[$0].size < FileContext.bulkThreshold }
        let large = jobs.indices.filter { plan.files[$0].size >= FileContext.bulkThreshold }
        try await withThrowingTaskGroup(of: (Int, DownloadedFile).self) { group in
            var nextSmall = small.startIndex, nextLarge = large.startIndex
            func addNext(small isSmall: Bool) {
                if isSmall {
                    guard nextSmall < small.endIndex else { return }
                    let index = small[nextSmall]
                    nextSmall += 1
                    group.addTask { [job = jobs[index]] in (index, try await job.run()) }
                } else {
                    guard nextLarge < large.endIndex else { return }
                    let index = large[nextLarge]
                    nextLarge += 1
                    group.addTask { [job = jobs[index]] in (index, try await job.run()) }
                }
            }
            for _ in 0..<options.maxConcurrentFiles { addNext(small: false) }
            for _ in 0..<options.maxConcurrentSmallFiles { addNext(small: true) }
            while let (index, file) = try await group.next() {
                results[index] = file
                emit(.fileFinished(file))
                addNext(small: plan.files[index].size < FileContext.bulkThreshold)
            }
        }
        ticker.cancel()
        emit(.progress(tracker.snapshot()))
        let files = results.compactMap { $0 }
        let downloaded = tracker.bytesReceived
        let reused = ByteTotal.saturatingSum(files.filter { $0.status != .downloaded }.map(\.size))
            + ByteTotal.saturatingSum(plan.files.filter { $0.state == .partial }.map(\.partialBytes))
        return DownloadSummary(repo: plan.repo.description, snapshotPath: plan.destination, revision: plan.revision, commit: plan.commit,
                               files: files, bytesDownloaded: downloaded, bytesReused: reused,
                               seconds: ProcessInfo.processInfo.systemUptime - started)
    }

    /// Creates the cache/local folder structure; the snapshot folder exists before its ref is written.
    private func prepareTarget(_ plan: DownloadPlan) throws -> DownloadTarget {
        guard !plan.offline else { return plan.target }
        switch plan.target {
        case let .localDirectory(local):
            try local.prepare()
        case let .cache(cache, folder):
            try cache.prepareRoot()
            try cache.prepareRepo(repoFolder: folder, commit: plan.commit)
            try cache.writeRef(repoFolder: folder, revision: plan.revision, commit: plan.commit)
        }
        return plan.target
    }
}
