import CCurl
import Foundation

/// One libcurl easy transfer: on a thread of its own (`dedicated`) or in the process's `CurlMultiLoop` (`shared`).
/// A class because it owns the C handle and is the target of libcurl's callbacks;
/// `@unchecked Sendable` is safe because its mutable state is touched only by the thread running the transfer
/// while it runs, except `cancelled`, which is guarded by a lock.
final class CurlTransfer: @unchecked Sendable {
    struct Options {
        var method: HTTPMethod
        var url: String
        var headers: HTTPHeaders
        var body: Data?
        var userAgent: String
        var connectTimeout: Double
        var stallTimeout: Int
        var timeout: Double?
        var decompress: Bool
        /// URL schemes libcurl may use (`https`, or `http,https` for a plain-http endpoint).
        var allowedSchemes: [String]
        /// Largest response head accepted.
        var maxHeaderBytes: Int
        /// The pooled, multiplexed path, or a connection and thread of its own.
        var connection: ConnectionUse
        /// False to speak HTTP/1.1 only (after HTTP/2 failed on the way to this host).
        var allowHTTP2: Bool
        /// Certificates to trust instead of the system's.
        var trust: TLSTrust
    }

    private let options: Options
    /// Decides, once the head is known, whether the body goes to `onChunk` (false: discarded, e.g. a redirect).
    private let wantsBody: @Sendable (HTTPResponse) -> Bool
    private let onChunk: @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void

    private var status = 0
    private var headerFields = HTTPHeaders()
    private var head: HTTPResponse?
    private var deliverBody = false
    private var headerBytes = 0
    private(set) var sinkError: (any Error)?
    private(set) var bytesReceived: Int64 = 0
    /// True once a complete response head arrived.
    var receivedHead: Bool { head != nil }
    private let lock = NSLock()
    private var cancelledFlag = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init(options: Options, wantsBody: @escaping @Sendable (HTTPResponse) -> Bool,
         onChunk: @escaping @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void) {
        self.options = options
        self.wantsBody = wantsBody
        self.onChunk = onChunk
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    func cancel() {
        lock.withLock { cancelledFlag = true }
        if options.connection == .shared { CurlMultiLoop.shared?.wake() }
    }
    var isCancelled: Bool { lock.withLock { cancelledFlag } }

    /// Runs the transfer and returns the response head. A dedicated transfer runs on a thread of its own
    /// (never on the cooperative pool: a blocked transfer there would starve the program on small machines);
    /// a shared one in the multi loop, whose thread calls back when it is done.
    func run() async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                guard CurlGlobal.initialised, let handle = curl_easy_init() else {
                    continuation.resume(throwing: TransportError.curl(code: -1, message: "libcurl could not be initialised", url: options.url))
                    return
                }
                let easy = EasyHandle(pointer: handle)
                let finish: @Sendable (CURLcode) -> Void = { [self] code in
                    let result = Result { try self.finish(easy.pointer, code) }
                    curl_easy_cleanup(easy.pointer)
                    continuation.resume(with: result)
                }
                do {
                    try configure(handle)
                } catch {
                    curl_easy_cleanup(handle)
                    continuation.resume(throwing: error)
                    return
                }
                if options.connection == .shared, let loop = CurlMultiLoop.shared {
                    loop.add(handle, isCancelled: { [self] in self.isCancelled }, done: finish)
                    return
                }
                let thread = Thread { [self] in
                    let code: CURLcode = withExtendedLifetime(self) { curl_easy_perform(easy.pointer) }
                    finish(code)
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            self.cancel()
        }
    }

    // MARK: - Setting up and finishing

