package org.nowag.io.safetensors;

/** Bulk little-endian conversion between F32/F16/BF16 bytes and float[]. float -> BF16/F16 rounds to nearest even. */
public final class FloatCodec {
    private FloatCodec() {}

    public static void decode(byte[] src, int srcOff, DType dtype, float[] dst, int dstOff, int count) { throw new UnsupportedOperationException("todo"); }

    public static void encode(float[] src, int srcOff, DType dtype, byte[] dst, int dstOff, int count) { throw new UnsupportedOperationException("todo"); }
}
