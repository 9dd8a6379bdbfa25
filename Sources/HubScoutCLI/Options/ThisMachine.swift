import HubScoutKit

/// The one place the CLI detects this machine's hardware (`--fits auto`, `fit`, `hardware`, `info`, `ls`),
/// so every command sees the same GPUs and memory, with the same `HUBSCOUT_SYSROOT` test root.
enum ThisMachine {
    /// GPUs, RAM (with cgroup limits) and the memory a model may use, as detected now.
    static func hardware() async -> HostHardware { await HardwareDetector().detect() }
}
