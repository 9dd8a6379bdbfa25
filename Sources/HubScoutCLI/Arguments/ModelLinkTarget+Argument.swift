import ArgumentParser
import HubScoutCache

/// `--to ollama|lmstudio|llamacpp` (also `lm-studio`, `llama.cpp`).
extension ModelLinkTarget: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "ollama": self = .ollama
        case "lmstudio", "lm-studio", "lm_studio": self = .lmstudio
        case "llamacpp", "llama.cpp", "llama-cpp": self = .llamacpp
        default: return nil
        }
    }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
