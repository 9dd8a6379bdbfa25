import HubScoutCore

/// An object whose keys keep the order they were added in (the Hub's own field order), for output only.
struct OrderedObject {
    private(set) var pairs: [(key: String, value: JSONValue)] = []

    /// Sets `key`, replacing an existing value in place.
    mutating func set(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        if let index = pairs.firstIndex(where: { $0.key == key }) { pairs[index].value = value } else { pairs.append((key, value)) }
    }

    /// Removes every key not in `keep`.
    mutating func retain(_ keep: Set<String>) { pairs.removeAll { !keep.contains($0.key) } }

    /// The value of `key`.
    subscript(key: String) -> JSONValue? { pairs.first { $0.key == key }?.value }
}

/// Compact JSON serialisation: ordered objects as given, plain objects with sorted keys, `/` unescaped.
enum JSONWriter {
    /// Serialises an ordered object.
    static func write(_ object: OrderedObject) -> String {
        var out = "{"
        for (index, pair) in object.pairs.enumerated() {
            if index > 0 { out += "," }
            appendString(pair.key, to: &out)
            out += ":"
            append(pair.value, to: &out)
        }
        return out + "}"
    }

    /// Serialises an array of ordered objects.
    static func write(_ objects: [OrderedObject]) -> String {
        "[" + objects.map { write($0) }.joined(separator: ",") + "]"
    }

    /// Serialises a plain value.
    static func write(_ value: JSONValue) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    private static func append(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d):
            if d.isFinite { out += d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d) } else { out += "null" }
        case let .string(s): appendString(s, to: &out)
        case let .array(items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                append(item, to: &out)
            }
            out += "]"
        case let .object(fields):
            out += "{"
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                append(fields[key] ?? .null, to: &out)
            }
            out += "}"
        }
    }

    private static func appendString(_ s: String, to out: inout String) { JSONText.appendQuoted(s, to: &out) }
}
