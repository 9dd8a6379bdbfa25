/// Safety margins a fit keeps free, per device.
public struct FitPolicy: Sendable, Hashable, Codable {
    /// Bytes left free on each GPU (llama.cpp `--fit` keeps 1024 MiB, §2.5). Not applied when the engine
    /// already budgets a fraction of memory (vLLM's gpu_memory_utilization).
    public var gpuMarginBytes: Int64
    /// Bytes of RAM left free for the OS and other processes.
    public var ramMarginBytes: Int64

    /// Default margins: 1 GiB on each GPU and in RAM (memory-estimation.md §7.7).
    public init(gpuMarginBytes: Int64 = 1 << 30, ramMarginBytes: Int64 = 1 << 30) {
        self.gpuMarginBytes = gpuMarginBytes; self.ramMarginBytes = ramMarginBytes
    }

    /// No margins: compare raw sizes (what `search --fits 16GB` style filters usually mean).
    public static let none = FitPolicy(gpuMarginBytes: 0, ramMarginBytes: 0)
}
