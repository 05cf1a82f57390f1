package org.nowag.io.safetensors;

/** safetensors dtypes. Only F32, F16 and BF16 convert to float; the others are copied through as bytes. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1), F8_E4M3(1), F8_E5M2(1);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }

    /** True for F32, F16, BF16. */
    public boolean isFloatConvertible() { return this == F32 || this == F16 || this == BF16; }

    /** Parses the header's dtype string; unknown -> SafetensorsFormatException naming file and dtype. */
    public static DType parse(String file, String text) throws SafetensorsFormatException {
        if (text != null) {
            // Exact match only: the format spells dtypes in upper case, and a lenient parse would hide a corrupt header.
            for (DType d : values()) {
                if (d.name().equals(text)) return d;
            }
        }
        throw new SafetensorsFormatException(file, "unknown dtype " + (text == null ? "null" : "'" + text + "'"));
    }
}
