import ArgumentParser
import HubScoutCore

/// `--engine`: any spelling `Engine(name:)` accepts (llama.cpp, llamacpp, ollama, vllm, mlx, transformers, …).
extension Engine: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
