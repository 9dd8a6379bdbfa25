import ArgumentParser
import Foundation
import HubScoutServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HubScoutCommand {
    /// `hubscout serve`: a Hub-compatible server over an HF cache directory.
    struct ServeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve an HF cache directory as a Hub-compatible API (air-gapped mirrors, a team's LAN, tests).",
            discussion: """
            Serves every models--ORG--NAME folder of DIR: the JSON API, /resolve/ downloads with Range, and LFS files through a redirect to a second listener (the file host), as the Hub's CDN does. Clients set HF_ENDPOINT to the API's URL; huggingface_hub, transformers and hubscout then work unchanged.

            For a team, listen on every interface with --host 0.0.0.0 and tell clients the name they reach this machine by with --public-url http://NAME:PORT: Link headers and redirects then use it, and the file host is advertised on the same host. Without --public-url, redirects name the host each client used for the API. A server for other machines (a --host that is not loopback, or --public-url) binds the file host where the API is, on --port + 1 unless --file-port says otherwise, so both ports can be opened in a firewall or forwarded by a proxy. Its banner says what clients should export.

            Facts a cache cannot hold come from an optional hubscout-server.json in DIR: per repository downloads, likes, gated ("auto"/"manual"), private, tags and dates ("repos"), renamed ids ("aliases"), and the tokens that may read gated or private repositories ("tokens"). A broken file stops serve from starting.

            Examples:
              hubscout serve ~/.cache/huggingface/hub --port 8080
              HF_ENDPOINT=http://127.0.0.1:8080 hubscout search --limit 5
              hubscout serve /srv/hf --host 0.0.0.0 --public-url http://mirror.lan:8080
            """
        )

        @Argument(help: "A directory in the Hugging Face cache layout (models--ORG--NAME/…).")
        var directory: String
        @Option(help: "Port of the API listener (0 picks a free one).")
        var port: Int = 8080
        @Option(help: "Address of the API listener: 127.0.0.1 for this machine only, 0.0.0.0 for every interface (a team's server).")
        var host: String = "127.0.0.1"
        @Option(help: ArgumentHelp("Address of the file (CDN) listener (default: \(HubServerConfiguration.defaultFileHost); --host when serving other machines).",
                                   valueName: "address"))
        var fileHost: String?
        @Option(help: ArgumentHelp("Port of the file listener (0 picks a free one; default: 0, or --port + 1 when serving other machines).",
                                   valueName: "port"))
        var filePort: Int?
        @Option(name: .customLong("public-url"),
                help: ArgumentHelp("The base URL clients use for the API, http(s)://HOST[:PORT]; Link headers and file redirects are derived from it.",
                                   valueName: "url"))
        var publicURL: String?

        /// Refuses ports the OS would silently truncate (70000 would listen on 4464) and unusable public URLs.
        func validate() throws {
            for (flag, value) in [("--port", port), ("--file-port", filePort ?? 0)]
            where !HubServerConfiguration.validPorts.contains(value) {
                throw ValidationError("\(flag) must be between 0 and 65535 (0 picks a free port); got \(value)")
            }
            if let publicURL {
                do { _ = try AdvertisedHosts.publicBaseURL(publicURL) } catch { throw ValidationError("--public-url: \(error.description)") }
            }
        }

        /// True when other machines are meant to connect: a non-loopback bind or a public URL.
        var servesOtherMachines: Bool { !AdvertisedHosts.isLoopback(host) || publicURL != nil }

        /// The server configuration these options describe. Serving other machines, the file host binds where the API
        /// does (the default 127.0.0.2 is unreachable from elsewhere, and a proxy forwards both ports to one address)
        /// and takes `--port + 1`, so its port is known before it starts.
        var serverConfiguration: HubServerConfiguration {
            let files = fileHost ?? (servesOtherMachines ? host : HubServerConfiguration.defaultFileHost)
            let teamPort = port > 0 && port < 65535 ? port + 1 : 0
            return HubServerConfiguration(
                apiHost: host, apiPort: port, fileHost: files, filePort: filePort ?? (servesOtherMachines ? teamPort : 0),
                // the macOS default advertises 127.0.0.1 as `localhost`; another file host is advertised as itself
                fileHostPublicName: files == HubServerConfiguration.defaultFileHost ? HubServerConfiguration.defaultFileHostPublicName : nil,
                publicURL: publicURL)
        }

        func run() async throws {
            try await CommandRunner.run {
                let root = (directory as NSString).expandingTildeInPath
                let storage = try CacheDirectoryStorage(root: root)
                // Read the sidecar once before listening: a broken one is reported here, with its path,
                // instead of every request being refused later.
                _ = try await storage.policy()
                let server = HubServer(storage: storage, configuration: serverConfiguration)
                try await server.run { addresses in
                    // one write, so whoever watches stderr sees the whole banner at once
                    Terminal.note((["serving \(root)"] + Self.banner(addresses, interfaces: Self.interfaceAddresses())).joined(separator: "\n"))
                }
            }
        }

        /// What `serve` prints once listening: where each listener is, and exactly what clients should set.
        static func banner(_ a: HubServerAddresses, interfaces: [String]) -> [String] {
            let team = a.servesOtherMachines || a.publicURL != nil
            guard team || a.fileHostFollowsRequest else {
                return ["API:   \(a.apiURL)   (export HF_ENDPOINT=\(a.apiURL))", "files: \(a.fileURL)"]
            }
            var lines: [String] = []
            let api = "\(AdvertisedHosts.bracketed(a.apiHost)):\(a.apiPort)"
            let files = "\(AdvertisedHosts.bracketed(a.fileHost)):\(a.filePort)"
            let every = AdvertisedHosts.isWildcard(a.apiHost) ? " (every interface)" : ""
            lines.append("API:   listening on \(api)\(every)" + (a.publicURL.map { ", advertised as \($0)" } ?? ""))
            lines.append(a.fileHostFollowsRequest
                ? "files: listening on \(files); redirects name the host each client used for the API, with port \(a.filePort)"
                : "files: listening on \(files), advertised as \(a.fileURL)")
            if a.publicURL == nil, AdvertisedHosts.isWildcard(a.apiHost) {
                lines.append("clients on this machine:   export HF_ENDPOINT=\(a.apiURL)")
                lines.append("clients on other machines: export HF_ENDPOINT=\(a.clientURL)")
                let urls = interfaces.map { "http://\(AdvertisedHosts.bracketed($0)):\(a.apiPort)" }
                lines.append("  if \(AdvertisedHosts.machineName()) does not resolve there, use this machine's address"
                             + (urls.isEmpty ? "" : " (\(urls.joined(separator: ", ")))")
                             + "; --public-url URL fixes the name advertised in Link headers and redirects")
            } else {
                lines.append("clients: export HF_ENDPOINT=\(a.clientURL)")
            }
            if team { lines.append("other machines need TCP ports \(a.apiPort) (API) and \(a.filePort) (files) open to this one") }
            return lines
        }

        /// This machine's non-loopback IPv4 addresses, for the banner (at most 4).
        static func interfaceAddresses() -> [String] {
            var list: UnsafeMutablePointer<ifaddrs>?
            guard getifaddrs(&list) == 0, let first = list else { return [] }
            defer { freeifaddrs(list) }
            var found: [String] = []
            for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
                guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                      (entry.pointee.ifa_flags & UInt32(IFF_LOOPBACK)) == 0, (entry.pointee.ifa_flags & UInt32(IFF_UP)) != 0 else { continue }
                var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                let converted = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                    var raw = ipv4.pointee.sin_addr
                    return inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil
                }
                guard converted else { continue }
                let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !found.contains(name) { found.append(name) }
            }
            return Array(found.prefix(4))
        }
    }
}
