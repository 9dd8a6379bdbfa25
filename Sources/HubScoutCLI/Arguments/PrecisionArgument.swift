import ArgumentParser
import HubScoutCore

/// `--precision fp16|int8|int4|any`: one precision, or `any` (nil: the best that fits).
struct PrecisionArgument: ExpressibleByArgument, Equatable {
    /// The precision, nil for any.
    var precision: FitPrecision?

    init(_ precision: FitPrecision?) { self.precision = precision }

    init?(argument: String) {
        guard let choice = FitPrecision.choice(argument) else { return nil }
        precision = choice
    }

    var defaultValueDescription: String { precision?.rawValue ?? "any" }
    static var allValueStrings: [String] { FitPrecision.allCases.map(\.rawValue) + ["any"] }
}
