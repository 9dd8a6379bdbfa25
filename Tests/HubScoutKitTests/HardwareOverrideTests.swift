import Foundation
import HubScoutCore
import Testing
@testable import HubScoutKit

@Suite("--gpu / --ram overrides")
struct HardwareOverrideTests {
    static let detected = HostHardware(
        ram: RAMStatus(totalBytes: 32 << 30, availableBytes: 20 << 30, limitBytes: 24 << 30),
        gpus: [GPUDevice(index: 0, name: "NVIDIA GeForce RTX 3090", vendor: .nvidia, memoryBytes: 24_576 << 20, freeBytes: 24_000 << 20)])

    @Test("Decimal GB is explained in GiB")
    func decimal() throws {
        let o = try HardwareOverride(gpu: "24GB", ram: "64GB")
        let gpu = try #require(o.gpus?.first)
        #expect(gpu.bytes == 24_000_000_000)
        #expect(HardwareOverride.explain(gpu) == "24 GB = 22.35 GiB (decimal)")
        let h = o.apply(to: Self.detected)
        #expect(h.gpus.count == 1)
        #expect(h.gpus[0].memoryBytes == 24_000_000_000)
        #expect(h.gpus[0].freeBytes == nil)
        #expect(h.ram.totalBytes == 64_000_000_000 && h.ram.availableBytes == 64_000_000_000 && h.ram.limitBytes == nil)
        #expect(h.notes.contains { $0.contains("24 GB = 22.35 GiB") })
    }

    @Test("Binary GiB and bare G are read as binary and say so")
    func binary() throws {
        let o = try HardwareOverride(gpu: "24GiB,16G")
        let gpus = try #require(o.gpus)
        #expect(gpus.map(\.bytes) == [24 << 30, 16 << 30])
        #expect(HardwareOverride.explain(gpus[0]) == "24 GiB = 24.00 GiB = 25.77 GB (binary)")
        let h = o.apply(to: Self.detected)
        #expect(h.gpus.map(\.index) == [0, 1])
        #expect(h.ram == Self.detected.ram)
    }

    @Test("Unreadable sizes are rejected with a sentence naming the option")
    func invalid() {
        #expect(throws: HardwareError.invalidSize(option: "--gpu", text: "lots")) { try HardwareOverride(gpu: "lots") }
        #expect(throws: HardwareError.self) { try HardwareOverride(ram: "0GB") }
        #expect(HardwareError.invalidSize(option: "--ram", text: "x").description.contains("--ram"))
    }
}
