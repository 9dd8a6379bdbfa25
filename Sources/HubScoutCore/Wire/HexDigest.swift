/// Lower-case hexadecimal text of a fixed length: the only shape a commit, a git blob id or a
/// sha256 may have once it leaves the wire (they become file names in the cache).
enum HexDigest {
    /// True when `text` has exactly `length` characters, each `0-9` or `a-f`.
    static func isLowerHex(_ text: some StringProtocol, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
