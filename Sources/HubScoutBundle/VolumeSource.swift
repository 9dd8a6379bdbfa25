import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a bundle, read from one file or from its numbered volumes end to end, through one
/// fixed buffer. Regular files are skipped with `lseek` when libarchive passes over a member
/// (a resumed import does not read what it already has).
///
/// Used from one thread (libarchive's read callback); not `Sendable`.
final class VolumeSource {
    /// The volumes, in order.
    let paths: [String]
    /// Bytes handed to libarchive or skipped so far.
    private(set) var position: Int64 = 0
    /// The first error a read met (libarchive only sees -1).
    var failure: BundleError?

    private var index = 0
    private var fd: Int32 = -1
    private var sizes: [Int64?] = []
    private var offsetInVolume: Int64 = 0
    let buffer: UnsafeMutableRawBufferPointer

    /// The volumes of the bundle at `path`: the file itself; or, for `FILE.000` or a `FILE` that does
    /// not exist beside a `FILE.000`, every consecutive `FILE.NNN`.
    static func volumes(of path: String) throws(BundleError) -> [String] {
        let manager = FileManager.default
        var base: String?
        if path.hasSuffix(".000") { base = String(path.dropLast(4)) }
        else if !manager.fileExists(atPath: path), manager.fileExists(atPath: VolumeSink.volumeName(path, 0)) { base = path }
        guard let base else {
            guard manager.fileExists(atPath: path) else { throw .notABundle(path: path, reason: "no such file") }
            return [path]
        }
        var found: [String] = []
        while manager.fileExists(atPath: VolumeSink.volumeName(base, found.count)) {
            found.append(VolumeSink.volumeName(base, found.count))
        }
        guard !found.isEmpty else { throw .notABundle(path: path, reason: "no such file") }
        return found
    }

    init(paths: [String], bufferSize: Int = 1 << 20) throws(BundleError) {
        self.paths = paths
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
        for path in paths {
            var info = stat()
            // Every property is set: deinit releases the buffer.
            guard stat(path, &info) == 0 else {
                throw .notABundle(path: path, reason: String(cString: strerror(errno)))
            }
            sizes.append((info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil)
        }
        try openCurrent()
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// The name to show for the bundle.
    var displayPath: String { paths.count == 1 ? paths[0] : paths[0] + " (+\(paths.count - 1) volumes)" }

    /// Fills the buffer; 0 at the end of the last volume.
    func read() throws(BundleError) -> Int {
        while index < paths.count {
            let count = POSIXIO.read(fd, buffer)
            guard count >= 0 else { throw .archive(path: paths[index], operation: "read", message: POSIXIO.errorText) }
            if count > 0 {
                position += Int64(count)
                offsetInVolume += Int64(count)
                return count
            }
            index += 1
            try openCurrent()
        }
        return 0
    }

    /// Skips up to `request` bytes by seeking inside the current volume; returns how many were skipped
    /// (0 when the volume is not a regular file, and libarchive reads through instead).
    func skip(_ request: Int64) -> Int64 {
        guard index < paths.count, let size = sizes[index], request > 0 else { return 0 }
        let step = min(request, size - offsetInVolume)
        guard step > 0, lseek(fd, off_t(offsetInVolume + step), SEEK_SET) >= 0 else { return 0 }
        offsetInVolume += step
        position += step
        return step
    }

    private func openCurrent() throws(BundleError) {
        if fd >= 0 { close(fd); fd = -1 }
        offsetInVolume = 0
        guard index < paths.count else { return }
        let opened = open(paths[index], O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { throw .notABundle(path: paths[index], reason: String(cString: strerror(errno))) }
        fd = opened
    }
}
