package org.nowag.io.safetensors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/** Bulk little-endian conversion between F32/F16/BF16 bytes and float[]. float -> BF16/F16 rounds to nearest even. */
public final class FloatCodec {
    // Array-view VarHandles compile to plain loads/stores: no ByteBuffer and no allocation per element.
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Every F16 bit pattern decoded once (256 KiB): decoding is then one load per element, no branches. */
    private static final float[] F16_TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < F16_TO_FLOAT.length; h++) {
            F16_TO_FLOAT[h] = computeF16ToFloat(h);
        }
    }

    private FloatCodec() {}

    public static void decode(byte[] src, int srcOff, DType dtype, float[] dst, int dstOff, int count) {
        checkRanges(src.length, srcOff, dtype, dst.length, dstOff, count);
        switch (dtype) {
            case F32:
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = Float.intBitsToFloat((int) INT_LE.get(src, srcOff + 4 * i));
                }
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = F16_TO_FLOAT[((short) SHORT_LE.get(src, srcOff + 2 * i)) & 0xffff];
                }
                break;
            case BF16:
                for (int i = VectorSupport.ENABLED ? VectorCodec.decodeBf16(src, srcOff, dst, dstOff, count) : 0;
                     i < count; i++) {
                    dst[dstOff + i] = Float.intBitsToFloat(((short) SHORT_LE.get(src, srcOff + 2 * i)) << 16);
                }
                break;
            default:
                throw notFloat(dtype);
        }
    }

    public static void encode(float[] src, int srcOff, DType dtype, byte[] dst, int dstOff, int count) {
        checkRanges(dst.length, dstOff, dtype, src.length, srcOff, count);
        switch (dtype) {
            case F32:
                for (int i = 0; i < count; i++) {
                    // Raw bits so that NaN payloads survive a F32 -> F32 copy bit for bit.
                    INT_LE.set(dst, dstOff + 4 * i, Float.floatToRawIntBits(src[srcOff + i]));
                }
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    SHORT_LE.set(dst, dstOff + 2 * i, floatToF16Bits(src[srcOff + i]));
                }
                break;
            case BF16:
                // The vector path stops before a vector holding a NaN; the scalar loop finishes from there.
                for (int i = VectorSupport.ENABLED ? VectorCodec.encodeBf16(src, srcOff, dst, dstOff, count) : 0;
                     i < count; i++) {
                    SHORT_LE.set(dst, dstOff + 2 * i, floatToBf16Bits(src[srcOff + i]));
                }
                break;
            default:
                throw notFloat(dtype);
        }
    }

    /** IEEE binary16 bits -> float (exact: every half is a float). */
    public static float f16BitsToFloat(short bits) {
        return F16_TO_FLOAT[bits & 0xffff];
    }

    /** bfloat16 bits -> float (exact: bfloat16 is the top half of a float). */
    public static float bf16BitsToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * float -> IEEE binary16, round to nearest even; overflow gives Inf, NaN stays NaN (payload kept where it fits).
     * Java 17 has no Float.floatToFloat16, so this follows the classic bit-level method (F. Giesen, float_to_half_fast3).
     */
    public static short floatToF16Bits(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            if (abs == 0x7f800000) return (short) (sign | 0x7c00);
            int payload = (abs >>> 13) & 0x3ff;
            // A NaN whose payload sits only in the low 13 bits would truncate to Inf: force the quiet bit.
            return (short) (sign | 0x7c00 | (payload == 0 ? 0x200 : payload));
        }
        if (abs >= 0x477ff000) {
            // >= 65520 = max half (65504) + half an ulp: the tie rounds to the even neighbour, which is Inf.
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) {
            // Below the smallest normal half (2^-14): the result is m * 2^-24. Adding 0.5f puts the value where the
            // float ulp is exactly 2^-24, so the FPU's own round-to-nearest-even does the rounding; m is what is left.
            float shifted = Float.intBitsToFloat(abs) + 0.5f;
            return (short) (sign | (Float.floatToRawIntBits(shifted) - 0x3f000000));
        }
        // Normal range: rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits to nearest even.
        // A carry out of the mantissa correctly bumps the exponent (up to Inf).
        int mantOdd = (abs >>> 13) & 1;
        abs += ((15 - 127) << 23) + 0xfff + mantOdd;
        return (short) (sign | (abs >>> 13));
    }

    /** float -> bfloat16, round to nearest even; overflow gives Inf, NaN stays NaN. */
    public static short floatToBf16Bits(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            // Truncating a NaN could clear every mantissa bit and make it Inf: set the quiet bit.
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    private static float computeF16ToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24 is exact in float.
            float magnitude = mant * 0x1p-24f;
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(magnitude));
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
    }

    private static void checkRanges(int bytesLength, int bytesOff, DType dtype, int floatsLength, int floatsOff, int count) {
        if (!dtype.isFloatConvertible()) throw notFloat(dtype);
        Objects.checkFromIndexSize(floatsOff, count, floatsLength);
        long byteCount = (long) count * dtype.bytes();
        if (bytesOff < 0 || byteCount > bytesLength - (long) bytesOff) {
            throw new IndexOutOfBoundsException("byte range [" + bytesOff + ", " + bytesOff + " + " + byteCount
                    + ") outside an array of " + bytesLength + " bytes");
        }
    }

    private static IllegalArgumentException notFloat(DType dtype) {
        return new IllegalArgumentException("dtype " + dtype + " does not convert to float (only F32, F16, BF16)");
    }
}
