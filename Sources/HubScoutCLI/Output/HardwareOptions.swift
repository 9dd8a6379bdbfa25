import ArgumentParser
import HubScoutKit

/// `--gpu` / `--ram` overrides shared by `hardware` and `fit`.
struct HardwareOptions: ParsableArguments {
    @Option(help: ArgumentHelp("GPU memory instead of what is detected; several GPUs as a list (24GB,24GB). GB is decimal, GiB and G binary.",
                               valueName: "size"))
    var gpu: String?

    @Option(help: ArgumentHelp("RAM instead of what is detected (GB decimal, GiB or G binary).", valueName: "size"))
    var ram: String?

    /// The parsed overrides.
    func override() throws -> HardwareOverride { try HardwareOverride(gpu: gpu, ram: ram) }

    func validate() throws {
        do { _ = try override() } catch let error as HardwareError { throw ValidationError(error.description) }
    }

    /// Detects this machine's hardware and applies the overrides.
    func hardware() async throws -> HostHardware {
        let override = try override()
        let detected = await ThisMachine.hardware()
        return override.apply(to: detected)
    }
}
