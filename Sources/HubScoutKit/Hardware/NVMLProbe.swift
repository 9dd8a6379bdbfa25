#if os(Linux)
import Glibc

/// NVIDIA GPUs through NVML, loaded at run time with `dlopen` so the build needs no NVIDIA package.
enum NVMLProbe {
    typealias VoidFn = @convention(c) () -> Int32
    typealias CountFn = @convention(c) (UnsafeMutablePointer<UInt32>) -> Int32
    typealias HandleFn = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias NameFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>, UInt32) -> Int32
    /// `nvmlDeviceGetMemoryInfo(device, nvmlMemory_t*)` where nvmlMemory_t is `{ u64 total, free, used }`.
    typealias MemoryFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>) -> Int32

    /// NVML_SUCCESS.
    static let success: Int32 = 0

    /// The devices NVML reports, or nil when the library is missing or fails to initialise.
    static func devices() -> [GPUDevice]? {
        guard let lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL) else { return nil }
        defer { dlclose(lib) }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let p = dlsym(lib, name) else { return nil }
            return unsafeBitCast(p, to: type)
        }
        guard let initialise = symbol("nvmlInit_v2", as: VoidFn.self),
              let shutdown = symbol("nvmlShutdown", as: VoidFn.self),
              let count = symbol("nvmlDeviceGetCount_v2", as: CountFn.self),
              let handle = symbol("nvmlDeviceGetHandleByIndex_v2", as: HandleFn.self),
              let getName = symbol("nvmlDeviceGetName", as: NameFn.self),
              let getMemory = symbol("nvmlDeviceGetMemoryInfo", as: MemoryFn.self),
              initialise() == success
        else { return nil }
        defer { _ = shutdown() }

        var n: UInt32 = 0
        guard count(&n) == success else { return nil }
        var gpus: [GPUDevice] = []
        for i in 0..<min(n, 256) {
            var device: OpaquePointer?
            guard handle(i, &device) == success else { continue }
            var nameBuffer = [CChar](repeating: 0, count: 96)   // NVML_DEVICE_NAME_V2_BUFFER_SIZE
            let name = getName(device, &nameBuffer, UInt32(nameBuffer.count)) == success
                ? String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "NVIDIA GPU \(i)"
            var memory = [UInt64](repeating: 0, count: 3)
            guard getMemory(device, &memory) == success, memory[0] > 0, memory[0] < UInt64(Int64.max) else { continue }
            gpus.append(GPUDevice(index: Int(i), name: name, vendor: .nvidia, memoryBytes: Int64(memory[0]),
                                  freeBytes: Int64(min(memory[1], memory[0])), unified: false))
        }
        return gpus
    }
}
#endif