    /// Sets every option on `handle`; nothing here blocks.
    private func configure(_ handle: UnsafeMutableRawPointer) throws {
        _ = ccurl_easy_setopt_string(handle, CURLOPT_URL, options.url)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)   // redirects are ours, to control Authorization
        // libcurl speaks dozens of protocols (file, gopher, dict, smtp…); a URL from a server must
        // never reach any of them, whatever the code above checked.
        let schemes = options.allowedSchemes.joined(separator: ",")
        guard ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, schemes) == CURLE_OK,
              ccurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, schemes) == CURLE_OK else {
            throw TransportError.curl(code: -1, message: "this libcurl cannot restrict protocols (7.85 or newer is needed)", url: options.url)
        }
        if let share = CurlShare.handle { _ = ccurl_easy_setopt_share(handle, share) }
        if let bundle = options.trust.caBundle { _ = ccurl_easy_setopt_string(handle, CURLOPT_CAINFO, bundle.path) }
        if let directory = options.trust.caDirectory { _ = ccurl_easy_setopt_string(handle, CURLOPT_CAPATH, directory.path) }
        // Pooled requests offer HTTP/2 (the Hub speaks it) and wait for a connection being set up rather than
        // open a parallel one, so a burst of requests becomes streams on one connection. Bulk bytes stay on
        // HTTP/1.1, a TCP connection each: parallel connections are the point there, not one shared window.
        let http2 = options.allowHTTP2 && options.connection == .shared
        _ = ccurl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1))
        if http2 { _ = ccurl_easy_setopt_long(handle, CURLOPT_PIPEWAIT, 1) }
        _ = ccurl_easy_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        _ = ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, options.stallTimeout)
        if let timeout = options.timeout { _ = ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000)) }
        _ = ccurl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        // Larger receive buffers mean fewer callbacks and larger disk writes for big files (the default is 16 KiB).
        _ = ccurl_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, options.connection == .dedicated ? 512 * 1024 : 64 * 1024)
        // Proxies: libcurl reads http_proxy, https_proxy, all_proxy and no_proxy from the environment itself.
        if options.decompress { _ = ccurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "") }

        switch options.method {
        case .get: _ = ccurl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case .head: _ = ccurl_easy_setopt_long(handle, CURLOPT_NOBODY, 1)
        case .post: _ = ccurl_easy_setopt_long(handle, CURLOPT_POST, 1)
        }
        for field in options.headers {
            // A CR, LF or NUL in a header would end it early and start another: never send one.
            guard !field.name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x3A }),
                  !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw TransportError.invalidHeader(name: field.name)
            }
            headerList = curl_slist_append(headerList, "\(field.name): \(field.value)")
        }
        // libcurl adds `Expect: 100-continue` to larger POSTs; the Hub does not need it.
        if options.method == .post { headerList = curl_slist_append(headerList, "Expect:") }
        if let headerList { _ = ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }
        if let body = options.body {
            // libcurl copies the body, so it outlives this call whichever thread sends it.
            _ = ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { raw in
                _ = ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(errorBuffer)))
            }
        }

        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_easy_setopt_header_function(handle, CurlTransfer.headerCallback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = ccurl_easy_setopt_write_function(handle, CurlTransfer.writeCallback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_easy_setopt_xferinfo_function(handle, CurlTransfer.progressCallback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
    }

    /// Turns libcurl's result into the response head or a `TransportError`.
    private func finish(_ handle: UnsafeMutableRawPointer, _ code: CURLcode) throws -> HTTPResponse {
        if isCancelled { throw TransportError.cancelled }
        if let sinkError { throw sinkError }
        if headerBytes > options.maxHeaderBytes { throw TransportError.headersTooLarge(url: options.url, limit: options.maxHeaderBytes) }
        if code == CURLE_OK, let head { return head }
        if code == CURLE_OK {
            // A response with no header terminator (HTTP/0.9-like); build what we have.
            var status = 0
            _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return HTTPResponse(status: status, headers: headerFields, url: options.url)
        }
        let message = String(cString: errorBuffer)
        throw mapError(code, message: message)
    }

    private func mapError(_ code: CURLcode, message rawMessage: String) -> TransportError {
        let message = rawMessage.isEmpty ? String(cString: curl_easy_strerror(code)) : rawMessage
        let url = options.url
        switch code {
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return .connectionFailed(url: url, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            if message.contains("too slow") { return .stalled(url: url, seconds: options.stallTimeout) }
            return .timedOut(url: url)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SSL_CONNECT_ERROR:
            return .connectionLost(url: url, message: message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL(url)
        case CURLE_PEER_FAILED_VERIFICATION:
            return .untrustedCertificate(url: url, message: message, trust: options.trust)
        case CURLE_SSL_CACERT_BADFILE:
            return .unreadableTrustStore(trust: options.trust, message: message)
        default:
            return .curl(code: Int(code.rawValue), message: message, url: url)
        }
    }

    fileprivate func receiveHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            // A new response begins (after 100 Continue, or the only one).
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headerFields = HTTPHeaders()
            return
        }
        let trimmed = line.trimmingCharacters(in: .newlines)
        if trimmed.isEmpty {
            guard status >= 200 || status == 0 else { return }   // interim 1xx
            let response = HTTPResponse(status: status, headers: headerFields, url: options.url)
            head = response
            deliverBody = options.method != .head && wantsBody(response)
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        headerFields.add(name, value)
    }

    fileprivate func receiveBody(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let head else { return true }
        guard deliverBody else { return true }
        bytesReceived += Int64(buffer.count)
        do {
            try onChunk(head, buffer)
            return true
        } catch {
            sinkError = error
            return false
        }
    }

    // MARK: - C callbacks (capture nothing; state comes through the user pointer)

    private static let headerCallback: curl_write_callback = { data, size, count, user in
        guard let data, let user else { return 0 }
        let length = size * count
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
        // A header bomb is cut off here: returning a short count aborts the transfer.
        transfer.headerBytes += length
        guard transfer.headerBytes <= transfer.options.maxHeaderBytes else { return 0 }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        transfer.receiveHeaderLine(line)
        return length
    }

    private static let writeCallback: curl_write_callback = { data, size, count, user in
        guard let data, let user else { return 0 }
        let length = size * count
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }

    private static let progressCallback: curl_xferinfo_callback = { user, _, _, _, _ in
        guard let user else { return 0 }
        return Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue().isCancelled ? 1 : 0
    }
}

/// An easy handle passed to the thread that runs it; only one thread uses it at a time.
private struct EasyHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
