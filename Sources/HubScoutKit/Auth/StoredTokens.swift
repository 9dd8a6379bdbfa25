/// The named tokens huggingface_hub keeps in `stored_tokens`, beside the token file: an INI file with one
/// section per token, read by Python's `configparser` and written by `ConfigParser.write`.
///
/// ```ini
/// [work]
/// hf_token = hf_…
///
/// ```
///
/// Sections are written sorted by name (code point order), each key as `key = value` and each section
/// followed by a blank line, so a file written here is byte-for-byte what `hf auth login` would write.
/// Fields other than `hf_token` (`refresh_token`, `expires_at` of OAuth logins) are kept as they are.
public struct StoredTokens: Sendable, Equatable {
    /// One named token and all its fields, in file order.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// `(key, value)` pairs; keys are lower case, as `configparser` stores them.
        public var fields: [Field]

        public init(name: String, fields: [Field]) {
            self.name = name
            self.fields = fields
        }

        /// The value of `key`, if present.
        public subscript(key: String) -> String? { fields.first { $0.key == key }?.value }

        /// The token (`hf_token`); nil when the section has none.
        public var token: String? { TokenStore.clean(self["hf_token"]) }

        /// `expires_at` (unix seconds) of an OAuth token; nil when absent or not a number.
        public var expiresAt: Int? { self["expires_at"].flatMap { Int($0) } }
    }

    /// A `key = value` line.
    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The sections, in file order.
    public private(set) var entries: [Entry]

    /// An empty file.
    public init(entries: [Entry] = []) { self.entries = entries }

    /// Parses the file as `configparser.ConfigParser(interpolation=None)` reads it. What it would refuse
    /// (a key before any section, a repeated section or key, a line that is neither) is an error naming
    /// the line, so a damaged file is never silently replaced by a shorter one.
    public init(parsing text: String) throws(StoredTokensParseError) {
        var sections: [Entry] = []
        var defaults: [Field] = []
        // Index into `sections`, or -1 for [DEFAULT].
        var current: Int?
        var lastKey: (key: String, indent: Int)?
        // Python reads the file with universal newlines: LF, CRLF and CR all end a line.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            let stripped = line.trimmingASCIIWhitespace
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if stripped.isEmpty {
                lastKey = nil
                continue
            }
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            // An indented line continues the previous value (configparser joins it with a line break).
            if let key = lastKey, let section = current, indent > key.indent {
                if section < 0 {
                    Self.append(to: &defaults, key: key.key, text: stripped)
                } else {
                    Self.append(to: &sections[section].fields, key: key.key, text: stripped)
                }
                continue
            }
            // `[name]`: the name runs to the last `]` (configparser's "very permissive" `\[(?P<header>.+)\]`).
            if stripped.hasPrefix("["), let close = stripped.lastIndex(of: "]"), close > stripped.index(after: stripped.startIndex) {
                let name = String(stripped[stripped.index(after: stripped.startIndex)..<close])
                lastKey = nil
                if name == "DEFAULT" {
                    current = -1
                    continue
                }
                guard !sections.contains(where: { Self.same($0.name, name) }) else {
                    throw StoredTokensParseError(line: number, reason: "section [\(name)] appears twice")
                }
                sections.append(Entry(name: name, fields: []))
                current = sections.count - 1
                continue
            }
            guard let section = current else {
                throw StoredTokensParseError(line: number, reason: "a line before the first [name] section")
            }
            guard let delimiter = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw StoredTokensParseError(line: number, reason: "neither a [name] section nor a key = value line")
            }
            let key = String(stripped[..<delimiter]).trimmingASCIIWhitespace.lowercased()
            let value = String(stripped[stripped.index(after: delimiter)...]).trimmingASCIIWhitespace
            guard !key.isEmpty else { throw StoredTokensParseError(line: number, reason: "a value without a key") }
            let existing = section < 0 ? defaults : sections[section].fields
            guard !existing.contains(where: { $0.key == key }) else {
                throw StoredTokensParseError(line: number, reason: "key '\(key)' appears twice in one section")
            }
            if section < 0 { defaults.append(Field(key, value)) } else { sections[section].fields.append(Field(key, value)) }
            lastKey = (key, indent)
        }
        // configparser hands [DEFAULT]'s keys to every section that lacks them, ahead of the section's own.
        if !defaults.isEmpty {
            sections = sections.map { entry in
                var merged = defaults.map { field in entry.fields.first { $0.key == field.key } ?? field }
                merged += entry.fields.filter { field in !defaults.contains { $0.key == field.key } }
                return Entry(name: entry.name, fields: merged)
            }
        }
        entries = sections
    }

    /// The file as `ConfigParser.write` prints it: sections by code point order of their names, `key = value`
    /// lines (a line break inside a value continues on a tab-indented line), a blank line after each section.
    public func serialized() -> String {
        var text = ""
        for entry in entries.sorted(by: { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) }) {
            text += "[\(entry.name)]\n"
            for field in entry.fields {
                text += "\(field.key) = \(field.value.replacingOccurrences(of: "\n", with: "\n\t"))\n"
            }
            text += "\n"
        }
        return text
    }

    /// The entry named `name` (names compare code point by code point, as in Python).
    public subscript(name: String) -> Entry? { entries.first { Self.same($0.name, name) } }

    /// The names, in file order.
    public var names: [String] { entries.map(\.name) }

    /// The first entry holding `token`.
    public func entry(holding token: String) -> Entry? { entries.first { $0.token == token } }

    /// Stores `token` as `name`, replacing that whole section (as huggingface_hub does, so a new login
    /// under an old name drops the old OAuth refresh fields).
    public mutating func set(_ token: String, name: String) throws(TokenStoreError) {
        try Self.validate(name: name)
        let entry = Entry(name: name, fields: [Field("hf_token", token)])
        if let index = entries.firstIndex(where: { Self.same($0.name, name) }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    /// Removes the entry named `name` and returns it.
    @discardableResult
    public mutating func remove(name: String) -> Entry? {
        guard let index = entries.firstIndex(where: { Self.same($0.name, name) }) else { return nil }
        return entries.remove(at: index)
    }

    /// A name `configparser` can write and read back as the same name: not empty, no line break or other
    /// control character, not `DEFAULT` (configparser's defaults section), no surrounding whitespace.
    public static func validate(name: String) throws(TokenStoreError) {
        let valid = !name.isEmpty && name != "DEFAULT" && name.trimmingASCIIWhitespace == name
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard valid else { throw .invalidTokenName(name) }
    }

    private static func same(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

    private static func append(to fields: inout [Field], key: String, text: String) {
        guard let index = fields.lastIndex(where: { $0.key == key }) else { return }
        fields[index].value += "\n" + text
    }
}

/// A `stored_tokens` line that `configparser` would refuse.
public struct StoredTokensParseError: Error, Sendable, Equatable {
    /// 1-based line number.
    public var line: Int
    /// What is wrong with it, in configparser's terms.
    public var reason: String
}

extension StringProtocol {
    /// Without spaces, tabs, CR or LF at either end (what Python's `str.strip()` removes from these lines).
    var trimmingASCIIWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{0B}" || $0 == "\u{0C}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
