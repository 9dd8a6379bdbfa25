import HubScoutCatalog
import HubScoutKit

/// The cross-tool inventory's digest memo, kept in the catalog: a second scan of unchanged files hashes nothing.
/// A catalog error only costs a re-hash, never the scan.
public struct CatalogHashMemo: ContentHashMemo {
    public let catalog: Catalog

    public init(catalog: Catalog) { self.catalog = catalog }

    /// The memo over this user's catalog; nil when it cannot be opened (the caller hashes without a memo).
    public static func open(environment: HubEnvironment) async -> CatalogHashMemo? {
        guard let catalog = try? await FirstRun.prepareCatalog(environment: environment).catalog else { return nil }
        return CatalogHashMemo(catalog: catalog)
    }

    public func sha256(for key: ContentHashKey) async -> String? {
        try? await catalog.fileHash(device: key.device, inode: key.inode, size: key.size, modifiedNanoseconds: key.modifiedNanoseconds)
    }

    public func remember(_ sha256: String, for key: ContentHashKey) async {
        try? await catalog.rememberFileHash(sha256, device: key.device, inode: key.inode, size: key.size, modifiedNanoseconds: key.modifiedNanoseconds)
    }
}
