import Foundation
import HubScoutCore

/// huggingface_hub 2.x's cache-wide blob store (hub-protocol.md §5.2a): `<cache>/blobs/<xh[0:2]>/<xet hash>`,
/// marked by `blobs/.huggingface-shared-blobs` (exactly `1\n`), linked from repositories as
/// `models--org--name/blobs/<etag> -> ../../blobs/<xh[0:2]>/<xet hash>`, with a `<xet hash>.refs` manifest listing
/// the repository entries that link to each store blob.
///
/// An unmarked root `blobs/` is not a store (and never a repository folder). A repository entry counts as shared only
/// when it is a link whose target is exactly a store blob (see `HubCache.snapshotEntries`).
public struct SharedBlobStore: Sendable, Equatable {
    /// The marker file's name, inside the store folder.
    public static let markerName = ".huggingface-shared-blobs"
    /// The marker's content: the layout version.
    public static let markerContent = "1\n"
    /// Largest `.refs` manifest read.
    public static let maxManifestBytes: Int64 = 1 << 20

    /// The canonical path of the store folder (`<canonical cache root>/blobs`).
    public let path: String

    /// The store of the cache whose canonical root is `realRoot`; nil unless `blobs/` is a real folder holding the marker.
    public init?(realRoot: String) {
        let folder = realRoot + "/blobs"
        guard FileFacts.lstat(folder)?.isDirectory == true,
              let marker = FileFacts.lstat(folder + "/" + Self.markerName), marker.isRegular, marker.size <= 64,
              let data = FileManager.default.contents(atPath: folder + "/" + Self.markerName),
              String(decoding: data, as: UTF8.self) == Self.markerContent else { return nil }
        path = folder
    }

    /// The xet hash of the store blob at `realPath` (canonical): `<store>/<2 hex>/<64 hex>` with the folder equal to
    /// the hash's first two characters; nil for anything else.
    public func hash(ofBlobAt realPath: String) -> String? {
        guard realPath.hasPrefix(path + "/") else { return nil }
        let parts = realPath.dropFirst(path.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, BlobID(parts[1])?.isSHA256 == true, parts[0] == parts[1].prefix(2) else { return nil }
        return String(parts[1])
    }

    /// True when the manifest of store blob `hash` lists `entry` (`models--org--name/blobs/<etag>`). The manifest is
    /// only a hint for garbage collection, so a missing, oversized or unreadable one lists nothing: a caller that
    /// requires a listing (the server, before serving a store blob as a repository's content) fails closed.
    public func manifest(of hash: String, lists entry: String) -> Bool {
        let manifest = path + "/" + hash.prefix(2) + "/" + hash + ".refs"
        guard let facts = FileFacts.lstat(manifest), facts.isRegular, facts.size <= Self.maxManifestBytes,
              let data = FileManager.default.contents(atPath: manifest) else { return false }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .contains { $0.trimmingCharacters(in: .whitespaces) == entry }
    }
}
