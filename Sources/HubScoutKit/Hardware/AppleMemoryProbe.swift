/// Apple silicon GPUs share RAM; Metal lets a process keep only part of it resident on the GPU.
enum AppleMemoryProbe {
    /// The GPU working-set cap when Metal cannot be asked: 2/3 of RAM up to 36 GiB, 3/4 above.
    /// 64 GB → 48 GiB = 51.5 GB, matching the 51 GB LM Studio users see on a 64 GB M1 Max (memory-estimation.md §5);
    /// the 36 GiB threshold is a rule of thumb (unverified).
    static func workingSetCap(ramBytes: Int64) -> Int64 {
        ramBytes <= 36 * (1 << 30) ? ramBytes / 3 * 2 : ramBytes / 4 * 3
    }
}

#if os(macOS)
import Darwin
#if canImport(Metal)
import Metal
#endif

extension AppleMemoryProbe {
    /// `hw.memsize`.
    static func totalRAM() -> Int64? {
        var size: UInt64 = 0
        var len = MemoryLayout<UInt64>.size
        guard sysctlbyname("hw.memsize", &size, &len, nil, 0) == 0, size > 0, size < UInt64(Int64.max) else { return nil }
        return Int64(size)
    }

    /// Free + inactive + purgeable pages: what the OS can hand out without swapping.
    static func availableRAM() -> Int64? {
        var stats = vm_statistics64()
        var count = mach_msg_type_number_t(MemoryLayout<vm_statistics64_data_t>.stride / MemoryLayout<integer_t>.stride)
        let host = mach_host_self()
        let kr = withUnsafeMutablePointer(to: &stats) {
            $0.withMemoryRebound(to: integer_t.self, capacity: Int(count)) { host_statistics64(host, HOST_VM_INFO64, $0, &count) }
        }
        var pageSize: vm_size_t = 0
        guard kr == KERN_SUCCESS, host_page_size(host, &pageSize) == KERN_SUCCESS else { return nil }
        let pages = Int64(stats.free_count) + Int64(stats.inactive_count) + Int64(stats.purgeable_count)
        return pages * Int64(pageSize)
    }

    /// The chip name (`Apple M2 Pro`) from `machdep.cpu.brand_string`.
    static func chipName() -> String {
        var len = 0
        guard sysctlbyname("machdep.cpu.brand_string", nil, &len, nil, 0) == 0, len > 0, len < 256 else { return "Apple GPU" }
        var buffer = [CChar](repeating: 0, count: len)
        guard sysctlbyname("machdep.cpu.brand_string", &buffer, &len, nil, 0) == 0 else { return "Apple GPU" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The unified GPU on Apple silicon, capped at Metal's recommended working set.
    static func gpu(ramBytes: Int64) -> (GPUDevice, String)? {
        #if arch(arm64)
        var cap = workingSetCap(ramBytes: ramBytes)
        var how = "GPU cap = 2/3 (≤ 36 GiB RAM) or 3/4 of RAM (rule of thumb)"
        #if canImport(Metal)
        if let device = MTLCreateSystemDefaultDevice(), device.recommendedMaxWorkingSetSize > 0,
           device.recommendedMaxWorkingSetSize < UInt64(Int64.max) {
            cap = Int64(device.recommendedMaxWorkingSetSize)
            how = "GPU cap = Metal recommendedMaxWorkingSetSize"
        }
        #endif
        return (GPUDevice(index: 0, name: chipName(), vendor: .apple, memoryBytes: cap, freeBytes: nil, unified: true), how)
        #else
        return nil
        #endif
    }
}
#endif
