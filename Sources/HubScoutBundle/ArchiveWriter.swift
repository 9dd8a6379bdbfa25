import CArchive
import Foundation

/// A POSIX pax tar written through libarchive into a `VolumeSink`: regular-file entries only, each
/// header followed by its bytes, which are handed over a buffer at a time (nothing is staged).
/// pax extended headers carry sizes past 8 GiB and paths past 100 bytes.
///
/// Used from one thread; not `Sendable`.
final class ArchiveWriter {
    private let archive: OpaquePointer
    private let sink: VolumeSink
    private var closed = false

    /// Starts a pax archive, zstd-compressed when asked (refused when this libarchive has no zstd).
    init(sink: VolumeSink, compression: BundleCompression) throws(BundleError) {
        guard let archive = archive_write_new() else {
            throw .archive(path: sink.path, operation: "start writing", message: "libarchive could not allocate a writer")
        }
        self.archive = archive
        self.sink = sink
        try check(archive_write_set_format_pax(archive), "choose the pax format for")
        if compression == .zstd {
            let status = archive_write_add_filter_zstd(archive)
            // ARCHIVE_WARN means "through an external zstd program": it works, but it is not this libarchive.
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw .compressionUnavailable(Self.message(archive) ?? "no zstd filter")
            }
            // Several compression threads where libarchive supports the option (3.6+ with libzstd); ignored otherwise.
            _ = archive_write_set_filter_option(archive, "zstd", "threads", String(max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))))
        }
        // Large blocks keep the callback count down; the last one is not padded past the tar's own 512-byte records.
        try check(archive_write_set_bytes_per_block(archive, 1 << 20), "set the block size of")
        try check(archive_write_set_bytes_in_last_block(archive, 1), "set the block size of")
        let client = Unmanaged.passUnretained(sink).toOpaque()
        try check(archive_write_open2(archive, client, nil, { _, client, buffer, length in
            let sink = Unmanaged<VolumeSink>.fromOpaque(client!).takeUnretainedValue()
            guard let buffer else { return 0 }
            do throws(BundleError) {
                try sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                return la_ssize_t(length)
            } catch {
                sink.failure = error
                return -1
            }
        }, nil, nil), "open")
    }

    deinit {
        if !closed { sink.abort() }
        archive_write_free(archive)
    }

    /// Writes a regular-file header: 0644, owner 0, the given modification time.
    func beginFile(_ name: String, size: Int64, modified: Int) throws(BundleError) {
        guard let entry = archive_entry_new() else { throw .archive(path: sink.path, operation: "write", message: "out of memory") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_size(entry, size)
        archive_entry_set_filetype(entry, UInt32(ArchiveMember.regularFileType))
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_mtime(entry, time_t(modified), 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        try check(archive_write_header(archive, entry), "write the header of \(name) into")
    }

    /// Appends bytes to the current file.
    func write(_ bytes: UnsafeRawBufferPointer) throws(BundleError) {
        var offset = 0
        while offset < bytes.count {
            let count = archive_write_data(archive, bytes.baseAddress! + offset, bytes.count - offset)
            guard count > 0 else {
                if let failure = sink.failure { throw failure }
                throw .archive(path: sink.path, operation: "write", message: Self.message(archive) ?? "libarchive wrote nothing")
            }
            offset += count
        }
    }

    /// Ends the current file (pads it to the next 512-byte record).
    func endFile() throws(BundleError) {
        try check(archive_write_finish_entry(archive), "finish an entry of")
    }

    /// Writes the end-of-archive records and flushes the compressor; the sink is finished by the caller.
    func close() throws(BundleError) {
        try check(archive_write_close(archive), "finish")
        closed = true
    }

    private func check(_ status: Int32, _ operation: String) throws(BundleError) {
        guard status != ARCHIVE_OK, status != ARCHIVE_WARN else { return }
        if let failure = sink.failure { throw failure }
        throw .archive(path: sink.path, operation: operation, message: Self.message(archive) ?? "libarchive status \(status)")
    }

    static func message(_ archive: OpaquePointer) -> String? {
        archive_error_string(archive).map { String(cString: $0) }
    }
}
