import CArchive

/// How a bundle's tar stream is compressed.
public enum BundleCompression: String, Sendable, Equatable, Codable {
    /// A plain pax tar (`.tar`): the fastest, and `tar -xf` reads it anywhere.
    case none
    /// zstd through libarchive's filter (`.tar.zst`).
    case zstd

    /// The compression a file name asks for: `.tar.zst`, `.tzst` and `.zst` mean zstd.
    public static func forFileName(_ name: String) -> BundleCompression {
        let lower = name.lowercased()
        return lower.hasSuffix(".zst") || lower.hasSuffix(".tzst") ? .zstd : .none
    }

    /// True when this libarchive writes zstd itself (linked with libzstd), not through an external program.
    public static var zstdAvailable: Bool {
        guard let archive = archive_write_new() else { return false }
        defer { archive_write_free(archive) }
        return archive_write_add_filter_zstd(archive) == ARCHIVE_OK
    }

    /// libarchive's version and the compression libraries it was built with.
    public static var libraryDescription: String {
        String(cString: archive_version_details())
    }
}
