/// Counts with their noun in the right number: `1 file`, `3 files`, `1 repository`, `0 repositories`.
enum Plural {
    /// `count` and the noun: `plural` (default: `singular` + "s") unless `count` is exactly 1.
    static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(word(count, singular, plural))"
    }

    /// The noun alone, for counts written another way (`3/4 files`).
    static func word(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        count == 1 ? singular : plural ?? singular + "s"
    }
}
