import Foundation
import HubScoutCore

/// Detects RAM (cgroup-aware) and GPUs. Every /proc and /sys read can be redirected under a fake root,
/// and nvidia-smi can be replaced by a script or a file of captured output, so detection is testable.
public struct HardwareDetector: Sendable {
    /// Root prepended to /proc and /sys paths (`HUBSCOUT_SYSROOT`); nil = the real file system.
    public var sysroot: String?
    /// nvidia-smi to run, or a file holding its captured output (`HUBSCOUT_NVIDIA_SMI`); nil = look in PATH.
    public var nvidiaSMI: String?
    /// PATH used to find nvidia-smi.
    public var searchPath: String

    /// Environment variable naming a fake root for /proc and /sys.
    public static let sysrootVariable = "HUBSCOUT_SYSROOT"
    /// Environment variable naming a fake nvidia-smi (executable) or its captured output (plain file).
    public static let nvidiaSMIVariable = "HUBSCOUT_NVIDIA_SMI"

    /// Creates a detector; explicit parameters win over the environment.
    public init(sysroot: String? = nil, nvidiaSMI: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.sysroot = sysroot ?? environment[Self.sysrootVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.nvidiaSMI = nvidiaSMI ?? environment[Self.nvidiaSMIVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.searchPath = environment["PATH"] ?? "/usr/bin:/bin"
    }

    /// Detects the host's hardware. Blocking reads and nvidia-smi run on a dedicated thread, off the cooperative pool.
    public func detect() async -> HostHardware {
        await withCheckedContinuation { (continuation: CheckedContinuation<HostHardware, Never>) in
            let detector = self
            let thread = Thread { continuation.resume(returning: detector.detectBlocking()) }
            thread.start()
        }
    }

    /// Detects synchronously (blocks for up to the nvidia-smi timeout).
    public func detectBlocking() -> HostHardware {
        var notes: [String] = []
        let files = SystemFiles(root: sysroot)
        if let root = sysroot { notes.append("Reading /proc and /sys under \(root); NVML skipped.") }
        var ram = RAMStatus(totalBytes: 0, availableBytes: 0)
        var gpus: [GPUDevice] = []

        #if os(macOS)
        if sysroot == nil {
            let total = AppleMemoryProbe.totalRAM() ?? Int64(ProcessInfo.processInfo.physicalMemory)
            ram = RAMStatus(totalBytes: total, availableBytes: AppleMemoryProbe.availableRAM() ?? total)
            notes.append("RAM from sysctl hw.memsize and vm_statistics64 (free + inactive + purgeable).")
            if let (gpu, how) = AppleMemoryProbe.gpu(ramBytes: total) { gpus.append(gpu); notes.append(how + "; unified with RAM.") }
            return HostHardware(ram: ram, gpus: gpus, notes: notes)
        }
        #endif

        if let info = files.read("/proc/meminfo").flatMap(MemInfo.parse) {
            ram = RAMStatus(totalBytes: info.totalBytes, availableBytes: info.availableBytes)
            notes.append("RAM from /proc/meminfo: MemTotal \(ByteCount.format(info.totalBytes)), MemAvailable \(ByteCount.format(info.availableBytes)).")
        } else {
            notes.append("Could not read /proc/meminfo; RAM unknown.")
        }
        let cgroup = CgroupMemory.read(files)
        if let limit = cgroup.limitBytes {
            ram.limitBytes = limit
            if let headroom = cgroup.headroomBytes { ram.availableBytes = min(ram.availableBytes, headroom) }
            notes.append("Memory limit \(ByteCount.format(limit)) from \(cgroup.source ?? "cgroup"); available = min(MemAvailable, limit − (usage − inactive_file)).")
        } else {
            notes.append("No cgroup memory limit (memory.max is \"max\" or the v1 limit is unlimited).")
        }

        gpus += nvidiaDevices(&notes)
        let amd = AMDSysfsProbe.devices(files)
        if !amd.isEmpty { notes.append("AMD GPUs from /sys/class/drm/card*/device/mem_info_vram_{total,used}.") }
        gpus += amd
        return HostHardware(ram: ram, gpus: gpus, notes: notes)
    }

    /// NVIDIA devices: NVML first (real root only), else nvidia-smi (or its captured output).
    func nvidiaDevices(_ notes: inout [String]) -> [GPUDevice] {
        #if os(Linux)
        if sysroot == nil, nvidiaSMI == nil, let devices = NVMLProbe.devices() {
            notes.append("NVIDIA GPUs from NVML (libnvidia-ml.so.1).")
            return devices
        }
        #endif
        if let fake = nvidiaSMI {
            if FileManager.default.isExecutableFile(atPath: fake) {
                guard let out = Self.run(fake, arguments: NvidiaSMIOutput.arguments) else {
                    notes.append("\(fake) failed; no NVIDIA GPUs listed.")
                    return []
                }
                notes.append("NVIDIA GPUs from \(fake).")
                return NvidiaSMIOutput.parse(out)
            }
            let text = SystemFiles(root: nil).read(fake) ?? ""
            notes.append("NVIDIA GPUs from captured nvidia-smi output in \(fake).")
            return NvidiaSMIOutput.parse(text)
        }
        guard sysroot == nil else { return [] }
        guard let smi = searchPath.split(separator: ":").map({ "\($0)/nvidia-smi" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return [] }
        guard let out = Self.run(smi, arguments: NvidiaSMIOutput.arguments) else {
            notes.append("nvidia-smi failed; no NVIDIA GPUs listed.")
            return []
        }
        notes.append("NVIDIA GPUs from nvidia-smi (NVML not loadable).")
        return NvidiaSMIOutput.parse(out)
    }

    /// Runs a tool and returns its stdout when it exits 0 within 10 seconds; output is capped at 1 MiB.
    static func run(_ path: String, arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: timer)
        let data = (try? pipe.fileHandleForReading.read(upToCount: 1 << 20)) ?? Data()
        process.waitUntilExit()
        timer.cancel()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
