import Foundation
import HubScoutCache
import HubScoutCore

/// One look at `hubscout-server.json`, compared with what the storage last loaded or rejected.
/// Produced off the storage actor (see `BlockingIO`); the actor decides what it means for access (fail closed).
enum SidecarReading: Sendable {
    /// There is no sidecar file.
    case absent
    /// The file is the one loaded last: nothing changed.
    case unchanged
    /// A new, valid sidecar.
    case loaded(ServerSidecar, FileStamp)
    /// The file exists but cannot be used; `stamp` lets the next look skip re-reading the same broken file.
    case invalid(reason: String, stamp: FileStamp?)

    /// Largest sidecar read.
    static let maxBytes: Int64 = 64 << 20

    /// Looks at `path`; a file whose stamp equals `known` is not read again, nor is one equal to `rejected`'s.
    static func read(path: String, known: FileStamp?, rejected: (stamp: FileStamp, reason: String)?) -> SidecarReading {
        guard let info = FileFacts.stat(path) else { return .absent }
        let stamp = FileStamp(info)
        guard info.isRegular else { return .invalid(reason: "not a regular file", stamp: stamp) }
        if stamp == known { return .unchanged }
        if let rejected, rejected.stamp == stamp { return .invalid(reason: rejected.reason, stamp: stamp) }
        guard info.size <= maxBytes, let data = FileManager.default.contents(atPath: path) else {
            return .invalid(reason: "unreadable or larger than 64 MiB", stamp: stamp)
        }
        do {
            return .loaded(try SafeJSON.decode(ServerSidecar.self, from: data), stamp)
        } catch {
            return .invalid(reason: "\(error)", stamp: stamp)
        }
    }
}
