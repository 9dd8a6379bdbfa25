import Foundation
import HubScoutCore
import HubScoutNetwork

/// Fetches one part (byte range) of a file into a `PartialFile` until it is complete: resumes after
/// broken or stalled connections, backs off on 408/429/5xx (honouring Retry-After and RateLimit),
/// and re-resolves the file with a fresh HEAD when a signed CDN URL expires (401/403/410 from the CDN).
struct RangeFetcher: Sendable {
    let context: FileContext
    let file: PartialFile
    let part: Int
    /// The location shared by the parts of one file (refreshed on expiry by any of them).
    let location: LocationBox

    func run() async throws {
        var failures = 0
        var lastError = ""
        var reresolves = 0
        while true {
            try Task.checkCancellation()
            let current = file.snapshot.parts[part]
            if current.isComplete { return }
            let size = file.snapshot.size
            let start = current.nextOffset
            let askedForRange = start > 0 || current.end < size
            var headers: HTTPHeaders = ["Accept-Encoding": "identity"]
            if askedForRange {
                headers.set("Range", current.end < size ? "bytes=\(start)-\(current.end - 1)" : "bytes=\(start)-")
                if let contentETag = file.contentETag { headers.set("If-Range", contentETag) }
            }
            let url = location.url
            let request = context.contentRequest(url: url, headers: headers, fileSize: size)
            let sink = PartSink(file: file, part: part, rangeStart: start, rangeEnd: current.end, fileSize: size,
                                askedForRange: askedForRange, progress: context.progress, progressKey: context.path.value)
            let response: HTTPResponse
            do {
                response = try await context.transport.stream(request) { head, chunk in try sink.receive(head, chunk) }
                try sink.flush()
            } catch let error as TransportError {
                try? sink.flush()
                file.persist()
                if error == .cancelled { throw CancellationError() }
                guard error.isTransient else { throw HubError.network(error) }
                if sink.bytesReceived > 0 { failures = 0; reresolves = 0 }
                failures += 1
                lastError = error.description
                guard failures <= context.options.maxRetries else {
                    throw DownloadError.retriesExhausted(file: context.path.value, attempts: failures, lastError: lastError)
                }
                let resumeAt = file.snapshot.parts[part].nextOffset
                context.notice(Self.transientNotice(error, resumeAt: resumeAt))
                try await backoff(failures - 1, requested: nil)
                continue
            } catch {
                try? sink.flush()
                file.persist()
                throw error
            }
            file.persist()
            if (200...299).contains(response.status) {
                if file.snapshot.parts[part].isComplete { return }
                // The body ended early without a transport error (no Content-Length): resume.
                if sink.bytesReceived > 0 { failures = 0; reresolves = 0 }
                failures += 1
                lastError = "the response ended after \(sink.bytesReceived) bytes"
                guard failures <= context.options.maxRetries else {
                    throw DownloadError.retriesExhausted(file: context.path.value, attempts: failures, lastError: lastError)
                }
                try await backoff(failures - 1, requested: nil)
                continue
            }
            let onHubHost = context.client.isEndpointOrigin(response.url)
            let status = response.status
            if status == 416 { throw RestartReason.staleRange }
            if [401, 403, 404, 410].contains(status), !onHubHost {
                // A signed CDN URL expired or was revoked: ask the Hub again, never reuse the dead URL.
                // Only expiries with no bytes between them count: a slow download may outlive several signatures.
                reresolves += 1
                guard reresolves <= 3 else {
                    throw DownloadError.httpStatus(file: context.path.value, status: status, host: Self.host(response.url))
                }
                let fresh = try await context.headFile()
                guard fresh.etag == context.etag else { throw RestartReason.etagChanged(old: context.etag, new: fresh.etag) }
                location.update(from: url, to: fresh.location)
                context.notice("the download URL answered HTTP \(status) (expired signature?); re-resolved it and resuming at byte \(file.snapshot.parts[part].nextOffset)")
                continue
            }
            if [401, 403, 404].contains(status) {
                throw HubError.from(HTTPResponse(status: status, headers: response.headers, url: response.url, body: sink.errorBody),
                                    repo: context.repo.description, revision: context.commit.value, path: context.path.value,
                                    token: context.client.token, environment: context.client.environment)
            }
            guard RetryPolicy.retryableStatuses.contains(status) else {
                throw DownloadError.httpStatus(file: context.path.value, status: status, host: Self.host(response.url))
            }
            failures += 1
            lastError = "HTTP \(status)"
            let requested = RetryPolicy.serverRequestedDelay(response.headers)
            let giveUp = failures > context.options.maxRetries || (requested ?? 0) > context.options.maxRetryAfter
            if giveUp {
                if status == 429 || requested != nil {
                    throw HubError.from(response, repo: context.repo.description, token: context.client.token, environment: context.client.environment)
                }
                throw DownloadError.retriesExhausted(file: context.path.value, attempts: failures, lastError: lastError)
            }
            let delay = try await backoff(failures - 1, requested: requested)
            context.notice("HTTP \(status) from \(Self.host(response.url)); retried after \(String(format: "%.1f", delay)) s")
        }
    }

    /// Sleeps the backoff for retry `attempt` (or the server's requested delay) and returns it.
    @discardableResult
    private func backoff(_ attempt: Int, requested: Double?) async throws -> Double {
        let policy = RetryPolicy(maxRetries: context.options.maxRetries, baseDelay: context.options.retryBaseDelay,
                                 maxDelay: 8, maxRetryAfter: context.options.maxRetryAfter)
        let delay = requested ?? policy.backoff(attempt: attempt)
        try await Task.sleep(nanoseconds: UInt64(max(0, delay) * 1_000_000_000))
        return delay
    }

    private static func transientNotice(_ error: TransportError, resumeAt: Int64) -> String {
        switch error {
        case let .stalled(_, seconds): "no data for \(seconds) s; reconnecting and resuming at byte \(resumeAt)"
        default: "\(error); resuming at byte \(resumeAt)"
        }
    }

    static func host(_ url: String) -> String { URL(string: url)?.host ?? "the server" }
}

/// The current download location of a file, shared by its parts so one re-resolve serves all.
/// `@unchecked Sendable`: guarded by `lock`.
final class LocationBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String

    init(_ url: String) { value = url }

    var url: String { lock.withLock { value } }

    /// Replaces the URL unless another part already refreshed it.
    func update(from old: String, to new: String) {
        lock.withLock { if value == old { value = new } }
    }
}
