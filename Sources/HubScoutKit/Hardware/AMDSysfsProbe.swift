/// AMD GPUs from the amdgpu driver's sysfs files (`/sys/class/drm/cardN/device/mem_info_vram_*`).
enum AMDSysfsProbe {
    /// PCI vendor id of AMD/ATI.
    static let vendorID = "0x1002"

    /// One entry per `cardN` whose vendor is AMD and which reports VRAM.
    static func devices(_ files: SystemFiles) -> [GPUDevice] {
        var gpus: [GPUDevice] = []
        for entry in files.list("/sys/class/drm") {
            // Connectors (card0-DP-1) and render nodes share the folder; only cardN are devices.
            guard entry.hasPrefix("card"), let n = Int(entry.dropFirst(4)) else { continue }
            let dir = "/sys/class/drm/\(entry)/device"
            guard files.readLine(dir + "/vendor")?.lowercased() == vendorID,
                  let total = files.readLine(dir + "/mem_info_vram_total").flatMap({ Int64($0) }), total > 0 else { continue }
            let used = files.readLine(dir + "/mem_info_vram_used").flatMap { Int64($0) }
            let name = files.readLine(dir + "/product_name").flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
                ?? "AMD GPU (\(entry), device \(files.readLine(dir + "/device") ?? "?"))"
            gpus.append(GPUDevice(index: n, name: name, vendor: .amd, memoryBytes: total,
                                  freeBytes: used.map { max(0, total - $0) }, unified: false))
        }
        return gpus
    }
}
