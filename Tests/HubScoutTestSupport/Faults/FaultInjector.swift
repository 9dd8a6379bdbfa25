import Foundation
import Hummingbird

/// Test-only middleware for `HubServer(middleware:)`: logs every request and applies `FaultRule`s
/// (429s, 5xx, cut or stalled bodies, ignored ranges, wrong headers, corrupted bytes). Product code has no fault logic.
public final class FaultInjector: RouterMiddleware, @unchecked Sendable {
    /// The request context of `HubServer`'s listeners.
    public typealias Context = BasicRequestContext

    // A lock, not an actor: the middleware runs on the server's event loops and each access is a few field reads.
    private let lock = NSLock()
    private var rules: [FaultRule] = []
    private var log: [RecordedRequest] = []
    private let stalls = StallRelease()

    /// Creates an injector with no rules.
    public init() {}

    /// Adds a rule; rules are tried in the order they were added.
    public func add(_ rule: FaultRule) { lock.withLock { rules.append(rule) } }

    /// Removes every rule and forgets the request log (stalls under way go on).
    public func reset() { lock.withLock { rules = []; log = [] } }

    /// Ends every stall under way, and makes later ones no-ops, so no response is held: `TestHubServer.stop()` calls
    /// this before stopping, as a stall that outlasts its test (the client gave up long ago) would otherwise hold the
    /// server's graceful shutdown until its deadline and be cut off there.
    public func releaseStalls() { stalls.releaseAll() }

    /// Every request seen so far, in arrival order.
    public var requests: [RecordedRequest] { lock.withLock { log } }

    /// How many times rules still have to fire, summed (0 when every finite rule is used up).
    public var pendingFaults: Int { lock.withLock { rules.reduce(0) { $0 + min($1.remaining, 1_000_000) } } }

    /// Logs the request, then applies the first matching rule (or passes the request on untouched).
    public func handle(_ request: Request, context: BasicRequestContext,
                       next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        let action: FaultAction? = lock.withLock {
            log.append(RecordedRequest(
                method: method, path: path, query: request.uri.query, host: request.head.authority,
                range: request.headers[.range], authorization: request.headers[.authorization],
                headers: request.headers.map { RecordedRequest.HeaderPair(name: $0.name.rawName, value: $0.value) }))
            guard let index = rules.firstIndex(where: { $0.remaining > 0 && ($0.method == nil || $0.method == method) && $0.path.matches(path) }) else {
                return nil
            }
            if rules[index].remaining != Int.max { rules[index].remaining -= 1 }
            return rules[index].action
        }
        guard let action else { return try await next(request, context) }
        switch action {
        case let .respond(status, headers, body):
            var fields = HTTPFields()
            for (name, value) in headers { if let field = HTTPFields.Element.Name(name) { fields[field] = value } }
            fields[.contentType] = fields[.contentType] ?? "text/plain; charset=utf-8"
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
        case let .rateLimited(bucket, seconds):
            var fields = HTTPFields()
            fields[HTTPFields.Element.Name("RateLimit")!] = "\"\(bucket)\";r=0;t=\(seconds)"
            fields[HTTPFields.Element.Name("RateLimit-Policy")!] = "\"fixed window\";\"\(bucket)\";q=500;w=300"
            fields[.retryAfter] = String(seconds)
            fields[.contentType] = "application/json; charset=utf-8"
            return Response(status: .tooManyRequests, headers: fields,
                            body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"Too Many Requests\"}")))
        case .ignoreRange:
            var head = request.head
            head.headerFields[.range] = nil
            return try await next(Request(head: head, body: request.body), context)
        case let .setHeader(name, value):
            var response = try await next(request, context)
            if let field = HTTPFields.Element.Name(name) { response.headers[field] = value }
            return response
        case let .cutBody(bytes):
            return Self.rewrite(try await next(request, context), fault: .cut(after: bytes))
        case let .stall(bytes, seconds):
            return Self.rewrite(try await next(request, context), fault: .stall(after: bytes, seconds: seconds, release: stalls))
        case let .corruptByte(offset):
            return Self.rewrite(try await next(request, context), fault: .corrupt(at: offset))
        }
    }

    private static func rewrite(_ response: Response, fault: FaultBodyWriter.Fault) -> Response {
        var response = response
        let original = response.body
        let length = original.contentLength
        response.body = ResponseBody(contentLength: length) { writer in
            let body = original
            try await body.write(FaultBodyWriter(parent: writer, fault: fault))
        }
        if let length { response.headers[.contentLength] = String(length) }
        return response
    }
}

/// Wraps the server's body writer to cut, stall or corrupt the byte stream at a given offset.
struct FaultBodyWriter: ResponseBodyWriter {
    enum Fault: Sendable {
        case cut(after: Int64)
        case stall(after: Int64, seconds: Double, release: StallRelease)
        case corrupt(at: Int64)
    }

    /// Thrown to make the server close the connection mid-body.
    struct CutError: Error {}

    var parent: any ResponseBodyWriter
    let fault: Fault
    var written: Int64 = 0
    var stalled = false

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        let start = written
        let end = start + Int64(buffer.readableBytes)
        written = end
        switch fault {
        case let .cut(after):
            if end > after {
                if let prefix = buffer.readSlice(length: Int(max(0, after - start))), prefix.readableBytes > 0 {
                    try await parent.write(prefix)
                }
                // give the prefix time to leave before the connection closes
                try await Task.sleep(nanoseconds: 50_000_000)
                throw CutError()
            }
        case let .stall(after, seconds, release):
            if !stalled, end > after {
                stalled = true
                let head = buffer.readSlice(length: Int(max(0, after - start))) ?? ByteBuffer()
                if head.readableBytes > 0 { try await parent.write(head) }
                try await release.pause(seconds: seconds)
            }
        case let .corrupt(offset):
            if offset >= start, offset < end {
                let index = buffer.readerIndex + Int(offset - start)
                if let byte = buffer.getInteger(at: index, as: UInt8.self) { buffer.setInteger(~byte, at: index) }
            }
        }
        try await parent.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await parent.finish(trailingHeaders)
    }
}

/// The pauses of `.stall` rules, each over after its seconds or when `releaseAll()` is called, whichever comes first.
final class StallRelease: @unchecked Sendable {
    private let lock = NSLock()
    private var released = false
    private var nextID = 0
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]

    /// Sleeps `seconds`, less if released; at once once released. Throws `CancellationError` if the task is cancelled.
    func pause(seconds: Double) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000)) }
            group.addTask { await self.waitForRelease() }
            defer { group.cancelAll() }
            _ = try await group.next()
        }
        try Task.checkCancellation()
    }

    /// Ends every pause under way and every later one.
    func releaseAll() {
        let waiting: [CheckedContinuation<Void, Never>] = lock.withLock {
            released = true
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once released, or when the task is cancelled.
    private func waitForRelease() async {
        let id: Int = lock.withLock { nextID += 1; return nextID }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now: Bool = lock.withLock {
                    if released || Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
