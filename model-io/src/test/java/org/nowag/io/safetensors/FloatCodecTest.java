package org.nowag.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatCodecTest {

    // ---- slow, obviously right references: decode by the textbook formula, encode by searching all values ----

    /** (-1)^s x 2^(e - 15) x 1.m, or 2^-14 x 0.m for subnormals; NaN/Inf by exponent 31. */
    static double referenceF16(int h) {
        int s = (h >> 15) & 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
        double sign = s == 1 ? -1 : 1;
        if (e == 0x1f) return m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        if (e == 0) return sign * Math.scalb((double) m, -24);
        return sign * Math.scalb(1024.0 + m, e - 25);
    }

    static double referenceBf16(int b) {
        return Float.intBitsToFloat(b << 16); // bf16 is by definition the top 16 bits of a float
    }

    /**
     * Nearest representable value among the non-negative finite patterns [0, maxFinite] (monotone in their bits),
     * ties to the even pattern; beyond max + half an ulp (or at it: max is odd) it is Inf.
     */
    static int referenceEncode(float f, int maxFinite, int infBits, java.util.function.IntToDoubleFunction value) {
        int sign = Float.floatToRawIntBits(f) < 0 ? 0x8000 : 0;
        double a = Math.abs((double) f);
        double max = value.applyAsDouble(maxFinite);
        double ulpAtMax = max - value.applyAsDouble(maxFinite - 1);
        if (a >= max + ulpAtMax / 2) return sign | infBits;
        int lo = 0, hi = maxFinite; // largest pattern with value <= a
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (value.applyAsDouble(mid) <= a) lo = mid; else hi = mid - 1;
        }
        if (lo == maxFinite) return sign | lo;
        double below = value.applyAsDouble(lo), above = value.applyAsDouble(lo + 1);
        int pick;
        if (a - below < above - a) pick = lo;
        else if (a - below > above - a) pick = lo + 1;
        else pick = (lo & 1) == 0 ? lo : lo + 1;
        return sign | pick;
    }

    static int referenceToF16(float f) { return referenceEncode(f, 0x7bff, 0x7c00, FloatCodecTest::referenceF16); }
    static int referenceToBf16(float f) { return referenceEncode(f, 0x7f7f, 0x7f80, FloatCodecTest::referenceBf16); }

    // ---- every bit pattern ----

    @Test
    void everyF16PatternDecodesToTheTextbookValue() {
        for (int h = 0; h < 65536; h++) {
            float got = FloatCodec.f16BitsToFloat((short) h);
            double want = referenceF16(h);
            if (Double.isNaN(want)) assertTrue(Float.isNaN(got), "pattern " + Integer.toHexString(h));
            else assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), "pattern " + Integer.toHexString(h));
        }
    }

    @Test
    void everyNonNanF16PatternRoundTripsBitExactAndNanStaysNan() {
        byte[] bytes = new byte[2 * 65536];
        for (int h = 0; h < 65536; h++) { bytes[2 * h] = (byte) h; bytes[2 * h + 1] = (byte) (h >> 8); }
        float[] floats = new float[65536];
        FloatCodec.decode(bytes, 0, DType.F16, floats, 0, 65536);
        byte[] back = new byte[bytes.length];
        FloatCodec.encode(floats, 0, DType.F16, back, 0, 65536);
        for (int h = 0; h < 65536; h++) {
            int got = (back[2 * h] & 0xff) | (back[2 * h + 1] & 0xff) << 8;
            boolean nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
            if (nan) assertTrue((got & 0x7c00) == 0x7c00 && (got & 0x3ff) != 0, "NaN " + Integer.toHexString(h) + " -> " + Integer.toHexString(got));
            else assertEquals(h, got, "pattern " + Integer.toHexString(h));
        }
    }

    @Test
    void everyNonNanBf16PatternRoundTripsBitExactAndNanStaysNan() {
        byte[] bytes = new byte[2 * 65536];
        for (int b = 0; b < 65536; b++) { bytes[2 * b] = (byte) b; bytes[2 * b + 1] = (byte) (b >> 8); }
        float[] floats = new float[65536];
        FloatCodec.decode(bytes, 0, DType.BF16, floats, 0, 65536);
        byte[] back = new byte[bytes.length];
        FloatCodec.encode(floats, 0, DType.BF16, back, 0, 65536);
        for (int b = 0; b < 65536; b++) {
            int got = (back[2 * b] & 0xff) | (back[2 * b + 1] & 0xff) << 8;
            boolean nan = (b & 0x7f80) == 0x7f80 && (b & 0x7f) != 0;
            assertEquals(Double.doubleToRawLongBits(referenceBf16(b)), Double.doubleToRawLongBits(floats[b]), "decode " + b);
            if (nan) assertTrue(Float.isNaN(FloatCodec.bf16BitsToFloat((short) got)), "NaN " + Integer.toHexString(b));
            else assertEquals(b, got, "pattern " + Integer.toHexString(b));
        }
    }

    // ---- rounding ----

    @Test
    void everyF16MidpointRoundsToTheEvenNeighbour() {
        for (int h = 0; h < 0x7bff; h++) {
            for (int sign : new int[] {0, 0x8000}) {
                float mid = (float) ((referenceF16(h) + referenceF16(h + 1)) / 2); // exact: 12 significant bits
                if (sign != 0) mid = -mid;
                int want = sign | ((h & 1) == 0 ? h : h + 1);
                assertEquals(want, FloatCodec.floatToF16Bits(mid) & 0xffff, "midpoint above " + Integer.toHexString(h));
                assertEquals(want, referenceToF16(mid), "reference at " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void everyBf16MidpointRoundsToTheEvenNeighbour() {
        for (int b = 0; b < 0x7f7f; b++) {
            float mid = (float) ((referenceBf16(b) + referenceBf16(b + 1)) / 2); // exact: 9 significant bits
            int want = (b & 1) == 0 ? b : b + 1;
            assertEquals(want, FloatCodec.floatToBf16Bits(mid) & 0xffff, "midpoint above " + Integer.toHexString(b));
        }
    }

    @Test
    void randomFloatsEncodeLikeTheNearestValueSearch() {
        Random rnd = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            float f;
            switch (i % 4) {
                case 0: f = Float.intBitsToFloat(rnd.nextInt()); break;                  // any pattern
                case 1: f = (float) (rnd.nextGaussian() * Math.scalb(1.0, -20)); break;  // F16 subnormal range
                case 2: f = (float) (rnd.nextGaussian() * 70000); break;                 // around F16 overflow
                default: f = (float) rnd.nextGaussian(); break;
            }
            if (Float.isNaN(f)) continue;
            assertEquals(referenceToF16(f), FloatCodec.floatToF16Bits(f) & 0xffff, "F16 of " + f);
            assertEquals(referenceToBf16(f), FloatCodec.floatToBf16Bits(f) & 0xffff, "BF16 of " + f);
        }
    }

    @Test
    void specialValuesKeepTheirMeaning() {
        assertEquals(0x7c00, FloatCodec.floatToF16Bits(Float.POSITIVE_INFINITY) & 0xffff);
        assertEquals(0xfc00, FloatCodec.floatToF16Bits(Float.NEGATIVE_INFINITY) & 0xffff);
        assertEquals(0x7c00, FloatCodec.floatToF16Bits(65520f) & 0xffff, "65520 ties to Inf");
        assertEquals(0x7bff, FloatCodec.floatToF16Bits(65519.99f) & 0xffff);
        assertEquals(0x8000, FloatCodec.floatToF16Bits(-0f) & 0xffff);
        assertEquals(0x0001, FloatCodec.floatToF16Bits(0x1p-24f) & 0xffff, "smallest subnormal");
        assertEquals(0x0000, FloatCodec.floatToF16Bits(0x1p-25f) & 0xffff, "half the smallest subnormal ties to 0");
        assertEquals(0x0001, FloatCodec.floatToF16Bits(0x1.000002p-25f) & 0xffff);
        assertEquals(0x0400, FloatCodec.floatToF16Bits(0x1p-14f) & 0xffff, "smallest normal");
        assertEquals(0x7f80, FloatCodec.floatToBf16Bits(Float.MAX_VALUE) & 0xffff, "max float rounds to BF16 Inf");
        // NaNs whose payload lives only in bits that are dropped must not become Inf.
        float lowPayloadNan = Float.intBitsToFloat(0x7f800001);
        assertTrue(Float.isNaN(FloatCodec.f16BitsToFloat(FloatCodec.floatToF16Bits(lowPayloadNan))));
        assertTrue(Float.isNaN(FloatCodec.bf16BitsToFloat(FloatCodec.floatToBf16Bits(lowPayloadNan))));
        assertTrue(Float.isNaN(FloatCodec.bf16BitsToFloat(FloatCodec.floatToBf16Bits(Float.NaN))));
    }

    // ---- bulk API ----

    @Test
    void bulkCodecHonoursOffsetsAndLittleEndianOrder() {
        float[] src = {9f, 1.5f, -2f, 9f};
        byte[] dst = new byte[3 + 2 * 4];
        FloatCodec.encode(src, 1, DType.F32, dst, 3, 2);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, (byte) 0xc0, 0x3f, 0, 0, 0, (byte) 0xc0}, dst);
        float[] back = new float[4];
        FloatCodec.decode(dst, 3, DType.F32, back, 2, 2);
        assertArrayEquals(new float[] {0, 0, 1.5f, -2f}, back);
    }

    @Test
    void nonFloatDtypesAndShortArraysAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FloatCodec.decode(new byte[8], 0, DType.I64, new float[1], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FloatCodec.encode(new float[1], 0, DType.U8, new byte[1], 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> FloatCodec.decode(new byte[7], 0, DType.F32, new float[2], 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> FloatCodec.encode(new float[2], 1, DType.F16, new byte[4], 0, 2));
    }
}
