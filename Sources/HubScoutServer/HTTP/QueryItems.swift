/// A request's query string, decoded: repeated keys kept in order, `+` read as a space, `expand[]` = `expand`.
struct QueryItems {
    /// Longest query string accepted; longer ones are cut (hostile input).
    static let maxLength = 16 * 1024
    /// Most parameters read.
    static let maxItems = 256

    private(set) var items: [(name: String, value: String)] = []
    /// The query as received (for echoing into `Link` URLs).
    let raw: String

    init(_ raw: String?) {
        let text = String((raw ?? "").prefix(Self.maxLength))
        self.raw = text
        for part in text.split(separator: "&", omittingEmptySubsequences: true).prefix(Self.maxItems) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            var name = Self.decode(pieces[0])
            if name.hasSuffix("[]") { name.removeLast(2) }
            items.append((name, pieces.count > 1 ? Self.decode(pieces[1]) : ""))
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { items.first { $0.name == name }?.value }

    /// All values of `name`, comma-separated values split too.
    func all(_ name: String) -> [String] {
        items.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
    }

    /// True for `true`/`1`/`yes` (case-insensitive).
    func flag(_ name: String) -> Bool {
        guard let value = self[name]?.lowercased() else { return false }
        return value == "true" || value == "1" || value == "yes"
    }

    /// The raw query without the parameters named in `names` (their raw spelling), for building `Link` URLs.
    func rawRemoving(_ names: Set<String>) -> String {
        raw.split(separator: "&", omittingEmptySubsequences: true).filter { part in
            let name = Self.decode(part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            return !names.contains(name)
        }.joined(separator: "&")
    }

    /// Percent-decoding with `+` as space; invalid escapes are kept literally.
    static func decode<S: StringProtocol>(_ text: S) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

import Foundation
