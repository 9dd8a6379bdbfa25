import Foundation
import HubScoutCore
import Testing
@testable import HubScoutKit

@Suite("Hardware detection on this machine")
struct HardwareThisMachineTests {
    @Test("Real detection agrees with /proc/meminfo and the cgroup files read directly")
    func realMachine() async throws {
        let h = await HardwareDetector(environment: [:]).detect()
        #expect(h.ram.totalBytes > 0)
        #expect(h.ram.availableBytes > 0 && h.ram.availableBytes <= h.ram.totalBytes)
        #if os(Linux)
        let meminfo = try #require(MemInfo.parse(try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)))
        #expect(h.ram.totalBytes == meminfo.totalBytes)
        // A v2 limit at the root of a namespaced container, when there is one, must be reported.
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8), let limit = CgroupMemory.parseLimit(text),
           (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8))?.contains("0::/\n") == true {
            #expect(h.ram.limitBytes.map { $0 <= limit } == true)
        }
        #endif
    }
}
