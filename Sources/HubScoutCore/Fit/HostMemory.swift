/// The memory a host offers to a model: RAM plus each GPU, listed separately (never summed silently).
public struct HostMemory: Sendable, Equatable, Codable {
    /// Physical RAM (or the cgroup limit when tighter).
    public var ramTotalBytes: Int64
    /// RAM available to a new process now (MemAvailable, capped by cgroup limit − usage).
    public var ramAvailableBytes: Int64
    /// GPUs, one entry per device.
    public var gpus: [GPUMemory]

    /// Creates a host description.
    public init(ramTotalBytes: Int64, ramAvailableBytes: Int64, gpus: [GPUMemory] = []) {
        self.ramTotalBytes = ramTotalBytes; self.ramAvailableBytes = ramAvailableBytes; self.gpus = gpus
    }
}

/// One GPU's memory.
public struct GPUMemory: Sendable, Equatable, Codable {
    /// Device index as the driver numbers it.
    public var index: Int
    /// Marketing name (`NVIDIA GeForce RTX 4090`).
    public var name: String
    /// Total device memory; for unified memory, the GPU working-set cap.
    public var memoryBytes: Int64
    /// Free device memory now, when the driver reports it.
    public var freeBytes: Int64?
    /// True when the GPU shares system RAM (Apple silicon, APUs): offloading to RAM adds no capacity.
    public var unified: Bool

    /// Creates a GPU entry.
    public init(index: Int, name: String, memoryBytes: Int64, freeBytes: Int64? = nil, unified: Bool = false) {
        self.index = index; self.name = name; self.memoryBytes = memoryBytes; self.freeBytes = freeBytes; self.unified = unified
    }
}
