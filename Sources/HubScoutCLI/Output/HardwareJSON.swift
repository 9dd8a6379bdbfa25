import HubScoutCore
import HubScoutKit

/// `{ram: {totalBytes, availableBytes, limitBytes?}, gpus: [{index, name, vendor, memoryBytes, freeBytes?, unified}]}`:
/// `fit --json`'s `hardware`, and the top level of `hardware --json`.
struct HardwareJSON: Encodable {
    struct RAM: Encodable {
        var totalBytes: Int64
        var availableBytes: Int64
        var limitBytes: Int64?
    }

    struct GPU: Encodable {
        var index: Int
        var name: String
        var vendor: String
        var memoryBytes: Int64
        var freeBytes: Int64?
        var unified: Bool
    }

    var ram: RAM
    var gpus: [GPU]

    init(_ h: HostHardware) {
        ram = RAM(totalBytes: h.ram.totalBytes, availableBytes: h.ram.availableBytes, limitBytes: h.ram.limitBytes)
        gpus = h.gpus.map { GPU(index: $0.index, name: $0.name, vendor: $0.vendor.rawValue, memoryBytes: $0.memoryBytes,
                                freeBytes: $0.freeBytes, unified: $0.unified) }
    }
}
