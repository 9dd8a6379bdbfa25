import Foundation
import GRDB
import HubScoutCore

/// Conversions between Swift values and the catalog's column encodings.
enum SQLValues {
    /// Dates are stored as REAL seconds since 1970.
    static func date(_ date: Date?) -> Double? { date?.timeIntervalSince1970 }

    /// Reads a REAL date column.
    static func date(_ value: Double?) -> Date? { value.map(Date.init(timeIntervalSince1970:)) }

    /// JSON text of a string list; nil for an empty list so it never replaces a known one.
    static func jsonList(_ list: [String]) -> String? {
        guard !list.isEmpty else { return nil }
        // Hand-written because JSONEncoder dominated bulk ingest; escapes as RFC 8259 requires.
        var out = "["
        for (index, item) in list.enumerated() {
            if index > 0 { out += "," }
            out += "\""
            for scalar in item.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        }
        return out + "]"
    }

    /// Decodes a JSON string list column; an unreadable value reads as empty.
    static func list(_ text: String?) -> [String] {
        guard let text, let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return list
    }

    /// JSON text of any Encodable value.
    static func json<T: Encodable>(_ value: T?) -> String? {
        guard let value, let data = try? JSONEncoder().encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a JSON column into `T`.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// Trust rank of a parameter source as SQL (lower is more trusted).
    static func sourceRankSQL(_ column: String) -> String {
        "(CASE \(column) WHEN 'tensorHeaders' THEN 0 WHEN 'hubAPI' THEN 1 ELSE 2 END)"
    }

    /// Validates a repository id and returns it with the author it implies.
    static func validated(_ id: String) throws -> (id: String, namespace: String?) {
        do {
            let repo = try RepoID(id)
            return (repo.description, repo.namespace)
        } catch {
            throw CatalogError.invalidValue(error.description)
        }
    }
}
