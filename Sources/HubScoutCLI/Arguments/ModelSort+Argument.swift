import ArgumentParser
import HubScoutCore

/// `--sort downloads|likes|trending|created|updated`.
extension ModelSort: ExpressibleByArgument {
    public init?(argument: String) { self.init(userInput: argument) }
    public var defaultValueDescription: String { userName }
    public static var allValueStrings: [String] { allCases.map(\.userName) }
}
