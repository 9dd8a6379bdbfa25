import CArchive
import Foundation

/// Reads a tar (plain or zstd) through libarchive, member by member, from a `VolumeSource`: headers
/// come back as `ArchiveMember`s, unchecked; content is copied into the caller's fixed buffer. Only tar
/// formats are enabled (no zip, cpio or ISO parsing of untrusted input).
///
/// Used from one thread; not `Sendable`.
final class ArchiveReader {
    private let archive: OpaquePointer
    private let source: VolumeSource
    /// The member whose content is being read, for messages.
    private(set) var current: String?
    private var headersRead = 0

    init(paths: [String]) throws(BundleError) {
        let source = try VolumeSource(paths: paths)
        guard let archive = archive_read_new() else {
            throw .archive(path: source.displayPath, operation: "start reading", message: "libarchive could not allocate a reader")
        }
        self.archive = archive
        self.source = source
        archive_read_support_format_tar(archive)
        // zstd, through libzstd or the external program; a plain tar needs no filter.
        _ = archive_read_support_filter_zstd(archive)
        let client = Unmanaged.passUnretained(source).toOpaque()
        archive_read_set_callback_data(archive, client)
        archive_read_set_read_callback(archive) { _, client, buffer in
            let source = Unmanaged<VolumeSource>.fromOpaque(client!).takeUnretainedValue()
            do throws(BundleError) {
                let count = try source.read()
                buffer?.pointee = UnsafeRawPointer(source.buffer.baseAddress)
                return la_ssize_t(count)
            } catch {
                source.failure = error
                return -1
            }
        }
        archive_read_set_skip_callback(archive) { _, client, request in
            Unmanaged<VolumeSource>.fromOpaque(client!).takeUnretainedValue().skip(request)
        }
        let status = archive_read_open1(archive)
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
            let message = source.failure?.description ?? Self.message(archive) ?? "status \(status)"
            // Every property is set: deinit frees the reader.
            throw .notABundle(path: source.displayPath, reason: message)
        }
    }

    deinit { archive_read_free(archive) }

    /// The bundle's name for messages.
    var displayPath: String { source.displayPath }
    /// Bytes of the bundle consumed so far.
    var position: Int64 { source.position }

    /// The next member's header, nil at the end of the archive.
    func next() throws(BundleError) -> ArchiveMember? {
        var entry: OpaquePointer?
        var status: Int32
        repeat { status = archive_read_next_header(archive, &entry) } while status == ARCHIVE_RETRY
        let previous = current
        current = nil
        if status == ARCHIVE_EOF { return nil }
        guard (status == ARCHIVE_OK || status == ARCHIVE_WARN), let entry else {
            if let failure = source.failure { throw failure }
            let message = Self.message(archive) ?? "status \(status)"
            if headersRead == 0 { throw .notABundle(path: source.displayPath, reason: "it is not a readable tar archive (\(message))") }
            if message.lowercased().contains("truncated") {
                throw .truncated(member: previous.map { "after \($0)" } ?? "the next header", detail: message)
            }
            throw .archive(path: source.displayPath, operation: "read a header of", message: message)
        }
        headersRead += 1
        let name: String
        if let utf8 = archive_entry_pathname_utf8(entry) { name = String(cString: utf8) }
        else if let raw = archive_entry_pathname(entry) { name = String(cString: raw) }
        else { name = "" }
        let member = ArchiveMember(name: name,
                                   kind: ArchiveMember.kind(fileType: UInt32(archive_entry_filetype(entry)), isHardLink: archive_entry_hardlink(entry) != nil),
                                   size: archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil)
        current = name
        return member
    }

    /// Copies up to `buffer.count` bytes of the current member; 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(BundleError) -> Int {
        var count: la_ssize_t
        repeat { count = archive_read_data(archive, buffer.baseAddress, buffer.count) } while count == la_ssize_t(ARCHIVE_RETRY)
        guard count >= 0 else { throw failure(Int32(count)) }
        return count
    }

    /// Passes over the rest of the current member (seeking when the bundle is a plain file).
    func skipData() throws(BundleError) {
        let status = archive_read_data_skip(archive)
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN || status == ARCHIVE_EOF else { throw failure(status) }
    }

    private func failure(_ status: Int32) -> BundleError {
        if let failure = source.failure { return failure }
        let message = Self.message(archive) ?? "status \(status)"
        let member = current ?? "?"
        if message.lowercased().contains("truncated") || message.lowercased().contains("premature") {
            return .truncated(member: member, detail: message)
        }
        return .archive(path: source.displayPath, operation: "read member \(BundleError.shown(member)) of", message: message)
    }

    static func message(_ archive: OpaquePointer) -> String? {
        archive_error_string(archive).map { String(cString: $0) }
    }
}
