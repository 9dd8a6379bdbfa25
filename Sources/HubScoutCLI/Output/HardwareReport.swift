import HubScoutCore
import HubScoutKit

/// What `hubscout hardware` prints: RAM, each GPU, overrides and where every figure came from.
/// As JSON: the `hardware` object of `fit --json` (`ram`, `gpus`) with `notes` and `overrides` beside its keys,
/// `{ram, gpus, notes, overrides}`, as README ("JSON output") shows.
struct HardwareReport: Encodable {
    var hardware: HardwareJSON
    /// How the figures were found.
    var notes: [String]
    /// How each override was read (`24 GB = 22.35 GiB (decimal)`).
    var overrides: [String]

    init(_ h: HostHardware, override: HardwareOverride) {
        hardware = HardwareJSON(h)
        notes = h.notes
        overrides = override.explanations
        source = h
    }

    private let source: HostHardware
    private enum CodingKeys: String, CodingKey { case notes, overrides }

    func encode(to encoder: any Encoder) throws {
        // The hardware object's own keys at the top level, so `.ram` and `.gpus` read the same as in `fit --json`'s `.hardware`.
        try hardware.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(notes, forKey: .notes)
        try c.encode(overrides, forKey: .overrides)
    }

    /// Human text (sizes in GiB = 2^30 bytes).
    func render() -> String {
        var lines: [String] = ["RAM (GiB = 2^30 bytes)"]
        let ram = source.ram
        lines.append("  total       \(ByteCount.format(ram.totalBytes))")
        lines.append("  available   \(ByteCount.format(ram.availableBytes))")
        lines.append("  limit       " + (ram.limitBytes.map { "\(ByteCount.format($0)) (cgroup)" } ?? "none"))
        lines.append("")
        if source.gpus.isEmpty {
            lines.append("GPUs: none detected")
        } else {
            lines.append("GPUs (one row per device; memory is never summed across devices)")
            var table = Table(headers: ["#", "NAME", "VENDOR", "MEMORY", "FREE", "KIND"], rightAligned: [0, 3, 4])
            for g in source.gpus {
                table.rows.append([String(g.index), g.name, g.vendor.rawValue, ByteCount.format(g.memoryBytes),
                                   g.freeBytes.map(ByteCount.format) ?? "—", g.unified ? "unified with RAM" : "discrete"])
            }
            lines += table.render(width: Terminal.tableWidth.map { $0 - 2 }).split(separator: "\n").map { "  " + $0 }
        }
        if !overrides.isEmpty {
            lines.append("")
            lines.append("Overrides")
            lines += overrides.map { "  " + $0 }
        }
        if !notes.isEmpty {
            lines.append("")
            lines.append("Where the figures come from")
            lines += notes.map { "  - " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// One line for other commands: `RAM 62.8 GiB, 50.0 GiB available; GPU 0 NVIDIA H100 (79.2 GiB, 78.6 GiB free)`.
    static func oneLine(_ h: HostHardware) -> String {
        var ram = "RAM \(ByteCount.format(h.ram.totalBytes)), \(ByteCount.format(h.ram.availableBytes)) available"
        if let limit = h.ram.limitBytes { ram += " (cgroup limit \(ByteCount.format(limit)))" }
        let gpus = h.gpus.map { g in
            "GPU \(g.index) \(g.name) (\(ByteCount.format(g.memoryBytes))" + (g.freeBytes.map { ", \(ByteCount.format($0)) free" } ?? "") + ")"
        }
        return ([ram] + (gpus.isEmpty ? ["no GPU"] : gpus)).joined(separator: "; ")
    }
}
