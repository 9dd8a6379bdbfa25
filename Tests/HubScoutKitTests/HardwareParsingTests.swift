import Foundation
import HubScoutCore
import Testing
@testable import HubScoutKit

@Suite("Hardware text parsers")
struct HardwareParsingTests {
    @Test("nvidia-smi CSV with units, N/A free memory and junk lines")
    func nvidiaSMIVariants() {
        let text = """
        0, NVIDIA A100-SXM4-80GB, 81920 MiB, 1221 MiB
        1, NVIDIA H100 80GB HBM3, 81559, [N/A]
        garbage line
        2, , notanumber, 5
        """
        let gpus = NvidiaSMIOutput.parse(text)
        #expect(gpus.count == 2)
        #expect(gpus[0].freeBytes == Int64(1221 * 1024 * 1024))
        #expect(gpus[1].name == "NVIDIA H100 80GB HBM3")
        #expect(gpus[1].memoryBytes == 81_559 * 1024 * 1024)
        #expect(gpus[1].freeBytes == nil)
    }

    @Test("nvidia-smi output of hostile size is bounded")
    func nvidiaSMIHostile() {
        let line = "0, X, 1024, 512\n"
        #expect(NvidiaSMIOutput.parse(String(repeating: line, count: 10_000)).count == 256)
        #expect(NvidiaSMIOutput.parse("0, X, 99999999999999999999, 1").isEmpty)
    }

    @Test("meminfo without MemAvailable falls back to free + buffers + cached")
    func memInfoFallback() throws {
        let info = try #require(MemInfo.parse("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\n"))
        #expect(info.totalBytes == 1_024_000)
        #expect(info.availableBytes == 350 * 1024)
        #expect(MemInfo.parse("nothing here") == nil)
    }

    @Test("cgroup limit files: max and v1 unlimited are no limit")
    func limits() {
        #expect(CgroupMemory.parseLimit("max\n") == nil)
        #expect(CgroupMemory.parseLimit("9223372036854771712") == nil)
        #expect(CgroupMemory.parseLimit("8589934592\n") == 8_589_934_592)
        #expect(CgroupMemory.parseLimit("-1") == nil)
    }

    @Test("/proc/self/cgroup: v2 and v1 memory paths")
    func procCgroup() {
        let p = CgroupMemory.parseProcCgroup("12:pids:/a\n8:memory:/docker/x\n0::/user.slice\n")
        #expect(p.v2 == "/user.slice")
        #expect(p.v1Memory == "/docker/x")
    }

    @Test("A cgroup path cannot climb out of its mount with ..")
    func noEscape() {
        let dir = CgroupMemory.directory(mount: (root: "/", point: "/sys/fs/cgroup"), cgroupPath: "/../../etc")
        #expect(dir == "/sys/fs/cgroup/etc")
    }

    @Test("Apple working-set cap: 2/3 up to 36 GiB, 3/4 above (64 GB → 48 GiB ≈ 51.5 GB)")
    func appleCap() {
        let GiB: Int64 = 1 << 30
        #expect(AppleMemoryProbe.workingSetCap(ramBytes: 16 * GiB) == 16 * GiB / 3 * 2)
        #expect(AppleMemoryProbe.workingSetCap(ramBytes: 64 * GiB) == 48 * GiB)
    }
}
