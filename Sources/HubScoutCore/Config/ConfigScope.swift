/// Looks keys up in an ordered list of JSON objects (e.g. `text_config` then the top level),
/// treating values of the wrong type as missing and noting them.
struct ConfigScope {
    /// A named object to search, e.g. ("text_config.", {...}) or ("", top level).
    struct Layer {
        var prefix: String
        var object: [String: JSONValue]
    }

    var layers: [Layer]
    var notes: [String] = []
    private var noted: Set<String> = []

    init(layers: [Layer]) { self.layers = layers }

    /// The first positive integer found under any of `keys`, with the qualified key that held it.
    mutating func positiveInt(_ keys: [String], allowZero: Bool = false) -> (value: Int, key: String)? {
        for layer in layers {
            for key in keys {
                guard let raw = layer.object[key] else { continue }
                if raw == .null { continue }
                if let v = raw.intValue, v > 0 || (allowZero && v == 0) { return (v, layer.prefix + key) }
                note(layer.prefix + key, expected: allowZero ? "a non-negative integer" : "a positive integer", got: raw)
            }
        }
        return nil
    }

    /// The first number found under any of `keys`.
    mutating func double(_ keys: [String]) -> (value: Double, key: String)? {
        for layer in layers {
            for key in keys {
                guard let raw = layer.object[key], raw != .null else { continue }
                if let v = raw.doubleValue, v.isFinite { return (v, layer.prefix + key) }
                note(layer.prefix + key, expected: "a number", got: raw)
            }
        }
        return nil
    }

    /// The first string found under any of `keys`.
    mutating func string(_ keys: [String]) -> String? {
        for layer in layers {
            for key in keys {
                guard let raw = layer.object[key], raw != .null else { continue }
                if let v = raw.stringValue { return v }
                note(layer.prefix + key, expected: "a string", got: raw)
            }
        }
        return nil
    }

    /// The first boolean found under any of `keys`.
    mutating func bool(_ keys: [String]) -> Bool? {
        for layer in layers {
            for key in keys {
                guard let raw = layer.object[key], raw != .null else { continue }
                if let v = raw.boolValue { return v }
                note(layer.prefix + key, expected: "true or false", got: raw)
            }
        }
        return nil
    }

    /// The first object found under `key`, with its qualified key.
    mutating func object(_ key: String) -> (value: [String: JSONValue], key: String)? {
        for layer in layers {
            guard let raw = layer.object[key], raw != .null else { continue }
            if let v = raw.objectValue { return (v, layer.prefix + key) }
            note(layer.prefix + key, expected: "an object", got: raw)
        }
        return nil
    }

    /// The first array found under `key`.
    mutating func array(_ key: String) -> [JSONValue]? {
        for layer in layers {
            guard let raw = layer.object[key], raw != .null else { continue }
            if let v = raw.arrayValue { return v }
            note(layer.prefix + key, expected: "a list", got: raw)
        }
        return nil
    }

    /// True when any layer holds `key` with a non-null value.
    func has(_ key: String) -> Bool {
        layers.contains { ($0.object[key] ?? .null) != .null }
    }

    mutating func note(_ key: String, expected: String, got: JSONValue) {
        guard noted.insert(key).inserted else { return }
        notes.append("`\(key)` should be \(expected) but is \(Self.kind(got)); it was ignored.")
    }

    private static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case let .bool(b): return "the boolean \(b)"
        case let .int(i): return "the integer \(i)"
        case let .double(d): return "the number \(d)"
        case let .string(s): return "the string \"\(s.prefix(40))\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
