import Foundation
import HubScoutCache
import HubScoutCore

/// A bundle read member by member, each one checked before a byte of it is used: the manifest must
/// come first; every other member must be a regular file with a safe name, listed in the manifest,
/// not seen before, and of the listed size. The end of the archive is accepted only once every listed
/// file has come, so a bundle cut between two members is reported as truncated too.
///
/// Used from one thread; not `Sendable`.
final class MemberStream {
    let reader: ArchiveReader
    let index: ManifestIndex
    private var seen = Set<String>()
    /// Hashes member content on a thread of its own while this one reads and writes (started with the first member).
    private var backgroundHasher: BackgroundHasher?

    /// Opens the bundle at `path` (or its volumes) and reads its manifest.
    init(path: String) throws(BundleError) {
        let volumes = try VolumeSource.volumes(of: path)
        let reader = try ArchiveReader(paths: volumes)
        guard let first = try reader.next() else {
            throw .notABundle(path: reader.displayPath, reason: "the archive is empty")
        }
        guard first.name == BundleManifest.memberName else {
            throw .notABundle(path: reader.displayPath, reason: "its first member is '\(BundleError.shown(first.name))', not \(BundleManifest.memberName)")
        }
        guard first.kind == .regular else { throw .unsupportedMemberType(first.name, type: first.kind.description) }
        guard let size = first.size, size <= BundleManifest.maxBytes else {
            throw .invalidManifest("it is larger than \(BundleManifest.maxBytes >> 20) MiB")
        }
        var data = Data(capacity: Int(size))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { break }
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            guard data.count <= size else { throw .invalidManifest("it is longer than its header says") }
        }
        guard data.count == size else { throw .truncated(member: BundleManifest.memberName, detail: "\(data.count) of \(size) bytes") }
        self.reader = reader
        index = try ManifestIndex(try BundleManifest.decode(data))
    }

    deinit { backgroundHasher?.stop() }

    /// The bundle's name for messages.
    var displayPath: String { reader.displayPath }

    /// The next file member, checked; nil at the end, once every listed file has come.
    func next() throws(BundleError) -> ManifestIndex.Entry? {
        guard let member = try reader.next() else {
            if let missing = index.order.first(where: { !seen.contains($0) }) {
                let count = index.order.count - seen.count
                throw .truncated(member: missing, detail: "the archive ends before \(count) of its \(index.order.count) files")
            }
            return nil
        }
        let name = member.name
        let path: SafeRelativePath
        do { path = try SafeRelativePath(name) } catch {
            if case let .unsafePath(_, reason) = error { throw .unsafeMember(name, reason: reason) }
            throw .unsafeMember(name, reason: error.description)
        }
        guard member.kind == .regular else { throw .unsupportedMemberType(name, type: member.kind.description) }
        guard path.value != BundleManifest.memberName else { throw .duplicateMember(name) }
        guard let entry = index.entries[path.value] else { throw .memberNotInManifest(name) }
        guard seen.insert(path.value).inserted else { throw .duplicateMember(name) }
        guard let size = member.size, size == entry.size else {
            throw .sizeMismatch(member: name, expected: entry.size, actual: member.size ?? -1)
        }
        return entry
    }

    /// Reads the current member's content through `buffer`, hashing it, handing each chunk to `consume`;
    /// checks the byte count and the hash at the end.
    func readContent(of entry: ManifestIndex.Entry, buffer: UnsafeMutableRawBufferPointer,
                     consume: (UnsafeRawBufferPointer) throws(BundleError) -> Void) throws(BundleError) {
        let hasher = backgroundHasher ?? BackgroundHasher()
        backgroundHasher = hasher
        hasher.start(kind: entry.blob.kind, size: entry.size)
        var total: Int64 = 0
        var finished = false
        // A member left half-read still gets its digest collected, so the next one starts clean.
        defer { if !finished { _ = hasher.finish() } }
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { break }
            total += Int64(count)
            guard total <= entry.size else { throw .sizeMismatch(member: entry.member, expected: entry.size, actual: total) }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hasher.update(chunk)
            try consume(chunk)
        }
        finished = true
        let actual = hasher.finish()
        guard total == entry.size else { throw .truncated(member: entry.member, detail: "\(total) of \(entry.size) bytes") }
        guard actual == entry.blob.value else { throw .hashMismatch(member: entry.member, expected: entry.blob.value, actual: actual) }
    }

    /// Passes over the current member's content.
    func skipContent() throws(BundleError) { try reader.skipData() }
}
