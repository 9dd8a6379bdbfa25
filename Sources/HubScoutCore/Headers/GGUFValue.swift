/// GGUF metadata value type ids.
public enum GGUFValueType: UInt32, Sendable, Equatable, Codable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7, string = 8
    case array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// Bytes of one value for fixed-size types; nil for strings and arrays.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }
}

/// A GGUF metadata value.
public enum GGUFValue: Sendable, Equatable {
    /// Unsigned 8-bit integer.
    case uint8(UInt8)
    /// Signed 8-bit integer.
    case int8(Int8)
    /// Unsigned 16-bit integer.
    case uint16(UInt16)
    /// Signed 16-bit integer.
    case int16(Int16)
    /// Unsigned 32-bit integer.
    case uint32(UInt32)
    /// Signed 32-bit integer.
    case int32(Int32)
    /// 32-bit float.
    case float32(Float)
    /// Boolean (one byte).
    case bool(Bool)
    /// UTF-8 string.
    case string(String)
    /// Array; long arrays keep only their length.
    case array(GGUFArray)
    /// Unsigned 64-bit integer.
    case uint64(UInt64)
    /// Signed 64-bit integer.
    case int64(Int64)
    /// 64-bit float.
    case float64(Double)

    /// The value's type id.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    /// The value as an integer when it is an integer type that fits `Int64`.
    public var intValue: Int64? {
        switch self {
        case let .uint8(v): return Int64(v)
        case let .int8(v): return Int64(v)
        case let .uint16(v): return Int64(v)
        case let .int16(v): return Int64(v)
        case let .uint32(v): return Int64(v)
        case let .int32(v): return Int64(v)
        case let .uint64(v): return Int64(exactly: v)
        case let .int64(v): return v
        default: return nil
        }
    }

    /// The value as a floating-point number when numeric.
    public var doubleValue: Double? {
        switch self {
        case let .float32(v): return Double(v)
        case let .float64(v): return v
        default: return intValue.map(Double.init)
        }
    }

    /// The string, when the value is one.
    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    /// The boolean, when the value is one.
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    /// The array, when the value is one.
    public var arrayValue: GGUFArray? { if case let .array(a) = self { return a }; return nil }
}

/// A GGUF array: its element type and length, and its values when short enough to keep.
public struct GGUFArray: Sendable, Equatable {
    /// Type of every element.
    public var elementType: GGUFValueType
    /// Number of elements.
    public var count: Int
    /// The elements, or nil when the array was longer than `HeaderLimits.keptArrayElements` and only stepped over.
    public var values: [GGUFValue]?

    /// Creates an array value.
    public init(elementType: GGUFValueType, count: Int, values: [GGUFValue]?) {
        self.elementType = elementType; self.count = count; self.values = values
    }
}
