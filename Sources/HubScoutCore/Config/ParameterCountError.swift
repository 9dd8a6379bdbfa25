/// Why a parameter count could not be derived from a config.
public enum ParameterCountError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config lacks values the formula needs (config keys, e.g. `hidden_size`).
    case missingValues([String], modelType: String?)
    /// The values multiply past 64 bits: not a real model.
    case overflow(String)
    /// A value is outside any real model's range (e.g. a million layers).
    case implausibleValue(key: String, value: Int)

    /// A user-facing sentence naming what was wrong and how to fix it.
    public var description: String {
        switch self {
        case let .missingValues(keys, modelType):
            let list = keys.map { "`\($0)`" }.joined(separator: ", ")
            return "The \(modelType ?? "model")'s config.json lacks \(list), so its parameters cannot be counted from the config; read the safetensors/GGUF headers instead."
        case let .overflow(what):
            return "Counting \(what) overflowed 64-bit arithmetic; the config describes an impossibly large model and was not used."
        case let .implausibleValue(key, value):
            return "The config's `\(key)` is \(value), outside any real model's range, so no parameter count was derived from it; check the config.json."
        }
    }
}

/// Overflow-checked arithmetic for the parameter formulas (configs are untrusted input).
enum ParamMath {
    /// The product of `factors`, throwing on overflow.
    static func mul(_ factors: Int..., what: String) throws(ParameterCountError) -> Int64 {
        var r: Int64 = 1
        for f in factors {
            let (p, o) = r.multipliedReportingOverflow(by: Int64(f))
            if o { throw .overflow(what) }
            r = p
        }
        return r
    }

    /// The sum of `terms`, throwing on overflow.
    static func sum(_ terms: Int64..., what: String) throws(ParameterCountError) -> Int64 {
        try sum(terms, what: what)
    }

    /// The sum of `terms`, throwing on overflow.
    static func sum(_ terms: [Int64], what: String) throws(ParameterCountError) -> Int64 {
        var r: Int64 = 0
        for t in terms {
            let (s, o) = r.addingReportingOverflow(t)
            if o { throw .overflow(what) }
            r = s
        }
        return r
    }

    /// `a + b` for config sizes, throwing on overflow.
    static func plus(_ a: Int, _ b: Int, what: String) throws(ParameterCountError) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw .overflow(what) }
        return r
    }

    /// `a × n` for a count of layers, throwing on overflow.
    static func times(_ a: Int64, _ n: Int, what: String) throws(ParameterCountError) -> Int64 {
        let (p, o) = a.multipliedReportingOverflow(by: Int64(n))
        if o { throw .overflow(what) }
        return p
    }
}
