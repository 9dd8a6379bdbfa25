import Foundation
import HubScoutCore

/// `--gpu 24GB --ram 64GB` style overrides: sizes replace what detection found, and say how they were read.
public struct HardwareOverride: Sendable, Equatable {
    /// GPU sizes, one per GPU (`--gpu 24GB,24GB` lists two).
    public var gpus: [ByteCount.ParsedSize]?
    /// RAM size.
    public var ram: ByteCount.ParsedSize?

    /// Parses the option texts; nil options leave detection alone.
    /// - Throws: `HardwareError.invalidSize` when a size cannot be read.
    public init(gpu: String? = nil, ram: String? = nil) throws {
        if let gpu {
            let parts = gpu.split(separator: ",").prefix(64).map(String.init)
            self.gpus = try parts.map { part in
                guard let s = ByteCount.parse(part), s.bytes > 0 else { throw HardwareError.invalidSize(option: "--gpu", text: part) }
                return s
            }
            if self.gpus?.isEmpty == true { throw HardwareError.invalidSize(option: "--gpu", text: gpu) }
        }
        if let ram {
            guard let s = ByteCount.parse(ram), s.bytes > 0 else { throw HardwareError.invalidSize(option: "--ram", text: ram) }
            self.ram = s
        }
    }

    /// `24 GB = 22.35 GiB` (decimal input) or `24 GiB = 25.77 GB` (binary input): which unit was understood.
    public static func explain(_ size: ByteCount.ParsedSize) -> String {
        let gib = Double(size.bytes) / Double(1 << 30), gb = Double(size.bytes) / 1e9
        let f = { (x: Double) in String(format: "%.2f", x) }
        let number = size.text.prefix { $0.isNumber || $0 == "." }
        let unit = size.text.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        return size.isBinary ? "\(number) \(unit.isEmpty ? "B" : unit) = \(f(gib)) GiB = \(f(gb)) GB (binary)"
                             : "\(number) \(unit.isEmpty ? "B" : unit) = \(f(gib)) GiB (decimal)"
    }

    /// One line per override, for printing.
    public var explanations: [String] {
        (gpus ?? []).enumerated().map { "GPU \($0.offset): \(Self.explain($0.element))" } + (ram.map { ["RAM: \(Self.explain($0))"] } ?? [])
    }

    /// Applies the overrides: GPU sizes replace the detected GPUs (all free, discrete);
    /// a RAM size sets total and available and drops the cgroup limit.
    public func apply(to hardware: HostHardware) -> HostHardware {
        var h = hardware
        if let gpus {
            h.gpus = gpus.enumerated().map { GPUDevice(index: $0.offset, name: "override \($0.element.text)", vendor: .other, memoryBytes: $0.element.bytes) }
            h.notes.append("GPUs overridden: " + gpus.map(Self.explain).joined(separator: "; ") + ".")
        }
        if let ram {
            h.ram = RAMStatus(totalBytes: ram.bytes, availableBytes: ram.bytes, limitBytes: nil)
            h.notes.append("RAM overridden: \(Self.explain(ram)).")
        }
        return h
    }
}
