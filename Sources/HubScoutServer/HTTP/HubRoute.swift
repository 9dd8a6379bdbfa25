import Foundation

/// What a request path asks for. Repo ids have one or two segments, so a path may have several readings;
/// the responder tries them in order and keeps the first whose repository exists.
enum HubRoute: Equatable {
    /// `GET /api/models`
    case listModels
    /// `GET /api/whoami-v2`
    case whoami
    /// `/api/models/{id}/…` readings.
    case model([RepoRequest])
    /// `/{id}/resolve/{rev}/{path}` readings.
    case resolve([RepoRequest])
    /// Anything else.
    case unknown

    /// What is asked of one repository.
    enum Action: Equatable {
        case info(revision: String?)
        case tree(revision: String, path: String)
        case pathsInfo(revision: String)
        case refs
        case resolve(revision: String, path: String)
    }

    /// One reading of a path: the repo id, the action, and the raw path after the id (kept for redirects).
    struct RepoRequest: Equatable {
        var repoID: String
        var action: Action
        var rawSuffix: String
    }

    /// Longest path accepted.
    static let maxPathLength = 8 * 1024

    /// Parses a raw (still percent-encoded) request path; a path with `..`, empty or absolute file segments is `unknown`.
    init(rawPath: String) {
        guard rawPath.utf8.count <= Self.maxPathLength else { self = .unknown; return }
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let trimmed = segments.last == "" && segments.count > 1 ? Array(segments.dropLast()) : segments
        if trimmed == ["api", "models"] { self = .listModels; return }
        if trimmed == ["api", "whoami-v2"] { self = .whoami; return }
        if trimmed.count > 2, trimmed[0] == "api", trimmed[1] == "models" {
            let rest = Array(trimmed.dropFirst(2))
            let readings = [2, 1].compactMap { Self.modelReading(rest, idCount: $0) }
            self = readings.isEmpty ? .unknown : .model(readings)
            return
        }
        let readings = [2, 1].compactMap { Self.resolveReading(trimmed, idCount: $0) }
        self = readings.isEmpty ? .unknown : .resolve(readings)
    }

    private static func modelReading(_ rest: [String], idCount: Int) -> RepoRequest? {
        guard rest.count >= idCount, let id = repoID(rest.prefix(idCount)) else { return nil }
        let tail = Array(rest.dropFirst(idCount))
        let rawSuffix = tail.isEmpty ? "" : "/" + tail.joined(separator: "/")
        guard let keyword = tail.first else { return RepoRequest(repoID: id, action: .info(revision: nil), rawSuffix: rawSuffix) }
        let args = Array(tail.dropFirst())
        switch keyword {
        case "revision" where !args.isEmpty:
            let revision = args.map(decode).joined(separator: "/")
            return RepoRequest(repoID: id, action: .info(revision: revision), rawSuffix: rawSuffix)
        case "tree" where !args.isEmpty:
            guard let (revision, pathSegments) = splitRevision(args), let path = filePath(pathSegments, allowEmpty: true) else { return nil }
            return RepoRequest(repoID: id, action: .tree(revision: revision, path: path), rawSuffix: rawSuffix)
        case "paths-info" where !args.isEmpty:
            return RepoRequest(repoID: id, action: .pathsInfo(revision: args.map(decode).joined(separator: "/")), rawSuffix: rawSuffix)
        case "refs" where args.isEmpty:
            return RepoRequest(repoID: id, action: .refs, rawSuffix: rawSuffix)
        default:
            return nil
        }
    }

    private static func resolveReading(_ segments: [String], idCount: Int) -> RepoRequest? {
        guard segments.count > idCount + 2, segments[idCount] == "resolve", let id = repoID(segments.prefix(idCount)) else { return nil }
        let tail = Array(segments.dropFirst(idCount))
        guard let (revision, pathSegments) = splitRevision(Array(tail.dropFirst())),
              let path = filePath(pathSegments, allowEmpty: false) else { return nil }
        return RepoRequest(repoID: id, action: .resolve(revision: revision, path: path), rawSuffix: "/" + tail.joined(separator: "/"))
    }

    /// The revision segment (percent-decoded; a raw `refs/pr/N` spans three segments) and the segments after it.
    private static func splitRevision(_ args: [String]) -> (String, [String])? {
        guard let first = args.first.map(decode), !first.isEmpty else { return nil }
        if first == "refs", args.count >= 3, ["pr", "convert"].contains(decode(args[1])) {
            return ("refs/\(decode(args[1]))/\(decode(args[2]))", Array(args.dropFirst(3)))
        }
        return (first, Array(args.dropFirst()))
    }

    /// The decoded repo-relative path, or nil when it has empty, `.`, `..` or control-character segments.
    static func filePath(_ rawSegments: [String], allowEmpty: Bool) -> String? {
        let decoded = rawSegments.map(decode).joined(separator: "/")
        if decoded.isEmpty { return allowEmpty ? "" : nil }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            if part.isEmpty || part == "." || part == ".." { return nil }
            if part.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" }) { return nil }
        }
        return decoded
    }

    private static func repoID(_ segments: ArraySlice<String>) -> String? {
        let parts = segments.map(decode)
        guard !parts.contains(where: { $0.isEmpty || $0.contains("/") }) else { return nil }
        return parts.joined(separator: "/")
    }

    private static func decode(_ segment: String) -> String { segment.removingPercentEncoding ?? segment }
}
