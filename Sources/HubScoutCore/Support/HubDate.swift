import Foundation

/// The Hub's ISO-8601 timestamps (`2024-02-19T10:57:45.000Z`), with or without fractional seconds.
public enum HubDate {
    /// Parses an ISO-8601 date; nil when it is not one.
    public static func parse(_ string: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(string) { return d }
        return try? Date.ISO8601FormatStyle().parse(string)
    }

    /// Formats as the Hub does, with milliseconds, in UTC.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
