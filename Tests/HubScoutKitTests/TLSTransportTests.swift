import Foundation
@testable import HubScoutNetwork
import Testing

/// HTTPS through the real libcurl transport against a real TLS server: trust from the environment, clear
/// errors, connection reuse, the HTTP/2 fallback and the stall timeout.
@Suite("HTTPS: trust, reuse, HTTP/2 fallback, stalls")
struct TLSTransportTests {
    private func transport(trust: TLSTrust, stallTimeout: Int = 30) -> CurlTransport {
        // A generous connect timeout: on a loaded machine the Python server's handshakes can be slow.
        CurlTransport(configuration: TransportConfiguration(connectTimeout: 120, stallTimeout: stallTimeout, retry: .none, trust: trust))
    }

    @Test("an untrusted certificate is a clear error that names SSL_CERT_FILE")
    func untrusted() async throws {
        let server = try await TLSTestServer.start()
        do {
            _ = try await transport(trust: .system).send(HTTPRequest(url: server.url()))
            Issue.record("a self-signed certificate was accepted")
        } catch let error as TransportError {
            guard case .untrustedCertificate = error else { Issue.record("wrong error: \(error)"); await server.stop(); return }
            #expect(error.description.contains("SSL_CERT_FILE"))
            #expect(error.description.contains("https://127.0.0.1:\(server.port)"))
        }
        // The server notes the failed handshake a moment after the client hung up.
        #expect(await server.waitForConnections(1) == ["handshake-failed"])
        await server.stop()
    }

    @Test("SSL_CERT_FILE naming the CA makes the server trusted")
    func trustedThroughEnvironment() async throws {
        let server = try await TLSTestServer.start()
        let trust = TLSTrust.fromEnvironment(["SSL_CERT_FILE": server.caFile])
        let response = try await transport(trust: trust).send(HTTPRequest(url: server.url()))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "ok\n")
        await server.stop()
    }

    @Test("CURL_CA_BUNDLE wins over SSL_CERT_FILE, which wins over REQUESTS_CA_BUNDLE; empty values are ignored")
    func variableOrder() {
        let all = TLSTrust.fromEnvironment(["CURL_CA_BUNDLE": "/a", "SSL_CERT_FILE": "/b", "REQUESTS_CA_BUNDLE": "/c", "SSL_CERT_DIR": "/d"])
        #expect(all.caBundle == .init(path: "/a", variable: "CURL_CA_BUNDLE"))
        #expect(all.caDirectory == .init(path: "/d", variable: "SSL_CERT_DIR"))
        #expect(TLSTrust.fromEnvironment(["CURL_CA_BUNDLE": "", "SSL_CERT_FILE": "/b", "REQUESTS_CA_BUNDLE": "/c"]).caBundle?.path == "/b")
        #expect(TLSTrust.fromEnvironment(["REQUESTS_CA_BUNDLE": "/c"]).caBundle?.variable == "REQUESTS_CA_BUNDLE")
        #expect(TLSTrust.fromEnvironment([:]) == .system)
    }

    @Test("a CA file that cannot be read is named in the error")
    func unreadableBundle() async throws {
        let server = try await TLSTestServer.start()
        let trust = TLSTrust.fromEnvironment(["SSL_CERT_FILE": "/nonexistent/hubscout-ca.pem"])
        do {
            _ = try await transport(trust: trust).send(HTTPRequest(url: server.url()))
            Issue.record("a missing CA file was ignored")
        } catch let error as TransportError {
            guard case .unreadableTrustStore = error else { Issue.record("wrong error: \(error)"); await server.stop(); return }
            #expect(error.description.contains("SSL_CERT_FILE (/nonexistent/hubscout-ca.pem)"))
        }
        await server.stop()
    }

    @Test("sequential requests reuse one TLS connection")
    func reuse() async throws {
        let server = try await TLSTestServer.start()
        let client = transport(trust: TLSTrust(caBundle: .init(path: server.caFile)))
        for index in 0..<9 {
            let response = try await client.send(HTTPRequest(url: server.url("/\(index)")))
            #expect(response.status == 200)
        }
        // A second transport in the same process shares the pool too.
        let other = transport(trust: TLSTrust(caBundle: .init(path: server.caFile)))
        #expect(try await other.send(HTTPRequest(url: server.url("/other"))).status == 200)
        // One connection serves them (it offered h2; the server chose HTTP/1.1). The pool is the whole process's,
        // so when the rest of the suite runs at once an idle connection may be evicted: allow a few, never one each.
        #expect(server.connections().count <= 3)
        await server.stop()
    }

    @Test("a server that offers HTTP/2 but breaks it: the request falls back to HTTP/1.1, and later ones start there")
    func http2Fallback() async throws {
        let server = try await TLSTestServer.start(alpn: "h2,http/1.1")
        let client = transport(trust: TLSTrust(caBundle: .init(path: server.caFile)))
        let origin = try #require(HTTPOrigin(url: server.url()))
        #expect(!HTTP2Fallback.isDisabled(for: origin))
        let first = try await client.send(HTTPRequest(url: server.url("/first")))
        #expect(first.status == 200)
        #expect(HTTP2Fallback.isDisabled(for: origin))
        let second = try await client.send(HTTPRequest(url: server.url("/second")))
        #expect(second.status == 200)
        // One connection tried h2 and broke; one HTTP/1.1 connection then served both requests.
        #expect(server.connections() == ["h2", "http/1.1"])
        await server.stop()
    }

    @Test("a TLS server that never answers is dropped after the stall timeout, pooled or on its own connection")
    func stallOverTLS() async throws {
        let server = try await TLSTestServer.start(mode: "silent")
        let client = transport(trust: TLSTrust(caBundle: .init(path: server.caFile)), stallTimeout: 1)
        for use in [ConnectionUse.shared, .dedicated] {
            var request = HTTPRequest(url: server.url("/\(use)"))
            request.connection = use
            do {
                _ = try await client.stream(request) { _, _ in }
                Issue.record("a silent server was not given up on (\(use))")
            } catch let error as TransportError {
                guard case .stalled = error else { Issue.record("wrong error for \(use): \(error)"); continue }
            }
        }
        await server.stop()
    }
}
