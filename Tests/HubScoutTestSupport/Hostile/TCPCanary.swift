import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP listener on 127.0.0.1 that only counts: how many connections reached it and what bytes
/// they sent. A hostile redirect (`gopher://`, `dict://`…) or a leaked `Link` aimed at it shows up here.
public final class TCPCanary: @unchecked Sendable {
    /// The bound port.
    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var received = Data()
    private var stopped = false

    /// Binds 127.0.0.1:0 and starts accepting on a background thread.
    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CanaryError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw CanaryError.socket(errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Connections accepted so far.
    public var connections: Int { lock.withLock { accepted } }
    /// Everything the connections sent, concatenated.
    public var bytes: Data { lock.withLock { received } }

    /// Stops listening.
    public func stop() {
        lock.withLock { stopped = true }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func acceptLoop() {
        while !lock.withLock({ stopped }) {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            lock.withLock { accepted += 1 }
            // Read what arrives for a moment, then hang up: enough to see injected commands.
            var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(client, &buffer, buffer.count, 0)
            if count > 0 { lock.withLock { received.append(contentsOf: buffer[0..<count]) } }
            close(client)
        }
    }

    /// Why the canary could not listen.
    public enum CanaryError: Error { case socket(Int32) }
}
