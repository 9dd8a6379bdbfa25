import Foundation
import HubScoutCore
import HubScoutKit
import HubScoutTestSupport
import Testing

@Suite("Downloader concurrency: two downloaders on one blob")
struct DownloadConcurrencyTests {
    static let content = FixtureFile("weights.bin", generatedSize: 1_500_000, seed: 31, lfs: true)

    @Test("two downloaders fetching the same blob at once take turns through the lock; the second reuses it")
    func twoDownloadersOneBlob() async throws {
        let harness = try await DownloadHarness { cache in
            try cache.addRepo("acme/shared", commits: [[Self.content]])
        }
        try await harness.run {
            // Slow the first transfer so the second arrives while the lock is held.
            harness.faults.add(FaultRule(method: "GET", path: .prefix("/lfs/"), times: 1, action: .stall(afterBytes: 200_000, seconds: 1.5)))
            let options = DownloadHarness.options(connections: 1)
            let first = harness.downloader(options: options)
            let second = harness.downloader(options: options)
            let request = DownloadRequest(repo: try RepoID("acme/shared"))
            let log = harness.events
            async let a = first.download(request) { log.append($0) }
            async let b = second.download(request) { log.append($0) }
            let (resultA, resultB) = try await (a, b)
            let statuses = [resultA.files[0].status, resultB.files[0].status]
            #expect(statuses.filter { $0 == .downloaded }.count == 1)
            #expect(statuses.contains(.linked) || statuses.contains(.reused))
            #expect(harness.fileHostGets.count == 1)
            #expect(contents(resultA.snapshotPath + "/weights.bin") == Self.content.bytes())
            #expect(log.notices.contains { $0.contains("another download of this file is running") })
        }
    }
}
