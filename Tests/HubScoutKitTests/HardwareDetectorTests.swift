import Foundation
import HubScoutCore
import Testing
@testable import HubScoutKit

/// Detection against fake /proc and /sys trees under Fixtures/sysroots.
@Suite("Hardware detection from sysroots")
struct HardwareDetectorTests {
    static let GiB: Int64 = 1 << 30

    static func sysroot(_ name: String) throws -> String {
        let base = try #require(Bundle.module.resourceURL)
        let url = base.appendingPathComponent("Fixtures/sysroots/\(name)")
        #expect(FileManager.default.fileExists(atPath: url.path))
        return url.path
    }

    /// A detector that sees only the fixture: no NVML, no real nvidia-smi.
    static func detect(_ name: String, nvidiaSMI: String? = nil) throws -> HostHardware {
        HardwareDetector(sysroot: try sysroot(name), nvidiaSMI: nvidiaSMI, environment: [:]).detectBlocking()
    }

    @Test("cgroup v2 container: the tightest limit on the way up wins, page cache is not counted as used")
    func cgroupV2() throws {
        let h = try Self.detect("cgroup-v2-container")
        // MemTotal 65,849,348 kB; MemAvailable 52,428,800 kB = 50 GiB
        #expect(h.ram.totalBytes == 65_849_348 * 1024)
        // ctr: memory.max "max" (no limit); pod1: 8 GiB; kubepods: 16 GiB → limit 8 GiB
        #expect(h.ram.limitBytes == 8 * Self.GiB)
        // pod1: 8 GiB − (current 3.5 GiB − inactive_file 1 GiB) = 5.5 GiB; kubepods: 16 − 4 = 12 GiB → 5.5 GiB < 50 GiB
        #expect(h.ram.availableBytes == 5 * Self.GiB + Self.GiB / 2)
        #expect(h.gpus.isEmpty)
        #expect(h.notes.contains { $0.contains("kubepods/pod1/memory.max") })
        // The fit planner sees the container's limit, not the host's 62.8 GiB.
        #expect(h.hostMemory.ramTotalBytes == 8 * Self.GiB)
        #expect(h.hostMemory.ramAvailableBytes == 5 * Self.GiB + Self.GiB / 2)
    }

    @Test("cgroup v2 with a cgroup namespace: the limit sits at the mount root")
    func cgroupV2Namespaced() throws {
        let h = try Self.detect("cgroup-v2-namespaced")
        #expect(h.ram.limitBytes == 4 * Self.GiB)
        #expect(h.ram.availableBytes == 3 * Self.GiB)     // 4 GiB − 1 GiB current
    }

    @Test("cgroup v1 container: memory.limit_in_bytes − (usage − total_inactive_file)")
    func cgroupV1() throws {
        let h = try Self.detect("cgroup-v1-container")
        #expect(h.ram.totalBytes == 32_858_496 * 1024)
        #expect(h.ram.limitBytes == 2 * Self.GiB)
        // 2 GiB − (1 GiB − 256 MiB) = 1.25 GiB, below MemAvailable (27 GiB)
        #expect(h.ram.availableBytes == Self.GiB + Self.GiB / 4)
    }

    @Test("cgroup v1 'unlimited' (9223372036854771712) is no limit")
    func cgroupV1Unlimited() throws {
        let h = try Self.detect("cgroup-v1-unlimited")
        #expect(h.ram.limitBytes == nil)
        #expect(h.ram.totalBytes == 24_684_100 * 1024)
        #expect(h.ram.availableBytes == 24_379_284 * 1024)
        #expect(h.notes.contains { $0.contains("No cgroup memory limit") })
    }

    @Test("Two NVIDIA GPUs from captured nvidia-smi output are listed separately")
    func twoNvidiaGPUsFromFile() throws {
        let root = try Self.sysroot("nvidia-2gpu")
        let h = try Self.detect("nvidia-2gpu", nvidiaSMI: root + "/nvidia-smi.txt")
        #expect(h.gpus.count == 2)
        #expect(h.gpus.map(\.index) == [0, 1])
        #expect(h.gpus.allSatisfy { $0.vendor == .nvidia && $0.name == "NVIDIA A100-SXM4-80GB" && !$0.unified })
        #expect(h.gpus[0].memoryBytes == 81_920 * 1024 * 1024)
        #expect(h.gpus[0].freeBytes == Int64(80_603 * 1024 * 1024))
        #expect(h.gpus[1].freeBytes == Int64(1_221 * 1024 * 1024))
        #expect(h.hostMemory.gpus.count == 2)
    }

    @Test("A fake nvidia-smi executable is run with the query arguments")
    func fakeNvidiaSMIScript() throws {
        let root = try Self.sysroot("nvidia-2gpu")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubscout-smi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("nvidia-smi")
        // Answers only the exact query the detector must send.
        try """
        #!/bin/sh
        [ "$1" = "--query-gpu=index,name,memory.total,memory.free" ] && [ "$2" = "--format=csv,noheader,nounits" ] || exit 3
        cat '\(root)/nvidia-smi.txt'
        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let h = try Self.detect("nvidia-2gpu", nvidiaSMI: script.path)
        #expect(h.gpus.count == 2)
        #expect(h.notes.contains { $0.contains("NVIDIA GPUs from \(script.path)") })
    }

    @Test("AMD card from sysfs; connectors and non-AMD cards are ignored")
    func amd() throws {
        let h = try Self.detect("amd-card")
        #expect(h.gpus.count == 1)
        let gpu = try #require(h.gpus.first)
        #expect(gpu.vendor == .amd)
        #expect(gpu.name == "AMD Radeon RX 7900 XTX")
        #expect(gpu.memoryBytes == 25_753_026_560)
        #expect(gpu.freeBytes == Int64(25_753_026_560 - 1_610_612_736))
    }

    @Test("The environment variables select the sysroot and nvidia-smi output")
    func environment() throws {
        let root = try Self.sysroot("nvidia-2gpu")
        let d = HardwareDetector(environment: ["HUBSCOUT_SYSROOT": root, "HUBSCOUT_NVIDIA_SMI": root + "/nvidia-smi.txt"])
        #expect(d.sysroot == root)
        let h = d.detectBlocking()
        #expect(h.gpus.count == 2)
        #expect(h.ram.totalBytes == 32_858_496 * 1024)
    }

    @Test("The async entry point returns the same result")
    func asyncDetect() async throws {
        let d = HardwareDetector(sysroot: try Self.sysroot("cgroup-v1-container"), environment: [:])
        let h = await d.detect()
        #expect(h == d.detectBlocking())
    }
}
