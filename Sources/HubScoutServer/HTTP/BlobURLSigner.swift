import Crypto
import Foundation
import HubScoutCore

/// Signs file-host URLs like a CDN does, so the file host serves only what the API host authorised
/// (a gated file cannot be fetched by guessing its URL), and only for a limited time.
struct BlobURLSigner: Sendable {
    private let key: SymmetricKey

    /// A signer with a fresh random key: URLs die with the server, as real signed URLs expire.
    init() { key = SymmetricKey(size: .bits256) }

    /// `/lfs/<repo folder>/<commit>/<path>?expires=<unix>&signature=<hex>`.
    func path(repo: RepoID, commit: String, file: String, expires: Int) -> String {
        let encodedPath = file.split(separator: "/").map { segment in
            String(segment).addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? String(segment)
        }.joined(separator: "/")
        return "/lfs/\(repo.cacheFolderName)/\(commit)/\(encodedPath)?expires=\(expires)&signature=\(signature(repo.cacheFolderName, commit, file, expires))"
    }

    /// True when `signature` matches and `expires` is in the future.
    func verify(folder: String, commit: String, file: String, expires: Int, signature given: String, now: Date = Date()) -> Bool {
        guard expires >= Int(now.timeIntervalSince1970) else { return false }
        let expected = signature(folder, commit, file, expires)
        // constant-time comparison: no early exit on the first differing byte
        guard expected.utf8.count == given.utf8.count else { return false }
        return zip(expected.utf8, given.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func signature(_ folder: String, _ commit: String, _ file: String, _ expires: Int) -> String {
        let message = Array("\(folder)\n\(commit)\n\(file)\n\(expires)".utf8)
        return GitHash.hex(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    private static let segmentAllowed: CharacterSet = {
        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    }()
}
