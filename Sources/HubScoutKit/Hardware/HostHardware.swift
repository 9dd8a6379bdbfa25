import HubScoutCore

/// What a machine offers for running models: RAM (cgroup-aware) and each GPU separately.
public struct HostHardware: Sendable, Equatable, Codable {
    /// System memory.
    public var ram: RAMStatus
    /// GPUs, one entry per device; never summed.
    public var gpus: [GPUDevice]
    /// How each figure was obtained (files read, tools run, what was skipped), for `hubscout hardware`.
    public var notes: [String]

    /// Creates a hardware description.
    public init(ram: RAMStatus, gpus: [GPUDevice] = [], notes: [String] = []) {
        self.ram = ram; self.gpus = gpus; self.notes = notes
    }

    /// The memory view the fit planner uses: available RAM and each GPU's memory.
    public var hostMemory: HostMemory {
        HostMemory(ramTotalBytes: ram.limitBytes.map { min($0, ram.totalBytes) } ?? ram.totalBytes,
                   ramAvailableBytes: ram.availableBytes,
                   gpus: gpus.map { GPUMemory(index: $0.index, name: $0.name, memoryBytes: $0.memoryBytes, freeBytes: $0.freeBytes, unified: $0.unified) })
    }
}

/// System memory as a process sees it.
public struct RAMStatus: Sendable, Equatable, Codable {
    /// Physical RAM (`MemTotal`, `hw.memsize`).
    public var totalBytes: Int64
    /// Memory a new process can use now: `MemAvailable`, capped by the tightest cgroup's limit − usage.
    public var availableBytes: Int64
    /// The tightest cgroup memory limit, when one is set.
    public var limitBytes: Int64?

    /// Creates a RAM status.
    public init(totalBytes: Int64, availableBytes: Int64, limitBytes: Int64? = nil) {
        self.totalBytes = totalBytes; self.availableBytes = availableBytes; self.limitBytes = limitBytes
    }
}

/// A GPU maker.
public enum GPUVendor: String, Sendable, Codable, CaseIterable {
    /// NVIDIA (NVML / nvidia-smi).
    case nvidia
    /// AMD (amdgpu sysfs).
    case amd
    /// Apple silicon (unified memory).
    case apple
    /// Anything else, or an override.
    case other
}

/// One GPU.
public struct GPUDevice: Sendable, Equatable, Codable {
    /// Index as the driver numbers it (or the DRM card number for AMD).
    public var index: Int
    /// Product name.
    public var name: String
    /// Maker.
    public var vendor: GPUVendor
    /// Device memory; for unified memory, the GPU working-set cap.
    public var memoryBytes: Int64
    /// Free memory now, when known.
    public var freeBytes: Int64?
    /// True when the GPU shares system RAM.
    public var unified: Bool

    /// Creates a GPU entry.
    public init(index: Int, name: String, vendor: GPUVendor, memoryBytes: Int64, freeBytes: Int64? = nil, unified: Bool = false) {
        self.index = index; self.name = name; self.vendor = vendor; self.memoryBytes = memoryBytes
        self.freeBytes = freeBytes; self.unified = unified
    }
}
