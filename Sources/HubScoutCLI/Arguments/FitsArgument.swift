import ArgumentParser
import HubScoutCore
import HubScoutKit

/// `--fits SIZE|auto`, parsed once: a literal size (one device, nothing kept free) or this machine.
enum FitsArgument: ExpressibleByArgument, Equatable {
    case size(ByteCount.ParsedSize)
    case auto

    init?(argument: String) {
        if argument.lowercased() == "auto" { self = .auto; return }
        guard let size = ByteCount.parse(argument), size.bytes > 0 else { return nil }
        self = .size(size)
    }

    static var defaultCompletionKind: CompletionKind { .list(["auto", "8GB", "16GB", "24GB", "48GB", "80GB"]) }

    /// The budget it names; `auto` detects the hardware (once, here).
    func budget() async -> FitBudget {
        switch self {
        case .size(let size): .size(size.bytes)
        case .auto: .hardware(await ThisMachine.hardware().hostMemory)
        }
    }
}
