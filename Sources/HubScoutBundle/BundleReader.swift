/// Reads what a bundle holds without extracting it: only the manifest, its first member.
public enum BundleReader {
    /// The manifest of the bundle at `path` (or of its volumes `path.000`…), checked field by field.
    public static func manifest(at path: String) async throws(BundleError) -> BundleManifest {
        try await BundleWork.run { () throws(BundleError) in try MemberStream(path: path).index.manifest }
    }
}
