import Foundation
import HubScoutNetwork

/// A paginated Hub listing as an `AsyncSequence` of items: each page's `Link: rel="next"` URL is
/// fetched only when the previous page is used up; iteration stops at `limit` items or the last page.
public struct HubPages<Element: Decodable & Sendable>: AsyncSequence, Sendable {
    let client: HubClient
    let firstURL: String
    let limit: Int?
    let repo: String?
    let revision: String?

    public func makeAsyncIterator() -> Iterator {
        Iterator(client: client, nextURL: firstURL, remaining: limit, repo: repo, revision: revision)
    }

    /// Iterates pages lazily.
    public struct Iterator: AsyncIteratorProtocol {
        let client: HubClient
        var nextURL: String?
        var remaining: Int?
        let repo: String?
        let revision: String?
        var buffer: [Element] = []
        var index = 0
        /// Pages fetched so far.
        public private(set) var pagesFetched = 0

        public mutating func next() async throws -> Element? {
            if let remaining, remaining <= 0 { return nil }
            while index >= buffer.count {
                guard let url = nextURL else { return nil }
                let page = try await client.fetchPage(url: url, as: Element.self, repo: repo, revision: revision, isFirst: pagesFetched == 0)
                pagesFetched += 1
                buffer = page.items
                index = 0
                // A next link that repeats the current URL would loop forever.
                nextURL = page.next == url ? nil : page.next
            }
            defer { index += 1 }
            if remaining != nil { remaining! -= 1 }
            return buffer[index]
        }
    }
}

/// One decoded page and the link to the next.
package struct HubPage<Element: Decodable & Sendable>: Sendable {
    package var items: [Element]
    package var next: String?
}
