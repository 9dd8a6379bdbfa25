import Foundation
import HubScoutKit
import HubScoutTestSupport
import Testing

/// `HF_HUB_DOWNLOAD_TIMEOUT` sets how long a transfer may go without a byte, as in huggingface_hub.
@Suite("Stall timeout from HF_HUB_DOWNLOAD_TIMEOUT")
struct StallTimeoutTests {
    @Test("the variable is read as positive seconds, rounded up; anything else keeps the default of 30")
    func parsing() {
        func timeout(_ value: String?) -> Int {
            HubEnvironment(variables: ["HOME": "/nonexistent"].merging(value.map { ["HF_HUB_DOWNLOAD_TIMEOUT": $0] } ?? [:]) { $1 }).stallTimeout
        }
        #expect(timeout(nil) == 30)
        #expect(timeout("10") == 10)
        #expect(timeout(" 2.5 ") == 3)
        for bad in ["0", "-4", "ten", "", "inf", "nan"] { #expect(timeout(bad) == 30, "\(bad)") }
        #expect(timeout("1e12") == 86_400)
    }

    @Test("a command's requests give up after HF_HUB_DOWNLOAD_TIMEOUT seconds of silence and say so")
    func appliedByTheCommand() async throws {
        let faults = FaultInjector()
        // The model info answers its headers, then nothing for far longer than the 2 s the command is given.
        faults.add(FaultRule(method: "GET", path: .prefix("/api/models/"), times: .max, action: .stall(afterBytes: 0, seconds: 120)))
        try await TestHubServer.withPopulation(faults: faults) { server, _ in
            let run = try await CLIRunner.run(["info", FixturePopulation.filesRepoID],
                                              environment: ["HF_ENDPOINT": server.apiURL, "HF_HUB_DOWNLOAD_TIMEOUT": "2", "HUBSCOUT_NO_CATALOG": "1"])
            #expect(run.status != 0)
            #expect(!run.timedOut)
            #expect(run.stderr.contains("for 2 s"), "\(run.stderr)")
        }
    }
}
