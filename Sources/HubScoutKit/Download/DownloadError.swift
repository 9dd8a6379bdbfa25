import Foundation

/// Why a download failed, each with a sentence that says what went wrong and what to do.
public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The content hash did not match the one the Hub announced, twice in a row.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The number of bytes received differs from the announced size.
    case sizeMismatch(file: String, expected: Int64, actual: Int64)
    /// The target filesystem cannot hold what is about to be downloaded.
    case diskFull(path: String, needed: Int64, free: Int64)
    /// The server answered a Range request with something other than the range asked for.
    case rangeNotHonoured(file: String, detail: String)
    /// The transfer kept failing after every retry.
    case retriesExhausted(file: String, attempts: Int, lastError: String)
    /// The content host answered with a status the downloader cannot act on.
    case httpStatus(file: String, status: Int, host: String)
    /// No file of the repository matched the names and patterns given.
    case nothingSelected(repo: String, patterns: [String])
    /// A named file is not part of the repository at the resolved commit.
    case fileNotInRepo(repo: String, path: String, commit: String)
    /// A pattern could not be used (too long, unbalanced brackets).
    case invalidPattern(String, reason: String)
    /// HF_HUB_OFFLINE is set and the cache does not hold what was asked for.
    case notInCache(repo: String, revision: String)
    /// `ORG/NAME:QUANT` named a quantization the repository has no GGUF of; `available` lists those it has.
    case quantizationNotFound(repo: String, quantization: String, available: [String])
    /// `ORG/NAME:QUANT` matches several GGUF models (different files of one quantization); `candidates` are their main files.
    case ambiguousQuantization(repo: String, quantization: String, candidates: [String])

    /// A sentence naming what went wrong and how to fix it.
    public var description: String {
        switch self {
        case let .checksumMismatch(file, expected, actual):
            return "'\(file)' failed verification twice: expected hash \(expected) but the downloaded bytes hash to \(actual); nothing was saved. The server or a proxy may be corrupting data; try again later or from another network"
        case let .sizeMismatch(file, expected, actual):
            return "'\(file)' should be \(expected) bytes but \(actual) arrived; the partial data was discarded. Run the command again; if it persists, the server is sending a different file than it announces"
        case let .diskFull(path, needed, free):
            return "not enough disk space at \(path): \(Self.gib(needed)) GiB needed, \(Self.gib(free)) GiB free; free some space, or choose another place with --cache-dir / --local-dir (or HF_HUB_CACHE)"
        case let .rangeNotHonoured(file, detail):
            return "the server did not honour the byte range requested for '\(file)' (\(detail)); the download restarted from zero. If this repeats, a proxy may be rewriting requests"
        case let .retriesExhausted(file, attempts, lastError):
            return "gave up on '\(file)' after \(attempts) attempts (last error: \(lastError)); the partial download is kept, run the command again to resume"
        case let .httpStatus(file, status, host):
            return "\(host) answered HTTP \(status) while downloading '\(file)'; the partial download is kept, run the command again to resume"
        case let .nothingSelected(repo, patterns):
            return "no file of '\(repo)' matches \(patterns.isEmpty ? "the selection" : patterns.joined(separator: ", ")); list the files with hubscout info \(repo) and check the names and --include/--exclude patterns (they are case-sensitive)"
        case let .fileNotInRepo(repo, path, commit):
            return "'\(path)' is not a file of '\(repo)' at commit \(commit.prefix(12)); list the files with hubscout info \(repo)"
        case let .invalidPattern(pattern, reason):
            return "the pattern '\(pattern)' cannot be used: \(reason)"
        case let .notInCache(repo, revision):
            return "HF_HUB_OFFLINE is set and '\(repo)' at revision '\(revision)' is not fully in the local cache; unset HF_HUB_OFFLINE to download it"
        case let .quantizationNotFound(repo, quantization, available):
            let has = available.isEmpty ? "it has no GGUF file whose name states a quantization" : "it has \(available.joined(separator: ", "))"
            return "'\(repo)' has no \(quantization) GGUF: \(has); name one of those (\(repo):\(available.first ?? "Q4_K_M"))"
        case let .ambiguousQuantization(repo, quantization, candidates):
            return "'\(repo)' has several \(quantization) GGUF models (\(candidates.joined(separator: ", "))); name the file instead: hubscout download \(repo) \(candidates.first ?? "FILE")"
        }
    }

    /// True for wrong bytes (hash or size), which are dropped and fetched once more.
    public var isBadContent: Bool {
        switch self {
        case .checksumMismatch, .sizeMismatch: true
        default: false
        }
    }


    /// GiB with two decimals, for messages.
    static func gib(_ bytes: Int64) -> String {
        String(format: "%.2f", Double(bytes) / 1_073_741_824)
    }
}
