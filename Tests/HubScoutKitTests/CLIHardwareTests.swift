import Foundation
import Testing

/// `hubscout hardware` as a user runs it: the built binary, pointed at fake /proc and /sys trees.
@Suite("hubscout hardware (CLI)")
struct CLIHardwareTests {
    static let GiB: Int64 = 1 << 30
    static let MiB: Int64 = 1 << 20

    static func int64(_ any: Any?) -> Int64? { (any as? NSNumber)?.int64Value }

    @Test("--json in a cgroup v2 container: RAM total, cgroup limit, available after usage, no GPUs")
    func cgroupContainerJSON() async throws {
        let run = try await CLIRunner.run(["hardware", "--json"],
                                          environment: ["HUBSCOUT_SYSROOT": try CLIRunner.sysroot("cgroup-v2-container")])
        #expect(run.status == 0, "\(run.stderr)")
        let root = try run.object()
        let hardware = root   // README: the `hardware` object's keys at the top level
        let ram = try #require(hardware["ram"] as? [String: Any])
        // MemTotal 65,849,348 kB; tightest limit pod1 8 GiB; 8 GiB − (3.5 GiB current − 1 GiB inactive_file) = 5.5 GiB.
        let total: Int64 = 65_849_348 * 1024, limit: Int64 = 8 * Self.GiB, available: Int64 = 5 * Self.GiB + Self.GiB / 2
        #expect(Self.int64(ram["totalBytes"]) == total)
        #expect(Self.int64(ram["limitBytes"]) == limit)
        #expect(Self.int64(ram["availableBytes"]) == available)
        #expect((hardware["gpus"] as? [Any])?.isEmpty == true)
        let notes = try #require(root["notes"] as? [String])
        #expect(notes.contains { $0.contains("kubepods/pod1/memory.max") })
    }

    @Test("--json with two NVIDIA GPUs from captured nvidia-smi output: one entry per device, never summed")
    func twoGPUsJSON() async throws {
        let root = try CLIRunner.sysroot("nvidia-2gpu")
        let run = try await CLIRunner.run(["hardware", "--json"],
                                          environment: ["HUBSCOUT_SYSROOT": root, "HUBSCOUT_NVIDIA_SMI": root + "/nvidia-smi.txt"])
        #expect(run.status == 0, "\(run.stderr)")
        let hardware = try run.object()
        let gpus = try #require(hardware["gpus"] as? [[String: Any]])
        #expect(gpus.count == 2)
        let memory: Int64 = 81_920 * Self.MiB
        for gpu in gpus {
            #expect(gpu["name"] as? String == "NVIDIA A100-SXM4-80GB")
            #expect(gpu["vendor"] as? String == "nvidia")
            #expect(Self.int64(gpu["memoryBytes"]) == memory)
        }
        let free: [Int64?] = gpus.map { Self.int64($0["freeBytes"]) }
        let expectedFree: [Int64?] = [80_603 * Self.MiB, 1_221 * Self.MiB]
        #expect(free == expectedFree)
        let ram = try #require(hardware["ram"] as? [String: Any])
        #expect(ram["limitBytes"] == nil)   // no cgroup files in this tree: the key is left out
    }

    @Test("--gpu and --ram overrides: decimal and binary units are read as written and explained")
    func overrides() async throws {
        let env = ["HUBSCOUT_SYSROOT": try CLIRunner.sysroot("cgroup-v2-container")]
        let run = try await CLIRunner.run(["hardware", "--json", "--gpu", "24GB,24GiB", "--ram", "64G"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let root = try run.object()
        let hardware = root
        let gpus = try #require(hardware["gpus"] as? [[String: Any]])
        let sizes: [Int64?] = gpus.map { Self.int64($0["memoryBytes"]) }
        let expectedSizes: [Int64?] = [24_000_000_000, 24 * Self.GiB]
        #expect(sizes == expectedSizes)
        let ram = try #require(hardware["ram"] as? [String: Any])
        let ramBytes: Int64 = 64 * Self.GiB
        #expect(Self.int64(ram["totalBytes"]) == ramBytes)
        #expect(Self.int64(ram["availableBytes"]) == ramBytes)
        #expect(ram["limitBytes"] == nil)
        let overrides = try #require(root["overrides"] as? [String])
        // 24e9 / 2^30 = 22.352 GiB; 24 GiB = 25.770e9 B.
        #expect(overrides.contains("GPU 0: 24 GB = 22.35 GiB (decimal)"))
        #expect(overrides.contains("GPU 1: 24 GiB = 24.00 GiB = 25.77 GB (binary)"))

        let human = try await CLIRunner.run(["hardware", "--gpu", "24GB"], environment: env)
        #expect(human.status == 0)
        #expect(human.stdout.contains("24 GB = 22.35 GiB"))
        #expect(human.stdout.contains("never summed"))
        #expect(human.stdout.contains("limit       8.0 GiB (cgroup)"))
    }

    @Test("--json has README's shape: {ram, gpus, notes, overrides}, the same ram and gpus objects as fit --json's hardware")
    func jsonShape() async throws {
        let root = try CLIRunner.sysroot("nvidia-2gpu")
        let run = try await CLIRunner.run(["hardware", "--json", "--ram", "64GB"],
                                          environment: ["HUBSCOUT_SYSROOT": root, "HUBSCOUT_NVIDIA_SMI": root + "/nvidia-smi.txt"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try run.object()
        #expect(Set(object.keys) == ["ram", "gpus", "notes", "overrides"])
        let ram = try #require(object["ram"] as? [String: Any])
        #expect(Set(ram.keys) == ["totalBytes", "availableBytes"])   // limitBytes? only under a cgroup limit
        let gpus = try #require(object["gpus"] as? [[String: Any]])
        for gpu in gpus { #expect(Set(gpu.keys) == ["index", "name", "vendor", "memoryBytes", "freeBytes", "unified"]) }
        #expect((object["notes"] as? [String])?.isEmpty == false)
        #expect(object["overrides"] as? [String] == ["RAM: 64 GB = 59.60 GiB (decimal)"])

        // README documents exactly these keys for `hardware --json` (line breaks aside).
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized, encoding: .utf8).replacingOccurrences(of: "\n", with: " ")
        #expect(readme.contains("`hardware --json` prints the `hardware` object's keys with two more, `{ram, gpus, notes, overrides}`"))
        #expect(readme.contains("each GPU is `{index, name, vendor, memoryBytes, freeBytes?, unified}`"))
    }

    @Test("an unreadable size is a usage error naming the option")
    func badSize() async throws {
        let run = try await CLIRunner.run(["hardware", "--gpu", "lots"], environment: ["HUBSCOUT_SYSROOT": try CLIRunner.sysroot("cgroup-v2-container")])
        #expect(run.status == 64)   // ArgumentParser's usage-error status
        #expect(run.stderr.contains("--gpu \"lots\" is not a size"))
        #expect(run.stdout.isEmpty)
    }
}
