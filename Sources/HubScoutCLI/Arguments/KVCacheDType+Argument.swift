import ArgumentParser
import HubScoutCore

/// `--kv-dtype`: any spelling `KVCacheDType(name:)` accepts (f16, fp16, q8_0, int8, …).
extension KVCacheDType: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
