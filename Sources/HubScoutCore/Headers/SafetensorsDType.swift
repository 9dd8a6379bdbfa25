/// Element widths of safetensors dtypes.
public enum SafetensorsDType {
    /// Bytes per element of a whole-byte dtype (`BF16` → 2), or nil for sub-byte and unknown dtypes,
    /// whose sizes come only from the data offsets.
    public static func byteWidth(_ dtype: String) -> Int? {
        switch dtype {
        case "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0": return 1
        case "I16", "U16", "F16", "BF16": return 2
        case "I32", "U32", "F32": return 4
        case "I64", "U64", "F64": return 8
        default: return nil
        }
    }
}
