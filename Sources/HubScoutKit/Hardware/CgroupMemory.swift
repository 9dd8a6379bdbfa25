import Foundation

/// Memory limits of the cgroups a process belongs to (v2 unified or v1 memory controller).
public struct CgroupMemory: Sendable, Equatable {
    /// The tightest limit on the way from the process's cgroup to the root.
    public var limitBytes: Int64?
    /// The smallest `limit − (usage − inactive_file)` over limited levels: what can still be allocated.
    public var headroomBytes: Int64?
    /// Which hierarchy and directory the tightest limit came from.
    public var source: String?

    /// v1 writes "unlimited" as a huge page-rounded number (9223372036854771712); anything this big is no limit.
    static let unlimitedThreshold: Int64 = 1 << 60

    /// Parses a limit file: `max` (v2) or a huge v1 value → nil; a number → bytes.
    public static func parseLimit(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t != "max", let n = Int64(t), n >= 0, n < unlimitedThreshold else { return nil }
        return n
    }

    /// Reads one `key value` entry of a `memory.stat` file.
    public static func statValue(_ text: String, key: String) -> Int64? {
        for line in text.split(separator: "\n").prefix(200) {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int64(parts[1]) }
        }
        return nil
    }

    /// The process's cgroup paths from `/proc/self/cgroup`: the v2 entry (`0::/path`) and the v1 memory controller's.
    public static func parseProcCgroup(_ text: String) -> (v2: String?, v1Memory: String?) {
        var v2: String?, v1: String?
        for line in text.split(separator: "\n").prefix(100) {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0" && parts[1].isEmpty { v2 = String(parts[2]) }
            if parts[1].split(separator: ",").contains("memory") { v1 = String(parts[2]) }
        }
        return (v2, v1)
    }

    /// Mount points from `/proc/self/mountinfo`: the cgroup2 mount and the v1 memory mount, with their roots.
    public static func parseMountInfo(_ text: String) -> (v2: (root: String, point: String)?, v1Memory: (root: String, point: String)?) {
        var v2: (String, String)?, v1: (String, String)?
        for line in text.split(separator: "\n").prefix(10_000) {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let left = halves[0].split(separator: " "), right = halves[1].split(separator: " ")
            guard left.count >= 5, right.count >= 3 else { continue }
            let root = String(left[3]), point = String(left[4])
            if right[0] == "cgroup2", v2 == nil { v2 = (root, point) }
            if right[0] == "cgroup", right[2].split(separator: ",").contains("memory"), v1 == nil { v1 = (root, point) }
        }
        return (v2, v1)
    }

    /// Joins a mount point with a cgroup path, stripping the mount's own root (containers without a cgroup namespace).
    static func directory(mount: (root: String, point: String), cgroupPath: String) -> String {
        var rel = cgroupPath
        if mount.root != "/", rel.hasPrefix(mount.root) { rel = String(rel.dropFirst(mount.root.count)) }
        if rel.isEmpty || rel == "/" { return mount.point }
        // `..` in a path from a hostile tree must not escape the mount.
        let parts = rel.split(separator: "/").filter { $0 != ".." && $0 != "." }
        return mount.point + "/" + parts.joined(separator: "/")
    }

    /// Reads limits from the files under `files`, walking from the process's cgroup up to the hierarchy root.
    static func read(_ files: SystemFiles) -> CgroupMemory {
        let procCgroup = parseProcCgroup(files.read("/proc/self/cgroup") ?? "")
        let mounts = parseMountInfo(files.read("/proc/self/mountinfo") ?? "")
        var best = CgroupMemory(limitBytes: nil, headroomBytes: nil, source: nil)

        func consider(limit: Int64, usage: Int64?, inactive: Int64?, source: String) {
            // Page cache (inactive_file) is reclaimable: counting it as used refuses loads that would fit (ollama#15474).
            let used = max(0, (usage ?? 0) - (inactive ?? 0))
            let headroom = max(0, limit - used)
            if best.limitBytes.map({ limit < $0 }) ?? true { best.limitBytes = limit; best.source = source }
            if best.headroomBytes.map({ headroom < $0 }) ?? true { best.headroomBytes = headroom }
        }

        func walk(from dir: String, stopAt top: String, limitFile: String, usageFile: String, inactiveKey: String, label: String) {
            var current = dir
            for _ in 0..<64 {
                if let limit = files.read(current + "/" + limitFile).flatMap(parseLimit) {
                    let usage = files.read(current + "/" + usageFile).flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                    let inactive = files.read(current + "/memory.stat").flatMap { statValue($0, key: inactiveKey) }
                    consider(limit: limit, usage: usage, inactive: inactive, source: "\(label) \(current)/\(limitFile)")
                }
                if current == top || current.count <= top.count { break }
                guard let slash = current.lastIndex(of: "/") else { break }
                current = String(current[..<slash])
            }
        }

        if let path = procCgroup.v2 {
            let mount = mounts.v2 ?? (root: "/", point: "/sys/fs/cgroup")
            var dir = directory(mount: mount, cgroupPath: path)
            if !files.isDirectory(dir) { dir = mount.point }   // path from the host's view, not visible here
            walk(from: dir, stopAt: mount.point, limitFile: "memory.max", usageFile: "memory.current", inactiveKey: "inactive_file", label: "cgroup v2")
        }
        if let path = procCgroup.v1Memory {
            let mount = mounts.v1Memory ?? (root: "/", point: "/sys/fs/cgroup/memory")
            var dir = directory(mount: mount, cgroupPath: path)
            if !files.isDirectory(dir) { dir = mount.point }
            walk(from: dir, stopAt: mount.point, limitFile: "memory.limit_in_bytes", usageFile: "memory.usage_in_bytes",
                 inactiveKey: "total_inactive_file", label: "cgroup v1")
        }
        return best
    }
}
