/// Parses an HTTP `Link` header and finds the URL of a relation such as `next`.
public enum LinkHeader {
    /// The URL with `rel="<relation>"`, or nil.
    public static func url(in header: String?, relation: String) -> String? {
        guard let header else { return nil }
        for link in header.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, first.hasPrefix("<"), first.hasSuffix(">") else { continue }
            let rels = parts.dropFirst().compactMap { part -> String? in
                guard part.lowercased().hasPrefix("rel=") else { return nil }
                return part.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if rels.contains(where: { $0.split(separator: " ").contains(Substring(relation)) }) {
                return String(first.dropFirst().dropLast())
            }
        }
        return nil
    }
}

import Foundation
