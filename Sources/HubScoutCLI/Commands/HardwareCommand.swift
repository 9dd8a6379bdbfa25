import ArgumentParser
import HubScoutCore
import HubScoutKit

extension HubScoutCommand {
    /// `hubscout hardware`: the RAM and GPUs a model can use on this machine.
    struct HardwareCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hardware",
            abstract: "Show the RAM (cgroup-aware) and each GPU's memory that models can use here.",
            discussion: """
            RAM comes from /proc/meminfo, capped by the tightest cgroup v2/v1 limit minus what the group uses; NVIDIA GPUs from NVML (else nvidia-smi), AMD GPUs from sysfs, Apple GPUs from the Metal working-set cap. GPUs are listed one per device and never summed. --gpu/--ram replace what is detected; GB is decimal (10^9 bytes), GiB and a bare G are binary (2^30), and the output says which was understood. HUBSCOUT_SYSROOT points detection at a fake /proc and /sys tree; HUBSCOUT_NVIDIA_SMI at a fake nvidia-smi.

            Examples:
              hubscout hardware
              hubscout hardware --json
              hubscout hardware --gpu 24GB,24GB --ram 64GiB
            """
        )

        @OptionGroup var overrides: HardwareOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CommandRunner.run {
                let hardware = try await overrides.hardware()
                let report = HardwareReport(hardware, override: try overrides.override())
                Terminal.print(output.json ? try Format.json(report) : report.render())
            }
        }
    }
}
