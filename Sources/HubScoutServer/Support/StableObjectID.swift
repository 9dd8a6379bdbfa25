import Crypto
import HubScoutCore

/// A Mongo-style 24-hex `_id` derived from a repo id, stable across restarts and id casing.
enum StableObjectID {
    /// The first 12 bytes of sha256("hubscout-model:" + lower-cased id), in hex.
    static func forRepo(_ id: String) -> String {
        GitHash.hex(SHA256.hash(data: Array(("hubscout-model:" + id.lowercased()).utf8)).prefix(12))
    }

    /// A 24-hex id for a user or organisation name.
    static func forAccount(_ name: String) -> String {
        GitHash.hex(SHA256.hash(data: Array(("hubscout-user:" + name.lowercased()).utf8)).prefix(12))
    }
}
