import Foundation

/// Parses `nvidia-smi --query-gpu=index,name,memory.total,memory.free --format=csv,noheader,nounits`.
public enum NvidiaSMIOutput {
    /// The arguments the detector passes to nvidia-smi.
    public static let arguments = ["--query-gpu=index,name,memory.total,memory.free", "--format=csv,noheader,nounits"]

    /// One `GPUDevice` per well-formed line; values are MiB. Tolerates unit suffixes (`81920 MiB`) and
    /// `[N/A]` free memory (MIG, some vGPUs). At most 256 lines are read.
    public static func parse(_ text: String) -> [GPUDevice] {
        var gpus: [GPUDevice] = []
        for line in text.split(whereSeparator: \.isNewline).prefix(256) {
            // The name may contain commas in theory; index is first, the two numbers are last.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 4, let index = Int(fields[0]), index >= 0, index < 1024 else { continue }
            let name = fields[1..<(fields.count - 2)].joined(separator: ",")
            guard let total = mib(fields[fields.count - 2]), total > 0 else { continue }
            gpus.append(GPUDevice(index: index, name: String(name.prefix(200)), vendor: .nvidia, memoryBytes: total,
                                  freeBytes: mib(fields[fields.count - 1]), unified: false))
        }
        return gpus
    }

    /// `81920` or `81920 MiB` → bytes; nil for `[N/A]`, `[Not Supported]` or garbage.
    static func mib(_ text: String) -> Int64? {
        let number = text.split(separator: " ").first.map(String.init) ?? ""
        guard let n = Int64(number), n >= 0, n < 1 << 40 else { return nil }
        return n * 1024 * 1024
    }
}
