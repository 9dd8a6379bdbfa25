import Foundation
import HubScoutCore

/// A position in a paginated listing (`/api/models`, `/tree`), carried by the opaque `cursor` query parameter as
/// base64 of `{"offset":N}`. Decoding validates: a cursor is a non-negative offset of at most `maxOffset`, and
/// `page(limit:count:)` never adds past the item count, so no cursor or limit a client sends can overflow.
struct PageCursor: Equatable {
    /// Largest offset accepted: far beyond any real listing (repositories and snapshot entries are capped lower).
    static let maxOffset = 10_000_000
    /// Longest encoded cursor read.
    static let maxEncodedLength = 512

    /// Index of the first item of the page.
    let offset: Int

    /// The first page.
    static let first = PageCursor(validOffset: 0)

    /// A cursor at `offset`; nil when it is negative or above `maxOffset`.
    init?(offset: Int) {
        guard (0...Self.maxOffset).contains(offset) else { return nil }
        self.offset = offset
    }

    private init(validOffset: Int) { offset = validOffset }

    /// Reads a cursor from a (percent-decoded) query value; nil when it is not one of ours or is out of range.
    init?(encoded: String) {
        guard encoded.utf8.count < Self.maxEncodedLength, let data = Data(base64Encoded: encoded),
              case let .object(object)? = try? SafeJSON.decode(JSONValue.self, from: data),
              let offset = object["offset"]?.intValue else { return nil }
        self.init(offset: offset)
    }

    /// The cursor a request's `cursor` parameter names: the first page when absent, nil when invalid (a 400).
    static func from(query value: String?) -> PageCursor? {
        guard let value else { return .first }
        return PageCursor(encoded: value)
    }

    /// The cursor as a query value: base64, percent-encoded.
    var encoded: String {
        Data("{\"offset\":\(offset)}".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F")
            .replacingOccurrences(of: "=", with: "%3D")
    }

    /// The items of this page among `count`, `limit` per page, and the next page's cursor (nil on the last page).
    func page(limit: Int, count: Int) -> (range: Range<Int>, next: PageCursor?) {
        let count = max(0, count)
        let start = min(offset, count)
        // `count - start` bounds the step, so `start + step <= count`: no overflow even for `limit == Int.max`.
        let end = start + min(max(1, limit), count - start)
        return (start..<end, end < count ? PageCursor(offset: end) : nil)
    }
}
