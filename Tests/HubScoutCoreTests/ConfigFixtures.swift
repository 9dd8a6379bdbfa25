import Foundation
@testable import HubScoutCore

/// Loads config fixtures from the test bundle.
enum ConfigFixtures {
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/configs") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/configs/\(name).json"])
        }
        return try Data(contentsOf: url)
    }

    static func config(_ name: String) throws -> ModelConfig {
        try ModelConfig(jsonData: try data(name))
    }

    static func config(json: String) throws(ConfigError) -> ModelConfig {
        try ModelConfig(jsonData: Data(json.utf8))
    }
}
